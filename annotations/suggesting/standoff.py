"""Suggestions as brat standoff attributions (for `evaluate_suggestions` and anyone who
wants the engine's output in the format annotated corpora use)."""

from __future__ import annotations

from collections.abc import Iterable

from annotations import brat
from annotations.suggesting.types import Suggestion


def as_attributions(suggestions: Iterable[Suggestion]) -> list[brat.Attribution]:
    """One attribution per suggestion, its certainty and confidence as attributes."""
    return [
        brat.Attribution(
            content=tuple((span.start, span.end) for span in suggestion.content),
            cue=((suggestion.cue.start, suggestion.cue.end),) if suggestion.cue else (),
            source=((suggestion.source.start, suggestion.source.end),) if suggestion.source else (),
            attributes=(
                ("Certainty", suggestion.certainty),
                ("Confidence", f"{suggestion.confidence:.2f}"),
            ),
        )
        for suggestion in suggestions
    ]
