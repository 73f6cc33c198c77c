"""The audit timeline of a claim, shaped for `annotations/_timeline.html`.

Events keep ids (claimant, actors, sources) in their `changes`; names are resolved for a
whole batch of events in at most two queries (actors, sources), never per event. A page
that shows many timelines calls `build_timelines` once for all of them; the template tag
builds a single timeline from whatever `events` it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import template
from django.db.models import QuerySet

from annotations.models import (
    Actor,
    ActorRole,
    AnchorState,
    Certainty,
    ClaimEvent,
    ClaimStatus,
    EventKind,
    RejectReason,
    RelationKind,
)
from articles.models import Source
from publishing.events import PublishingEventKind

register = template.Library()

# The workflow's event kinds and publishing's (`published`, `unpublished`).
EVENT_LABELS = {**dict(EventKind.choices), **dict(PublishingEventKind.choices)}

DECISION_KINDS = frozenset(
    {
        EventKind.APPROVED,
        EventKind.APPROVAL_RECORDED,
        EventKind.REJECTED,
        EventKind.CHANGES_REQUESTED,
    }
)
# Events whose `changes` repeat the whole claim rather than a change of it.
UNDIFFED_KINDS = frozenset({EventKind.CREATED, EventKind.DELETED})

FIELD_LABELS = {
    "statement": "Statement",
    "exact": "Quote",
    "start": "Start",
    "end": "End",
    "claimant": "Claimant",
    "certainty": "Certainty",
    "actors": "Actors",
    "sources": "Sources",
    "relations": "Related claims",
    "note": "Note",
    "status": "Status",
    "anchor_state": "Anchor",
    "revision": "Revision",
}
LONG_FIELDS = frozenset({"statement", "exact", "note"})
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: list[str]
    after: list[str]
    is_list: bool = False
    is_long: bool = False
    # A long text's change word by word (equal, insert, delete, skip): a one-word edit of
    # a long statement shows that word, not the whole statement struck through.
    pieces: tuple = ()


@dataclass(frozen=True)
class Decision:
    decision: str
    reason: str
    comment: str
    rating_value: int | None
    rating_label: str
    reviewed_version: int | None
    checks: list[str]


@dataclass(frozen=True)
class Entry:
    event: ClaimEvent
    kind_label: str
    actor_name: str
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    changes: list[Change]
    decision: Decision | None

    @property
    def status_changed(self) -> bool:
        return bool(self.from_status) and self.from_status != self.to_status


@dataclass
class Timeline:
    entries: list[Entry] = field(default_factory=list)
    # The latest request for changes, while the claim still waits for the author.
    open_request: Entry | None = None

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def _label(choices, value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return choices(value).label
    except ValueError:
        return str(value).replace("_", " ")


def _ids(events: Iterable[ClaimEvent]) -> tuple[set[int], set[int]]:
    actor_ids: set[int] = set()
    source_ids: set[int] = set()
    for event in events:
        changes = event.changes or {}
        for value in changes.get("claimant") or ():
            if isinstance(value, int):
                actor_ids.add(value)
        for side in changes.get("actors") or ():
            for link in side or ():
                if link and isinstance(link[0], int):
                    actor_ids.add(link[0])
        for side in changes.get("sources") or ():
            for link in side or ():
                if link and isinstance(link[0], int):
                    source_ids.add(link[0])
    return actor_ids, source_ids


def resolve_names(events: Iterable[ClaimEvent]) -> tuple[dict[int, str], dict[int, str]]:
    """Names of the actors and sources the events' changes refer to: two queries at most."""
    actor_ids, source_ids = _ids(events)
    actors = (
        dict(Actor.objects.filter(pk__in=actor_ids).values_list("pk", "name")) if actor_ids else {}
    )
    sources = (
        dict(Source.objects.filter(pk__in=source_ids).values_list("pk", "name"))
        if source_ids
        else {}
    )
    return actors, sources


def _actor_name(actor_id: Any, names: Mapping[int, str]) -> str:
    if actor_id is None:
        return EMPTY
    return names.get(actor_id) or f"Actor {actor_id} (no longer exists)"


def _source_name(source_id: Any, names: Mapping[int, str]) -> str:
    return names.get(source_id) or f"Source {source_id} (no longer exists)"


