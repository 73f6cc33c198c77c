"""The article list and the reader, where researchers read a text and mark its claims.

The reader renders the revision text as runs of escaped text, each carrying its
code-point offsets (`data-start`, `data-end`), so the browser maps a selection back to
offsets without counting anything the markup adds. The text is cut at paragraph breaks
and at every claim and mention boundary; a run lists the claims covering it as nested
`<mark>`s, one per claim, each on its own lane so that overlapping and nested claims
stay apart.

An article can hold a thousand claims, so the reader reads them as plain values (no
model instances) and builds the text and the claim list beside it in Python, escaping
every user text; a template loop over that many items cost more than everything else.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from html import escape as html_escape  # what Django's escape runs, minus its lazy-string check
from operator import attrgetter
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from annotations import workflow
from annotations.forms import ClaimForm
from annotations.idurls import IdUrl
from annotations.mention_cache import mention_index
from annotations.mentions import MentionIndex
from annotations.models import (
    Actor,
    ActorRole,
    AnchorState,
    Certainty,
    Claim,
    ClaimActor,
    ClaimStatus,
)
from annotations.params import number_param, page_param
from annotations.roles import can_annotate
from annotations.selectors import articles as selectors
from annotations.selectors import claims_visible_to
from annotations.selectors.passages import context_window
from annotations.services.claims import workflow_participant
from articles.models import Article, ArticleRevision, Source

ARTICLES_PER_PAGE = 25
# Lanes beyond this share the last one: their underlines coincide, their tints still add up.
MAX_LANE = 3
QUOTE_LENGTH = 180  # characters of a claim's passage shown in the list
MENTIONS_REMEMBERED = 64  # texts whose actor mentions are kept between requests
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


# -- the article list --------------------------------------------------------------------


@login_required
@require_GET
def article_list(request):
    """Articles with their claims counted by status (drafts: the user's own only)."""
    articles = selectors.article_list(filters=request.GET)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(page_param(request.GET))
    counts = selectors.claim_counts(request.user, [article.pk for article in page])
    rows = []
    for article in page:
        found = counts.get(article.pk, {})
        rows.append(
            {
                "article": article,
                "total": sum(found.values()),
                "counts": [
                    (status, label, found.get(status, 0)) for status, label in ClaimStatus.choices
                ],
            }
        )
    outlet_id = number_param(request.GET, "outlet")
    outlet = None
    if outlet_id is not None:
        outlet = Source.objects.filter(pk=outlet_id, articles__isnull=False).first()
    outlets = Source.objects.filter(articles__isnull=False).distinct().only("id", "name")
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "annotations/articles/list.html",
        {
            "page": page,
            "rows": rows,
            "query": request.GET.get("q", "").strip(),
            "outlet": outlet,
            "outlets": outlets,
            "page_query": params.urlencode(),
        },
    )


# -- segmentation ------------------------------------------------------------------------


class ClaimRow(NamedTuple):
    """A claim as the reader shows it, read as plain values.

    The reader lists every claim of an article with its claimant, author and actors;
    building model instances for all of them cost more than the rest of the page.
    `render_text` and `is_placed` read the same attributes from a `Claim`.
    """

    pk: int
    revision_id: int
    start: int
    end: int
    exact: str
    anchor_state: str
    status: str
    certainty: str
    statement: str
    claimant_name: str
    author_id: int
    author_name: str
    # Actor name, role, name, role... in the order they were added. Flat rather than pairs:
    # the claims of a long article name thousands of actors, and each tuple alive during
    # the request is more work for the garbage collector.
    actors: Sequence[str]


@dataclass
class PlacedClaim:
    """A visible claim as the reader shows it: its number in text order and its lane."""

    claim: Claim | ClaimRow
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


def _mark(item: PlacedClaim) -> _Mark:
    claim = item.claim
    opening = (
        f'<mark class="hl st-{claim.status} lane-{min(item.lane, MAX_LANE)}" '
        f'data-claim="{claim.pk}"'
    )
    return _Mark(
        start=claim.start,
        end=claim.end,
        lane=item.lane,
        pk=claim.pk,
        number=item.number,
        first=f'{opening} id="passage-{claim.pk}">',
        inner=f"{opening}>",
        ref=(
            f'<a class="claim-ref st-{claim.status}" href="#claim-{claim.pk}" '
            f'id="ref-{claim.pk}" data-claim="{claim.pk}" '
            f'aria-label="Claim {item.number} in the list">{item.number}</a>'
        ),
    )


