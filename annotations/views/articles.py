"""The article list and the reader, where researchers read a text and mark its claims.

The reader renders the revision text as runs of escaped text, each carrying its
code-point offsets (`data-start`, `data-end`), so the browser maps a selection back to
offsets without counting anything the markup adds. The text is cut at paragraph breaks
and at every claim and mention boundary; a run lists the claims covering it as nested
`<mark>`s, one per claim, each on its own lane so that overlapping and nested claims
stay apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from annotations import workflow
from annotations.forms import ClaimForm
from annotations.models import (
    Actor,
    ActorRole,
    AnchorState,
    Claim,
    ClaimActor,
    ClaimStatus,
)
from annotations.registry import mention_index
from annotations.roles import can_annotate
from annotations.selectors import claims_visible_to
from annotations.services.claims import workflow_actor
from articles.models import Article, ArticleRevision, Source

ARTICLES_PER_PAGE = 25
MAX_ID = 2**63 - 1  # the largest primary key any supported database stores
# Lanes beyond this share the last one: their underlines coincide, their tints still add up.
MAX_LANE = 3
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def database_id(value: str) -> int | None:
    """A primary key from a query string, or None when it cannot be one."""
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


# -- the article list --------------------------------------------------------------------


@login_required
@require_GET
def article_list(request):
    """Articles with their claims counted by status (drafts: the user's own only)."""
    query = request.GET.get("q", "").strip()
    outlet_param = request.GET.get("outlet", "").strip()
    outlet_id = database_id(outlet_param)
    articles = Article.objects.select_related("outlet").only(
        "id", "title", "byline", "published", "language", "created", "outlet__id", "outlet__name"
    )
    if query:
        articles = articles.filter(Q(title__icontains=query) | Q(byline__icontains=query))
    outlet = None
    if outlet_id is not None:
        outlet = Source.objects.filter(pk=outlet_id, articles__isnull=False).first()
        articles = articles.filter(outlet_id=outlet_id)
    elif outlet_param:
        articles = articles.none()
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))

    counts = {
        row["article_id"]: row
        for row in claims_visible_to(request.user)
        .filter(article_id__in=[article.pk for article in page])
        .values("article_id")
        .annotate(
            total=Count("id"),
            **{status: Count("id", filter=Q(status=status)) for status in ClaimStatus.values},
        )
        .order_by()
    }
    rows = [
        {
            "article": article,
            "total": counts.get(article.pk, {}).get("total", 0),
            "counts": [
                (status, label, counts.get(article.pk, {}).get(status, 0))
                for status, label in ClaimStatus.choices
            ],
        }
        for article in page
    ]
    outlets = Source.objects.filter(articles__isnull=False).distinct().only("id", "name")
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "annotations/articles/list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "outlet": outlet,
            "outlets": outlets,
            "page_query": params.urlencode(),
        },
    )


# -- segmentation ------------------------------------------------------------------------


@dataclass
class PlacedClaim:
    """A visible claim as the reader shows it: its number in text order and its lane."""

    claim: Claim
    number: int = 0
    lane: int = 0
    placed: bool = True


@dataclass(frozen=True)
class MentionSpan:
    start: int
    end: int
    actors: tuple[tuple[int, str], ...]  # (actor id, registered name)


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
    boundaries = {lo, hi}
    for item in placed:
        boundaries.update((item.claim.start, item.claim.end))
    for mention in mentions:
        boundaries.update((mention.start, mention.end))
    ordered = sorted(boundaries)
    by_start = sorted(placed, key=lambda p: (p.claim.start, p.lane))
    mentions = sorted(mentions, key=lambda m: m.start)

    paragraphs = []
    # One sweep from left to right: segments come in increasing order, so claims and
    # mentions enter and leave the active set once each.
    next_claim, active, next_mention = 0, [], 0
    for p_start, p_end in paragraph_spans(text):
        if p_end <= lo or p_start >= hi:
            continue
        p_start, p_end = max(p_start, lo), min(p_end, hi)
        cuts = ordered[bisect_right(ordered, p_start) : bisect_left(ordered, p_end)]
        pieces = []
        for a, b in zip([p_start, *cuts], [*cuts, p_end], strict=True):
            while next_claim < len(by_start) and by_start[next_claim].claim.start <= a:
                active.append(by_start[next_claim])
                next_claim += 1
            active = [p for p in active if p.claim.end > a]
            covering = sorted(active, key=lambda p: (p.lane, p.claim.pk))
            while next_mention < len(mentions) and mentions[next_mention].end <= a:
                next_mention += 1
            mention = None
            if next_mention < len(mentions) and mentions[next_mention].start <= a:
                mention = mentions[next_mention]
            pieces.append(_run_html(text[a:b], a, b, covering, mention))
            if refs:
                ending = sorted((p for p in covering if p.claim.end == b), key=lambda p: p.number)
                pieces.extend(_ref_html(p) for p in ending)
        paragraphs.append({"start": p_start, "end": p_end, "html": mark_safe("".join(pieces))})
    return paragraphs


def _run_html(
    chunk: str, start: int, end: int, covering: list[PlacedClaim], mention: MentionSpan | None
) -> str:
    classes, extra = "run", ""
    if mention is not None:
        classes += " mention"
        names = " / ".join(name for _, name in mention.actors)
        ids = " ".join(str(actor_id) for actor_id, _ in mention.actors)
        extra = f' data-actors="{ids}" title="{escape("Known actor: " + names)}"'
    opening = "".join(
        f'<mark class="hl st-{p.claim.status} lane-{min(p.lane, MAX_LANE)}" '
        f'data-claim="{p.claim.pk}"'
        + (f' id="passage-{p.claim.pk}"' if p.claim.start == start else "")
        + ">"
        for p in covering
    )
    closing = "</mark>" * len(covering)
    return (
        f'<span class="{classes}" data-start="{start}" data-end="{end}"{extra}>'
        f"{opening}{escape(chunk)}{closing}</span>"
    )


