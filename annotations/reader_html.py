"""The reader's text as HTML: runs, lanes and marks, and the claim list beside it.

The reader renders the revision text as runs of escaped text, each carrying its
code-point offsets (`data-start`, `data-end`), so the browser maps a selection back to
offsets without counting anything the markup adds. The text is cut at paragraph breaks
and at every claim and mention boundary; a run lists the claims covering it as nested
`<mark>`s, one per claim, each on its own lane so that overlapping and nested claims
stay apart.

Pure: claims are anything with the attributes read here (a `Claim`, or a presenter's
reader row), choices come in as `(value, label)` pairs, and no query runs, so the
engine is tested without a database. The markup (ids, classes, data attributes) is what
reader.js and the browser tests address; every user text is escaped.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from html import escape as html_escape  # what Django's escape runs, minus its lazy-string check
from operator import attrgetter
from typing import Any, NamedTuple

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from annotations.idurls import IdUrl
from annotations.passages import context_window

# Lanes beyond this share the last one: their underlines coincide, their tints still add up.
MAX_LANE = 3
QUOTE_LENGTH = 180  # characters of a claim's passage shown in the list
PARAGRAPH_BREAK = re.compile(r"\n{2,}")
ANCHORED, ORPHANED = "anchored", "orphaned"  # the anchor states the reader tells apart

Choices = Iterable[tuple[str, Any]]


class ListChoices(NamedTuple):
    """The labels the claim list shows: claim statuses, anchor states, certainties and
    actor roles, as `(value, label)` pairs."""

    statuses: Choices
    anchor_states: Choices
    certainties: Choices
    roles: Choices


@dataclass
class PlacedClaim:
    """A visible claim as the reader shows it: its number in text order and its lane."""

    claim: Any  # a Claim, or a row with the same attributes
    number: int = 0
    lane: int = 0
    placed: bool = True


@dataclass(frozen=True)
class MentionSpan:
    start: int
    end: int
    actors: tuple[tuple[int, str], ...]  # (actor id, registered name)

    @cached_property
    def run_attributes(self) -> str:
        """What a run within this mention adds to its `<span>`: built once per mention,
        which `actor_mentions` keeps for the next view of the text."""
        names = " / ".join(name for _, name in self.actors)
        ids = " ".join(str(actor_id) for actor_id, _ in self.actors)
        return f' data-actors="{ids}" title="{html_escape("Known actor: " + names)}"'


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The paragraphs of `text` as code-point ranges; the breaks between them are skipped."""
    spans, position = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if position < len(text):
        spans.append((position, len(text)))
    return spans


def assign_lanes(placed: list[PlacedClaim]) -> None:
    """Give every claim the lowest lane free over its whole span (interval colouring)."""
    lane_ends: list[int] = []
    for item in sorted(placed, key=lambda p: (p.claim.start, -p.claim.end, p.claim.pk)):
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= item.claim.start:
                lane_ends[lane] = item.claim.end
                item.lane = lane
                break
        else:
            item.lane = len(lane_ends)
            lane_ends.append(item.claim.end)


def render_text(
    text: str,
    placed: list[PlacedClaim],
    mentions: list[MentionSpan],
    *,
    window: tuple[int, int] | None = None,
    refs: bool = True,
) -> list[dict]:
    """The paragraphs of `text` (or of `window`) as HTML, cut at every boundary.

    Returns `[{"start", "end", "html"}]`, one per paragraph. Every run is
    `<span class="run" data-start data-end>` holding one `<mark>` per covering claim,
    outermost on the lowest lane, around the escaped text; a claim's number follows the
    run where it ends (when `refs`).
    """
    lo, hi = window or (0, len(text))
    marks = sorted(map(_mark, placed), key=attrgetter("start", "lane"))
    mentions = sorted(mentions, key=attrgetter("start"))
    claim_edges = {mark.start for mark in marks} | {mark.end for mark in marks}
    mention_edges = {m.start for m in mentions} | {m.end for m in mentions}
    ordered = sorted({lo, hi} | claim_edges | mention_edges)
    ending_at: dict[int, list[_Mark]] = {}
    if refs:
        for mark in sorted(marks, key=attrgetter("number", "lane", "pk")):
            ending_at.setdefault(mark.end, []).append(mark)

    paragraphs = []
    # One sweep from left to right: segments come in increasing order, so claims and
    # mentions enter and leave the active set once each. The active claims, outermost
    # first, only change at a claim's edge: their tags are rebuilt there and reused by
    # the runs in between (most runs are cut by mentions).
    next_claim, active, next_mention = 0, [], 0
    opening = closing = ""
    for p_start, p_end in paragraph_spans(text):
        if p_end <= lo or p_start >= hi:
            continue
        p_start, p_end = max(p_start, lo), min(p_end, hi)
        cuts = ordered[bisect_right(ordered, p_start) : bisect_left(ordered, p_end)]
        pieces = []
        for a, b in zip([p_start, *cuts], [*cuts, p_end], strict=True):
            starting = ""
            if a == p_start or a in claim_edges:
                first = next_claim
                while next_claim < len(marks) and marks[next_claim].start <= a:
                    next_claim += 1
                active = [mark for mark in [*active, *marks[first:next_claim]] if mark.end > a]
                active.sort(key=attrgetter("lane", "pk"))
                opening = "".join([mark.inner for mark in active])
                closing = "</mark>" * len(active)
                if any(mark.start == a for mark in active):
                    starting = "".join(
                        [mark.first if mark.start == a else mark.inner for mark in active]
                    )
            while next_mention < len(mentions) and mentions[next_mention].end <= a:
                next_mention += 1
            classes, attributes = "run", ""
            if next_mention < len(mentions) and mentions[next_mention].start <= a:
                classes, attributes = "run mention", mentions[next_mention].run_attributes
            pieces.append(
                f'<span class="{classes}" data-start="{a}" data-end="{b}"{attributes}>'
                f"{starting or opening}{html_escape(text[a:b])}{closing}</span>"
            )
            if b in ending_at:
                pieces.extend(mark.ref for mark in ending_at[b])
        paragraphs.append({"start": p_start, "end": p_end, "html": mark_safe("".join(pieces))})
    return paragraphs


