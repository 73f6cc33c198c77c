"""Fixtures of the suggestion tests: the running example's actors, and an article of
the demo's kind."""

from __future__ import annotations

import pytest

from annotations.mention_cache import forget_mention_index
from tests.factories import ActorFactory, ArticleFactory


@pytest.fixture
def actors(db):
    forget_mention_index()
    return {
        "rama": ActorFactory(name="Edi Rama", aliases=["Rama"]),
        "iran": ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"]),
        "us": ActorFactory(name="United States", kind="state", aliases=["Washington"]),
        "albania": ActorFactory(name="Albania", kind="state", aliases=["Tirana"]),
    }


@pytest.fixture
def article(db, actors):
    return ArticleFactory(title="Albania and Iran")


# TEMPORARY until the engine lands: a double that suggests "X said ..." sentences.
@pytest.fixture(autouse=True)
def _engine_double(monkeypatch):
    from annotations import suggesting

    if hasattr(suggesting, "suggest"):
        return
    import re

    from annotations.suggesting import Span, Suggestion

    def suggest(text, index, kinds=None, exclude=()):
        found = []
        for match in re.finditer(r"([A-Z][\w ]+?) (said|rejected) ([^.]+)\.", text):
            mentions = [m for m in index.find(match.group(1))]
            found.append(
                Suggestion(
                    content=(Span(match.start(3), match.end(3)),),
                    cue=Span(match.start(2), match.end(2)),
                    source=Span(match.start(1), match.end(1)),
                    claimant_id=mentions[-1].actor_id if mentions else None,
                    claimant_text=match.group(1),
                    certainty="denied" if match.group(2) == "rejected" else "asserted",
                    actors=(),
                    confidence=0.8,
                )
            )
        return [
            s for s in found if not any(s.start < e.end and e.start < s.end for e in exclude)
        ]

    monkeypatch.setattr(suggesting, "suggest", suggest, raising=False)