def is_placed(claim: Claim | ClaimRow, revision: ArticleRevision) -> bool:
    """Whether the claim's anchor holds in this revision's text (so it can be drawn)."""
    return (
        claim.revision_id == revision.pk
        and claim.anchor_state != AnchorState.ORPHANED
        and 0 <= claim.start < claim.end <= len(revision.text)
        and revision.text[claim.start : claim.end] == claim.exact
    )


def actor_mentions(text: str) -> list[MentionSpan]:
    """Known actors named in `text`, grouped by span (one span may name several actors).

    Remembered per text for as long as the registry's mention index stays the same: the
    registry replaces the index whenever an actor, a name or an alias changes, and the
    names read here change with it. Finding the mentions of a long article took longer
    than drawing it, on every view of the article.
    """
    global _mentions_seen
    index = mention_index()
    seen_index, seen = _mentions_seen
    if seen_index is not index:
        seen = {}
        _mentions_seen = (index, seen)
    spans = seen.get(text)
    if spans is None:
        spans = _find_mentions(index, text)
        if len(seen) >= MENTIONS_REMEMBERED:
            seen.clear()
        seen[text] = spans
    return list(spans)


def _find_mentions(index: MentionIndex, text: str) -> tuple[MentionSpan, ...]:
    found = index.find(text)
    if not found:
        return ()
    names = dict(Actor.objects.filter(pk__in={m.actor_id for m in found}).values_list("id", "name"))
    spans: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for mention in found:
        if mention.actor_id in names:
            spans.setdefault((mention.start, mention.end), []).append(
                (mention.actor_id, names[mention.actor_id])
            )
    return tuple(MentionSpan(start, end, tuple(actors)) for (start, end), actors in spans.items())


# The mentions found per text, with the mention index they were found with (see
# `actor_mentions`); a new index starts afresh.
_mentions_seen: tuple[MentionIndex | None, dict[str, tuple[MentionSpan, ...]]] = (None, {})


# -- the reader --------------------------------------------------------------------------


def reader_claims(user, article: Article) -> list[ClaimRow]:
    """The claims of `article` that `user` may see, in text order, with their actors.

    Two queries whatever the number of claims: the actor links of the visible claims
    (selected by a subquery, as SQLite refuses a list of a thousand ids), then the claims.
    """
    visible = claims_visible_to(user).filter(article=article)
    actors: dict[int, list[str]] = {}
    links = (
        ClaimActor.objects.filter(claim__in=visible.values("pk"))
        .order_by("claim_id", "id")
        .values_list("claim_id", "actor__name", "role")
    )
    for claim_id, name, role in links.iterator():
        actors.setdefault(claim_id, []).extend((name, role))
    fields = (
        "pk",
        "revision_id",
        "start",
        "end",
        "exact",
        "anchor_state",
        "status",
        "certainty",
        "statement",
        "claimant__name",
        "author_id",
        f"author__{get_user_model().USERNAME_FIELD}",
    )
    return [
        ClaimRow(*row, actors.get(row[0], ()))
        for row in visible.order_by("start", "-end", "id").values_list(*fields).iterator()
    ]