def _ref_html(item: PlacedClaim) -> str:
    claim = item.claim
    return (
        f'<a class="claim-ref st-{claim.status}" href="#claim-{claim.pk}" '
        f'id="ref-{claim.pk}" data-claim="{claim.pk}" '
        f'aria-label="Claim {item.number} in the list">{item.number}</a>'
    )


def is_placed(claim: Claim, revision: ArticleRevision) -> bool:
    """Whether the claim's anchor holds in this revision's text (so it can be drawn)."""
    return (
        claim.revision_id == revision.pk
        and claim.anchor_state != AnchorState.ORPHANED
        and 0 <= claim.start < claim.end <= len(revision.text)
        and revision.text[claim.start : claim.end] == claim.exact
    )


def actor_mentions(text: str) -> list[MentionSpan]:
    """Known actors named in `text`, grouped by span (one span may name several actors)."""
    found = mention_index().find(text)
    if not found:
        return []
    names = dict(Actor.objects.filter(pk__in={m.actor_id for m in found}).values_list("id", "name"))
    spans: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for mention in found:
        if mention.actor_id in names:
            spans.setdefault((mention.start, mention.end), []).append(
                (mention.actor_id, names[mention.actor_id])
            )
    return [MentionSpan(start, end, tuple(actors)) for (start, end), actors in spans.items()]


# -- the reader --------------------------------------------------------------------------


def reader_context(request, article: Article, *, form: ClaimForm | None = None) -> dict:
    """Everything the reader template needs; the claim-create view reuses it on errors."""
    revision = article.revisions.order_by("-number").first()
    text = revision.text if revision else ""
    claims = list(
        claims_visible_to(request.user)
        .filter(article=article)
        .select_related("claimant", "author")
        # One join instead of a second prefetch by actor ids: with a thousand distinct
        # actors SQLite refuses the query that prefetch would build.
        .prefetch_related(
            Prefetch("actor_links", queryset=ClaimActor.objects.select_related("actor"))
        )
        .order_by("start", "-end", "id")
    )
    placed, unplaced = [], []
    for claim in claims:
        if revision is not None and is_placed(claim, revision):
            placed.append(PlacedClaim(claim))
        else:
            unplaced.append(PlacedClaim(claim, placed=False))
    for number, item in enumerate([*placed, *unplaced], start=1):
        item.number = number
    assign_lanes(placed)
    paragraphs = render_text(text, placed, actor_mentions(text)) if text else []

    from annotations.views.claims import picker_context

    annotate = can_annotate(request.user) and revision is not None
    if annotate and form is None:
        form = ClaimForm(initial={"revision": revision.pk})
    status_counts = Counter(claim.status for claim in claims)
    selected = request.GET.get("claim", "")
    return {
        "article": article,
        "revision": revision,
        "text": text,
        "paragraphs": paragraphs,
        "items": [*placed, *unplaced],
        "placed_count": len(placed),
        "legend": [
            (status, label, status_counts.get(status, 0)) for status, label in ClaimStatus.choices
        ],
        "can_annotate": annotate,
        "form": form if annotate else None,
        "panel_open": bool(form is not None and form.is_bound),
        "selected_claim": selected if selected.isdigit() else "",
        "reader_data": {
            "article": article.pk,
            "revision": revision.pk if revision else None,
            "claims": [
                {
                    "id": item.claim.pk,
                    "number": item.number,
                    "status": item.claim.status,
                    "status_label": item.claim.get_status_display(),
                    "statement": item.claim.statement,
                    "claimant": item.claim.claimant.name,
                    "url": reverse("claim_detail", args=[item.claim.pk]),
                    "edit_url": reverse("claim_edit", args=[item.claim.pk])
                    if editable(request.user, item.claim)
                    else "",
                    "placed": item.placed,
                }
                for item in [*placed, *unplaced]
            ],
        },
        "pickers": picker_context(request.user, suggest=reverse("actor_suggest")),
        "role_choices": ActorRole.choices,
    }


def editable(user, claim: Claim) -> bool:
    actor = workflow_actor(user=user, claim=claim)
    return workflow.Action.EDIT in workflow.allowed_actions(claim.status, actor)


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
    spans = paragraph_spans(text)
    first = next((s for s in spans if s[1] > claim.start), (0, len(text)))
    last = next((s for s in reversed(spans) if s[0] < claim.end), (0, len(text)))
    lo, hi = max(first[0], claim.start - context), min(last[1], claim.end + context)
    if lo > first[0]:
        # Start at a word, not in the middle of one.
        space = text.find(" ", lo, claim.start)
        lo = space + 1 if space != -1 else lo
    if hi < last[1]:
        space = text.rfind(" ", claim.end, hi)
        hi = space if space != -1 else hi
    paragraphs = render_text(text, [PlacedClaim(claim)], [], window=(lo, hi), refs=False)
    ellipsis = '<span class="ellipsis" aria-hidden="true">…</span>'
    html = []
    for position, paragraph in enumerate(paragraphs):
        before = ellipsis if position == 0 and lo > first[0] else ""
        after = ellipsis if position == len(paragraphs) - 1 and hi < last[1] else ""
        html.append(f'<p class="para">{before}{paragraph["html"]}{after}</p>')
    return mark_safe("".join(html))


urlpatterns = [
    path("", article_list, name="article_list"),
    path("articles/<int:article_id>/", article_reader, name="article_reader"),
]