class _Mark(NamedTuple):
    """A placed claim's bounds and the markup every run it covers repeats."""

    start: int
    end: int
    lane: int
    pk: int
    number: int
    first: str  # the opening <mark> of the run where the passage starts (it holds the id)
    inner: str  # the opening <mark> of every later run
    ref: str  # the number after the passage


def _who(claim) -> str:
    """Who makes the claim and who else it names, for the highlight's tooltip: "Edi Rama
    claims; Iran accused". Reader rows carry the names; a plain claim says nothing."""
    claimant = getattr(claim, "claimant_name", "") or ""
    if not claimant:
        return ""
    actors = tuple(getattr(claim, "actors", ()) or ())
    roles = [f"{actors[i]} {actors[i + 1]}" for i in range(0, len(actors) - 1, 2)]
    return "; ".join([f"{claimant} claims", *roles])


def _mark(item: PlacedClaim) -> _Mark:
    claim = item.claim
    who = _who(claim)
    tip = f' title="{html_escape(who)}"' if who else ""
    opening = (
        f'<mark class="hl st-{claim.status} lane-{min(item.lane, MAX_LANE)}" '
        f'data-claim="{claim.pk}"'
    )
    label = f"Claim {item.number} in the list" + (f": {who}" if who else "")
    return _Mark(
        start=claim.start,
        end=claim.end,
        lane=item.lane,
        pk=claim.pk,
        number=item.number,
        # The tooltip once per claim: repeated on every run a passage covers, it was a
        # third of the reader's HTML with 1,000 claims. reader.js lends it to the other
        # runs on hover, from the first run.
        first=f'{opening}{tip} id="passage-{claim.pk}">',
        inner=f"{opening}>",
        ref=(
            f'<a class="claim-ref st-{claim.status}" href="#claim-{claim.pk}" '
            f'id="ref-{claim.pk}" data-claim="{claim.pk}" '
            f'aria-label="{html_escape(label)}">{item.number}</a>'
        ),
    )


def is_placed(claim, revision) -> bool:
    """Whether the claim's anchor holds in this revision's text (so it can be drawn)."""
    return (
        claim.revision_id == revision.pk
        and claim.anchor_state != ORPHANED
        and 0 <= claim.start < claim.end <= len(revision.text)
        and revision.text[claim.start : claim.end] == claim.exact
    )


def excerpt_html(claim, *, context: int = 320) -> SafeString | None:
    """The claim's passage highlighted within its paragraph(s), cut to about `context`
    characters either side, or None when the anchor no longer holds."""
    revision = claim.revision
    if not is_placed(claim, revision):
        return None
    text = revision.text
    window = context_window(text, claim.start, claim.end, chars=context)
    lo, hi = window.start, window.end
    paragraphs = render_text(text, [PlacedClaim(claim)], [], window=(lo, hi), refs=False)
    ellipsis = '<span class="ellipsis" aria-hidden="true">…</span>'
    html = []
    for position, paragraph in enumerate(paragraphs):
        before = ellipsis if position == 0 and window.clipped_before else ""
        after = ellipsis if position == len(paragraphs) - 1 and window.clipped_after else ""
        html.append(f'<p class="para">{before}{paragraph["html"]}{after}</p>')
    return mark_safe("".join(html))


class _ChoiceHtml(dict):
    """`template` filled with each choice's escaped value and label, by value, built once
    per page. A value outside the choices shows as itself, as `get_FOO_display` shows it."""

    def __init__(self, choices, template: str, *, lower: bool = False):
        self.template, self.lower = template, lower
        super().__init__((value, self._html(value, str(label))) for value, label in choices)

    def _html(self, value: str, label: str) -> str:
        label = label.lower() if self.lower else label
        return self.template.format(value=html_escape(value), label=html_escape(label))

    def __missing__(self, value: str) -> str:
        return self._html(value, value)