def _format(
    name: str, value: Any, actors: Mapping[int, str], sources: Mapping[int, str]
) -> list[str]:
    if name == "claimant":
        return [_actor_name(value, actors)]
    if name == "actors":
        return [
            f"{_actor_name(link[0], actors)} ({_label(ActorRole, link[1]) or 'no role'})"
            for link in value or ()
        ]
    if name == "sources":
        formatted = []
        for link in value or ():
            source_id, locator, note = [*link, "", ""][:3]
            text = _source_name(source_id, sources)
            if locator:
                text += f", {locator}"
            if note:
                text += f" ({note})"
            formatted.append(text)
        return formatted
    if name == "relations":
        return [
            f"{_label(RelationKind, link[0]).lower()} claim {link[1]}"
            for link in value or ()
            if isinstance(link, list | tuple) and len(link) == 2
        ]
    if name == "certainty":
        return [_label(Certainty, value) or EMPTY]
    if name == "status":
        return [_label(ClaimStatus, value) or EMPTY]
    if name == "anchor_state":
        return [_label(AnchorState, value) or EMPTY]
    if value is None or value == "":
        return [EMPTY]
    return [str(value)]


def _changes(
    event: ClaimEvent, actors: Mapping[int, str], sources: Mapping[int, str]
) -> list[Change]:
    if event.kind in UNDIFFED_KINDS:
        return []
    changes = []
    for name, pair in (event.changes or {}).items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        before, after = pair
        is_list = name in {"actors", "sources", "relations"}
        pieces = ()
        if name in LONG_FIELDS and isinstance(before, str) and isinstance(after, str):
            pieces = _word_changes(before, after)
        changes.append(
            Change(
                field=name,
                label=FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
                before=_format(name, before, actors, sources),
                after=_format(name, after, actors, sources),
                is_list=is_list,
                is_long=name in LONG_FIELDS,
                pieces=pieces,
            )
        )
    return changes


def _word_changes(before: str, after: str) -> tuple:
    # The revision diff's word-level engine, unchanged stretches shortened as there.
    # A text mostly rewritten reads better as before and after: words only when at least
    # half of it stayed.
    from annotations.views.revisions import shorten_unchanged, word_diff

    pieces = word_diff(before, after)
    kept = sum(len(piece.text) for piece in pieces if piece.op == "equal")
    if kept * 2 < max(len(before), len(after)):
        return ()
    return tuple(shorten_unchanged(pieces))


def _decision(event: ClaimEvent) -> Decision | None:
    if event.kind not in DECISION_KINDS:
        return None
    data = event.data or {}
    checks = data.get("checks") or {}
    confirmed = [
        label
        for key, label in (
            ("quote", "quote accurate"),
            ("claimant", "claimant makes the claim"),
            ("sources", "sources support it"),
        )
        if checks.get(key)
    ]
    return Decision(
        decision=data.get("decision", ""),
        reason=_label(RejectReason, data.get("reason")),
        comment=data.get("comment") or "",
        rating_value=data.get("rating_value"),
        rating_label=data.get("rating_label") or "",
        reviewed_version=data.get("reviewed_version"),
        checks=confirmed,
    )


def _user_name(user) -> str:
    if user is None:
        return "Claimdesk"
    return user.get_full_name() or user.get_username()


def build_timeline(
    events: Iterable[ClaimEvent],
    *,
    actor_names: Mapping[int, str] | None = None,
    source_names: Mapping[int, str] | None = None,
) -> Timeline:
    """One claim's events, oldest first, ready to render.

    Pass `actor_names`/`source_names` from `resolve_names` when building many timelines;
    otherwise they are resolved here (two queries at most). Events should come with
    `actor` selected.
    """
    events = sorted(events, key=lambda event: event.pk)
    if actor_names is None or source_names is None:
        actor_names, source_names = resolve_names(events)
    entries = [
        Entry(
            event=event,
            kind_label=EVENT_LABELS.get(event.kind) or _label(EventKind, event.kind),
            actor_name=_user_name(event.actor),
            from_status=event.from_status,
            from_status_label=_label(ClaimStatus, event.from_status),
            to_status=event.to_status,
            to_status_label=_label(ClaimStatus, event.to_status),
            changes=_changes(event, actor_names, source_names),
            decision=_decision(event),
        )
        for event in events
    ]
    timeline = Timeline(entries=entries)
    if entries and entries[-1].to_status == ClaimStatus.CHANGES_REQUESTED:
        for entry in reversed(entries):
            if entry.event.kind == EventKind.CHANGES_REQUESTED:
                timeline.open_request = entry
                break
    return timeline


def build_timelines(
    events_by_claim: Mapping[int, Sequence[ClaimEvent]],
) -> dict[int, Timeline]:
    """Timelines of many claims with names resolved once for all of them."""
    every_event = [event for events in events_by_claim.values() for event in events]
    actor_names, source_names = resolve_names(every_event)
    return {
        claim_id: build_timeline(events, actor_names=actor_names, source_names=source_names)
        for claim_id, events in events_by_claim.items()
    }


@register.simple_tag
def claim_timeline(events) -> Timeline:
    """`{% claim_timeline events as timeline %}`: a Timeline as is, or one built from events."""
    if isinstance(events, Timeline):
        return events
    if isinstance(events, QuerySet):
        events = events.select_related("actor")
    return build_timeline(events or ())
