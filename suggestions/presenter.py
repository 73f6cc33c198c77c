"""A stored suggestion as the outside world reads it: the API and the reader both use
`present_suggestions` (one batch read of the actors' names, then one dict per
suggestion), so they show the same thing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotations.models import Actor
from claimdesk import limits
from suggestions.models import StoredSuggestion

# Quotation marks of many languages, and white space, trimmed from a drafted statement.
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a \n"


def _span(text: str, pair: Sequence[int] | None) -> dict[str, Any] | None:
    if not pair:
        return None
    start, end = pair
    return {"start": start, "end": end, "exact": text[start:end]}


def draft_statement(fragments: Iterable[str]) -> str:
    """A first statement from the content, for the researcher to rewrite: the passage's
    words without their quotation marks, starting with a capital and ending a sentence."""
    words = " ".join(" ".join(fragment.split()) for fragment in fragments).strip(QUOTES)
    words = words.rstrip(",;:").strip(QUOTES)
    if not words:
        return ""
    words = words[0].upper() + words[1:]
    if words[-1] not in ".!?":
        words += "."
    return words[: limits.STATEMENT]


def actor_names(rows: Iterable[StoredSuggestion]) -> dict[int, str]:
    """The names of every actor the rows name, in one query."""
    ids = set()
    for row in rows:
        if row.data.get("claimant_id"):
            ids.add(row.data["claimant_id"])
        ids.update(actor_id for actor_id, _ in row.data.get("actors", ()))
    if not ids:
        return {}
    return dict(Actor.objects.filter(pk__in=ids).values_list("id", "name"))


def present_suggestion(
    row: StoredSuggestion, *, text: str, names: dict[int, str], dismissed: bool = False
) -> dict[str, Any]:
    data = row.data
    content = [_span(text, pair) for pair in data["content"]]
    claimant_id = data.get("claimant_id")
    return {
        "key": row.key,
        "start": row.start,
        "end": row.end,
        "content": content,
        "cue": _span(text, data.get("cue")),
        "source": _span(text, data.get("source")),
        "claimant": (
            {"id": claimant_id, "name": names[claimant_id]} if claimant_id in names else None
        ),
        "claimant_text": data.get("claimant_text", ""),
        "certainty": data["certainty"],
        "actors": [
            {"actor": {"id": actor_id, "name": names[actor_id]}, "role": role}
            for actor_id, role in data.get("actors", ())
            if actor_id in names
        ],
        "confidence": round(row.confidence, 3),
        "statement": draft_statement(part["exact"] for part in content),
        "dismissed": dismissed,
    }


def present_suggestions(
    rows: Sequence[StoredSuggestion], *, text: str, dismissed: set[str] = frozenset()
) -> list[dict[str, Any]]:
    names = actor_names(rows)
    return [
        present_suggestion(row, text=text, names=names, dismissed=row.key in dismissed)
        for row in rows
    ]