class _Escaped(dict):
    """Texts escaped once each: a page names the same actors and authors many times."""

    def __missing__(self, text: str) -> str:
        escaped = self[text] = html_escape(text)
        return escaped


def claim_quote(exact: str) -> str:
    """The passage as `truncatechars` shows it (NFC, at most QUOTE_LENGTH characters with
    the ellipsis), asking Django's Truncator only about passages long enough to be cut:
    it walks every character of the text, and most quotes are short."""
    quote = unicodedata.normalize("NFC", exact)
    return quote if len(quote) <= QUOTE_LENGTH else Truncator(quote).chars(QUOTE_LENGTH)


def _relations_html(relations) -> str:
    """A claim's relations as the reader lists them: "Denied by #12 …", each a link to
    the other claim's passage in its article's reader (whichever article that is)."""
    if not relations:
        return ""
    reader = IdUrl("article_reader")
    links = []
    for relation in relations:
        other = relation.other_id
        href = f"{reader(relation.other_article_id)}?claim={other}#claim-{other}"
        links.append(
            f'<li>{html_escape(relation.phrase)} <a href="{html_escape(href)}" '
            f'data-related-claim="{other}">#{other} '
            f"{html_escape(claim_quote(relation.other_statement))}</a></li>"
        )
    return f'<ul class="plain claim-relations small">{"".join(links)}</ul>'


_SPAN_TAGS = (("source_mention", "Source"), ("cue", "Cue"))


def _triple_html(claim) -> str:
    """The claim's source mention and cue as labelled words (the reader also marks them
    in the text when the claim is selected); empty when it has neither."""
    parts = [
        f'<span class="span-tag span-tag-{name}">{label}</span> <q>{html_escape(span[2])}</q>'
        for name, label in _SPAN_TAGS
        if (span := claim.marked_span(name))
    ]
    return f'<p class="claim-triple small">{" · ".join(parts)}</p>' if parts else ""


def claim_list_html(
    items: list[PlacedClaim],
    *,
    reader_id: int | None,
    choices: ListChoices,
    relations: Mapping[int, list] | None = None,
) -> SafeString:
    """The `<li>`s of the claims aside, every user text escaped. `relations` (claim id ->
    the presenter's `Relation`s) adds each claim's related claims, a click from their
    passage.

    Built here rather than in a template loop: over a thousand claims the template
    engine's lookups and filters took most of the page's time. The markup (ids, classes,
    data attributes) is what reader.js and the tests address.
    """
    detail_url = IdUrl("claim_detail")
    status_classes = _ChoiceHtml(choices.statuses, "{value}")
    statuses = _ChoiceHtml(choices.statuses, ' <span class="status status-{value}">{label}</span>')
    anchor_states = _ChoiceHtml(
        choices.anchor_states, ' <span class="anchor-state anchor-{value}">{label}</span>'
    )
    certainties = _ChoiceHtml(choices.certainties, "{label}", lower=True)
    roles = _ChoiceHtml(
        choices.roles, ' <span class="role role-{value}">{label}</span>', lower=True
    )
    names = _Escaped()
    html = []
    for item in items:
        claim = item.claim
        pk, number, status = claim.pk, item.number, status_classes[claim.status]
        if item.placed:
            head = (
                f'<a class="claim-num st-{status}" href="#passage-{pk}" data-claim="{pk}" '
                f'title="Show the passage">{number}</a>{statuses[claim.status]}'
            )
        else:
            head = f'<span class="claim-num st-{status}">{number}</span>{statuses[claim.status]}'
        if claim.anchor_state != ANCHORED:
            head += anchor_states[claim.anchor_state]
        if not item.placed:
            head += ' <span class="muted small">not in the current text</span>'
        actors = "".join(
            [
                f" · {names[name]}{roles[role]}"
                for name, role in zip(claim.actors[::2], claim.actors[1::2], strict=True)
            ]
        )
        byline = (
            f'<p class="muted small byline">by {names[claim.author_name]}</p>'
            if claim.author_id != reader_id
            else ""
        )
        html.append(
            f'<li id="claim-{pk}" class="claim-item st-{status}'
            f'{"" if item.placed else " unplaced"}" data-claim="{pk}" tabindex="-1">'
            f'<div class="claim-item-head">{head}</div>'
            f'<p class="claim-statement"><a href="{html_escape(detail_url(pk))}">'
            f"{html_escape(claim.statement)}</a></p>"
            f'<p class="claim-meta"><span class="claimant">{names[claim.claimant_name]}'
            f"</span> · {certainties[claim.certainty]}{actors}</p>"
            f'<blockquote class="claim-quote">{html_escape(claim_quote(claim.exact))}</blockquote>'
            f"{_triple_html(claim)}"
            f"{_relations_html(relations.get(pk)) if relations else ''}"
            f"{byline}</li>\n"
        )
    return mark_safe("".join(html))
