"""The article list and the reader, where researchers read a text and mark its claims.

The reader's text and claim list are HTML built by `annotations.reader_html` from the
claim presenter's reader rows (`annotations.claim_presenter.reader_rows`): an article can
hold a thousand claims, and a template loop over that many items cost more than
everything else.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from annotations import workflow
from annotations.claim_presenter import ReaderRow, reader_rows
from annotations.forms import ClaimForm
from annotations.idurls import IdUrl
from annotations.mention_cache import mention_index
from annotations.mentions import MentionIndex
from annotations.models import Actor, ActorRole, AnchorState, Certainty, Claim, ClaimStatus
from annotations.params import number_param, page_param
from annotations.reader_html import (
    ListChoices,
    MentionSpan,
    PlacedClaim,
    assign_lanes,
    claim_list_html,
    is_placed,
    render_text,
)
from annotations.roles import can_annotate
from annotations.selectors import articles as selectors
from annotations.selectors import claims_visible_to
from annotations.selectors.relations import relations_by_claim
from annotations.services.claims import workflow_participant
from annotations.services.revisions import can_revise_article
from annotations.views.pickers import picker_context
from articles.models import Article, Source
from claimdesk.replica import lag_tolerant
from projects.current import current_project
from search.selectors import SearchPaginator

ARTICLES_PER_PAGE = 25
CLAIMS_LISTED_FIRST = 100  # claims the reader's list holds when the page arrives
MENTIONS_REMEMBERED = 64  # texts whose actor mentions are kept between requests
CLAIM_LIST_CHOICES = ListChoices(
    statuses=ClaimStatus.choices,
    anchor_states=AnchorState.choices,
    certainties=Certainty.choices,
    roles=ActorRole.choices,
)


# -- the article list --------------------------------------------------------------------


@login_required
@require_GET
@lag_tolerant
def article_list(request):
    """The current project's articles with their claims counted by status (drafts: the
    user's own only). `?project=` names the project by slug (see `projects.current`)."""
    project = current_project(request)
    filters = request.GET.copy()
    filters.pop("project", None)
    articles = selectors.article_list(user=request.user, filters=filters)
    articles = articles.filter(project=project) if project else articles.none()
    query = request.GET.get("q", "").strip()
    # Under a search, counted as the search page counts: up to its limit.
    paginator = SearchPaginator if query else Paginator
    page = paginator(articles, ARTICLES_PER_PAGE).get_page(page_param(request.GET))
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
        outlet = Source.objects.filter(pk=outlet_id, articles__project=project).first()
    outlets = (
        Source.objects.filter(articles__project=project).distinct().only("id", "name")
        if project
        else Source.objects.none()
    )
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
            "project": project,
            "page_query": params.urlencode(),
        },
    )


# -- mentions ----------------------------------------------------------------------------


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


def reader_claims(user, article: Article) -> list[ReaderRow]:
    """The claims of `article` that `user` may see, in text order, with their actors."""
    return reader_rows(claims_visible_to(user).filter(article=article))


def reader_items(user, article: Article) -> tuple[list[ReaderRow], list[PlacedClaim]]:
    """The claims `user` sees in `article`, and the reader's items: those drawn in the
    current text first (in text order, on their lanes), then those it no longer holds,
    numbered as the list shows them."""
    revision = article.current_revision
    claims = reader_claims(user, article)
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
    return claims, items


def listed_html(user, items: list[PlacedClaim]):
    """The claim list's `<li>`s for `items`, with their related claims."""
    rows = [item.claim for item in items]
    return claim_list_html(
        items,
        reader_id=user.pk,
        choices=CLAIM_LIST_CHOICES,
        relations=relations_by_claim(rows, user=user) if rows else None,
    )


def reader_context(request, article: Article, *, form: ClaimForm | None = None) -> dict:
    """Everything the reader template needs; the claim-create view reuses it on errors."""
    revision = article.current_revision
    text = revision.text if revision else ""
    claims, items = reader_items(request.user, article)
    placed = [item for item in items if item.placed]
    paragraphs = render_text(text, placed, actor_mentions(text)) if text else []
    # One string for the whole text: the template then copies it once, not per paragraph.
    text_html = mark_safe(
        "".join(
            f'<p class="para" data-start="{p["start"]}" data-end="{p["end"]}">{p["html"]}</p>'
            for p in paragraphs
        )
    )

    annotate = can_annotate(request.user, article.project_id) and revision is not None
    if annotate and form is None:
        form = ClaimForm(initial={"revision": revision.pk})
    status_counts = Counter(claim.status for claim in claims)
    selected = number_param(request.GET, "claim")
    # The list's first claims come with the page, the rest just after it (reader.js), so
    # that an article with a thousand claims is readable as soon as its text is. A link
    # to one claim, or asking for the whole list, gets every claim at once.
    whole = selected is not None or request.GET.get("claims") == "all"
    listed = items if whole else items[:CLAIMS_LISTED_FIRST]
    return {
        "article": article,
        "revision": revision,
        "text": text,
        "text_html": text_html,
        "items": items,
        "claim_list": listed_html(request.user, listed),
        "listed_count": len(listed),
        "unlisted_count": len(items) - len(listed),
        "placed_count": len(placed),
        "legend": [
            (status, label, status_counts.get(status, 0)) for status, label in ClaimStatus.choices
        ],
        "can_annotate": annotate,
        "can_revise": can_revise_article(request.user, article),
        "form": form if annotate else None,
        "panel_open": bool(form is not None and form.is_bound),
        "selected_claim": selected or "",
        "reader_data": {
            "article": article.pk,
            "revision": revision.pk if revision else None,
            "claims": reader_data_claims(items, request.user),
            # The suggested attributions are fetched in one request when shown.
            "suggestions_url": (
                reverse("v1:article-suggestions", args=[article.pk]) if annotate else ""
            ),
        },
        "pickers": picker_context(request.user, suggest=reverse("actor_suggest")),
        "role_choices": ActorRole.choices,
    }


def editable(user, claim: Claim | ReaderRow) -> bool:
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
                # [start, end, exact] in the current text, for the reader to mark the
                # words when the claim is selected; null when none (or not placed).
                **{
                    name: list(span) if item.placed and (span := claim.marked_span(name)) else None
                    for name in Claim.MARKED_SPANS
                },
            }
        )
    return rows


@login_required
@require_GET
def article_reader(request, article_id: int):
    article = get_object_or_404(
        selectors.articles_visible_to(request.user).select_related("outlet", "project"),
        pk=article_id,
    )
    return render(request, "annotations/articles/reader.html", reader_context(request, article))


@login_required
@require_GET
def article_claim_list(request, article_id: int):
    """The reader's claim list from its `from`-th claim on (0 for all): the `<li>`s the
    reader appends once its text is shown. Same selector and numbering as the reader."""
    article = get_object_or_404(selectors.articles_visible_to(request.user), pk=article_id)
    start = number_param(request.GET, "from", default=0, minimum=0)
    _claims, items = reader_items(request.user, article)
    response = HttpResponse(listed_html(request.user, items[start:]))
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("", article_list, name="article_list"),
    path("articles/<int:article_id>/", article_reader, name="article_reader"),
    path("articles/<int:article_id>/claim-list/", article_claim_list, name="article_claim_list"),
]