def reader_context(request, article: Article, *, form: ClaimForm | None = None) -> dict:
    """Everything the reader template needs; the claim-create view reuses it on errors."""
    revision = article.current_revision
    text = revision.text if revision else ""
    claims = reader_claims(request.user, article)
    placed, unplaced = [], []
    for claim in claims:
        if revision is not None and is_placed(claim, revision):
            placed.append(PlacedClaim(claim))
        else:
            unplaced.append(PlacedClaim(claim, placed=False))
    items = [*placed, *unplaced]
    for number, item in enumerate(items, start=1):
        item.number = number
    assign_lanes(placed)
    paragraphs = render_text(text, placed, actor_mentions(text)) if text else []
    # One string for the whole text: the template then copies it once, not per paragraph.
    text_html = mark_safe(
        "".join(
            f'<p class="para" data-start="{p["start"]}" data-end="{p["end"]}">{p["html"]}</p>'
            for p in paragraphs
        )
    )

    from annotations.views.claims import picker_context

    annotate = can_annotate(request.user) and revision is not None
    if annotate and form is None:
        form = ClaimForm(initial={"revision": revision.pk})
    status_counts = Counter(claim.status for claim in claims)
    selected = number_param(request.GET, "claim")
    return {
        "article": article,
        "revision": revision,
        "text": text,
        "text_html": text_html,
        "items": items,
        "claim_list": claim_list_html(items, reader_id=request.user.pk),
        "placed_count": len(placed),
        "legend": [
            (status, label, status_counts.get(status, 0)) for status, label in ClaimStatus.choices
        ],
        "can_annotate": annotate,
        "form": form if annotate else None,
        "panel_open": bool(form is not None and form.is_bound),
        "selected_claim": selected or "",
        "reader_data": {
            "article": article.pk,
            "revision": revision.pk if revision else None,
            "claims": reader_data_claims(items, request.user),
        },
        "pickers": picker_context(request.user, suggest=reverse("actor_suggest")),
        "role_choices": ActorRole.choices,
    }


def editable(user, claim: Claim | ClaimRow) -> bool:
    actor = workflow_participant(user=user, claim=claim)
    return workflow.Action.EDIT in workflow.allowed_actions(claim.status, actor)


def reader_data_claims(items: list[PlacedClaim], user) -> list[dict]:
    """The claims as the reader's script reads them (popover cards, keyboard steps)."""
    detail_url, edit_url = IdUrl("claim_detail"), IdUrl("claim_edit")
    labels = {status: str(label) for status, label in ClaimStatus.choices}
    # Whether a claim may be edited depends on its status and on whether the user wrote
    # it (see `workflow_participant`): ask the workflow once per pair, not once per claim.
    may_edit: dict[tuple[str, bool], bool] = {}
    user_id = user.pk  # `request.user` is a lazy object: read through it once
    rows = []
    for item in items:
        claim = item.claim
        key = (claim.status, claim.author_id == user_id)
        if key not in may_edit:
            may_edit[key] = editable(user, claim)
        rows.append(
            {
                "id": claim.pk,
                "number": item.number,
                "status": claim.status,
                "status_label": labels.get(claim.status, claim.status),
                "statement": claim.statement,
                "claimant": claim.claimant_name,
                "url": detail_url(claim.pk),
                "edit_url": edit_url(claim.pk) if may_edit[key] else "",
                "placed": item.placed,
            }
        )
    return rows


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


def claim_list_html(items: list[PlacedClaim], *, reader_id: int | None) -> SafeString:
    """The `<li>`s of the claims aside, every user text escaped.

    Built here rather than in a template loop: over a thousand claims the template
    engine's lookups and filters took most of the page's time. The markup (ids, classes,
    data attributes) is what reader.js and the tests address.
    """
    detail_url = IdUrl("claim_detail")
    status_classes = _ChoiceHtml(ClaimStatus.choices, "{value}")
    statuses = _ChoiceHtml(
        ClaimStatus.choices, ' <span class="status status-{value}">{label}</span>'
    )
    anchor_states = _ChoiceHtml(
        AnchorState.choices, ' <span class="anchor-state anchor-{value}">{label}</span>'
    )
    certainties = _ChoiceHtml(Certainty.choices, "{label}", lower=True)
    roles = _ChoiceHtml(
        ActorRole.choices, ' <span class="role role-{value}">{label}</span>', lower=True
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
        if claim.anchor_state != AnchorState.ANCHORED:
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
            f"{byline}</li>\n"
        )
    return mark_safe("".join(html))


@login_required
@require_GET
def article_reader(request, article_id: int):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    return render(request, "annotations/articles/reader.html", reader_context(request, article))


def excerpt_html(claim: Claim, *, context: int = 320) -> SafeString | None:
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


urlpatterns = [
    path("", article_list, name="article_list"),
    path("articles/<int:article_id>/", article_reader, name="article_reader"),
]
