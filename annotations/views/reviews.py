"""The review queue: reviewers verify attributions and decide without leaving the page.

`review_queue` (GET) lists the submitted claims the reviewer may decide on, oldest first;
`review_decide` (POST) records one decision through `annotations.services.reviews` and
returns to the queue with the next claim focused. A request sent by `review.js` (with
`Accept: application/json`) gets JSON instead of a redirect, with the claim's fresh
markup when it is still in the queue; the plain form works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_POST

from annotations.error_contract import error_response, form_error_body
from annotations.models import (
    Claim,
    ClaimActor,
    ClaimEvent,
    ClaimSource,
    ClaimStatus,
    Decision,
    RejectReason,
)
from annotations.params import WholeNumberFormField, number_param
from annotations.passages import context_window
from annotations.roles import can_review
from annotations.selectors import claims_visible_to, review_queue, review_queue_count
from annotations.selectors.claims import QUEUE_COUNT_LIMIT, queue_count_label
from annotations.selectors.relations import relations_by_claim
from annotations.services.reviews import approval_counts, check_decide, review_decide
from annotations.templatetags.claim_timeline import Timeline, build_timelines
from claimdesk import limits
from claimdesk.errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    SelfReview,
    StaleVersion,
)

# Each claim in the queue comes whole (passage in context, actors, sources, timeline and
# its decision form), and a reviewer decides them one at a time: ten a page keeps the
# page under 100 ms of server time at any queue length.
QUEUE_PAGE_SIZE = 10
CONTEXT_CHARS = 240  # of article text shown on either side of the quote
STALE_MESSAGE = "Someone decided first; reloaded. Check the claim again before deciding."

DECISION_DONE = {
    Decision.APPROVE: "Approved",
    Decision.REJECT: "Rejected",
    Decision.REQUEST_CHANGES: "Changes requested",
}


class DecisionForm(forms.Form):
    """Parses what the queue's form sends. The rules (which decision needs what) live
    in `review_decide`; its InvalidInput errors come back onto these fields."""

    version = WholeNumberFormField(min_value=1, widget=forms.HiddenInput)
    page = WholeNumberFormField(min_value=1, required=False, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=Decision.choices)
    quote_checked = forms.BooleanField(required=False, label="The quote is accurate")
    claimant_checked = forms.BooleanField(
        required=False, label="The claimant really makes this claim in the text"
    )
    sources_checked = forms.BooleanField(
        required=False, label="The cited sources support the attribution"
    )
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason…"), *RejectReason.choices],
        required=False,
        label="Reason for rejecting",
    )
    comment = forms.CharField(
        required=False,
        max_length=limits.REVIEW_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment",
        help_text="Required to reject or to request changes; optional to approve.",
    )
    rating_value = forms.TypedChoiceField(
        choices=[("", "No rating"), *((n, f"{n} of 5") for n in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
        label="Rating",
    )
    rating_label = forms.CharField(
        required=False,
        max_length=limits.RATING_LABEL,
        label="Rating label",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Unproven"}),
    )

    # Where the service's error fields show up.
    ERROR_FIELDS = {
        "decision": "decision",
        "reason": "reason",
        "comment": "comment",
        "rating_value": "rating_value",
        "rating_label": "rating_label",
        "checks": None,
        "version": None,
    }

    def add_domain_error(self, exc: DomainError) -> None:
        errors = exc.errors or [{"field": exc.field, "detail": exc.detail}]
        for error in errors:
            field = self.ERROR_FIELDS.get(error.get("field") or "")
            code = error.get("code") or exc.code
            self.add_error(field, forms.ValidationError(error["detail"], code=code))


def decision_form(claim: Claim, *, data=None, page: int | None = None) -> DecisionForm:
    return DecisionForm(
        data=data,
        initial={"version": claim.version, "page": page},
        auto_id=f"claim-{claim.pk}-%s",
    )


# How far before or after the passage a cue or source mention may lie and still be
# shown (and marked) in the passage's context.
MARKED_SPAN_REACH = 300


@dataclass(frozen=True)
class Passage:
    """The quote in its context: text before, the quote, text after. `spans` are the
    claim's cue and source mention inside that context, as `(name, start, end)` offsets
    from the start of `before`, so the page marks the words the reviewer checks."""

    before: str
    exact: str
    after: str
    clipped_before: bool
    clipped_after: bool
    from_text: bool  # False when the quote is no longer at its offsets
    spans: tuple[tuple[str, int, int], ...] = ()

    def _pieces(self, offset: int, text: str) -> list[tuple[str, str | None]]:
        """`text` (found at `offset`) cut into `(words, span name or None)`."""
        cuts = {0, len(text)}
        for _, start, end in self.spans:
            cuts.update(min(max(p - offset, 0), len(text)) for p in (start, end))
        bounds = sorted(cuts)
        pieces = []
        for lo, hi in pairwise(bounds):
            if lo == hi:
                continue
            name = next(
                (n for n, start, end in self.spans if start <= lo + offset and hi + offset <= end),
                None,
            )
            pieces.append((text[lo:hi], name))
        return pieces

    @property
    def before_pieces(self):
        return self._pieces(0, self.before)

    @property
    def exact_pieces(self):
        return self._pieces(len(self.before), self.exact)

    @property
    def after_pieces(self):
        return self._pieces(len(self.before) + len(self.exact), self.after)


def passage_in_context(claim: Claim, *, chars: int = CONTEXT_CHARS) -> Passage:
    """Cut the claim's passage out of its revision text, within its paragraph and at most
    `chars` characters either side, trimmed to whole words. When the text no longer holds
    the quote at its offsets, fall back to the stored prefix and suffix. The context
    widens to take in the cue and source mention when they lie near the passage."""
    text = claim.revision.text
    start, end = claim.start, claim.end
    if text[start:end] != claim.exact:
        return Passage(claim.prefix, claim.exact, claim.suffix, True, True, from_text=False)

    window = context_window(text, start, end, chars=chars)
    lo, hi = window.start, window.end
    spans = []
    for name in Claim.MARKED_SPANS:
        span = claim.marked_span(name)
        if span is None or text[span[0] : span[1]] != span[2]:
            continue
        if span[1] < start - MARKED_SPAN_REACH or span[0] > end + MARKED_SPAN_REACH:
            continue
        lo, hi = min(lo, span[0]), max(hi, span[1])
        spans.append((name, span[0], span[1]))
    return Passage(
        text[lo:start],
        claim.exact,
        text[end:hi],
        window.clipped_before and lo == window.start,
        window.clipped_after and hi == window.end,
        from_text=True,
        spans=tuple((name, a - lo, b - lo) for name, a, b in spans),
    )


def _queue_queryset(user) -> QuerySet[Claim]:
    return (
        review_queue(user)
        .select_related("claimant", "author", "article", "revision", "project")
        # The article's full text is not shown; the revision's text gives the context.
        .defer("article__text", "article__raw")
        .prefetch_related(
            Prefetch("actor_links", queryset=ClaimActor.objects.select_related("actor")),
            Prefetch("source_links", queryset=ClaimSource.objects.select_related("source")),
            Prefetch(
                "events",
                queryset=ClaimEvent.objects.select_related("actor").order_by("id"),
                to_attr="event_list",
            ),
        )
    )


@dataclass
class QueueItem:
    claim: Claim
    passage: Passage
    form: DecisionForm
    timeline: Timeline
    approvals: int | None  # approvals so far this round, when the project needs several
    # The claims it denies, contradicts… and those that deny it: (Relation, Claim), so
    # that the reviewer reads the denial beside the accusation.
    related: list = field(default_factory=list)


def _related(claims: list[Claim], user) -> dict[int, list]:
    """Each claim's relations to claims `user` can see, with the other claim (its quote,
    claimant and status): two queries for the whole page."""
    relations = relations_by_claim(claims, user=user)
    other_ids = {r.other_id for found in relations.values() for r in found}
    others = (
        Claim.objects.filter(pk__in=other_ids)
        .select_related("claimant", "article")
        .only(
            "statement",
            "exact",
            "status",
            "certainty",
            "article_id",
            "article__title",
            "claimant__name",
        )
        .in_bulk()
        if other_ids
        else {}
    )
    return {
        claim_id: [(r, others[r.other_id]) for r in found if r.other_id in others]
        for claim_id, found in relations.items()
    }


def _items(
    claims: list[Claim],
    *,
    page: int,
    bound: dict[int, DecisionForm] | None = None,
    user=None,
) -> list[QueueItem]:
    timelines = build_timelines({claim.pk: claim.event_list for claim in claims})
    related = _related(claims, user) if user is not None and claims else {}
    several = [claim for claim in claims if claim.project.required_approvals > 1]
    approvals = approval_counts(several) if several else {}
    bound = bound or {}
    return [
        QueueItem(
            claim=claim,
            passage=passage_in_context(claim),
            form=bound.get(claim.pk) or decision_form(claim, page=page),
            timeline=timelines[claim.pk],
            approvals=approvals.get(claim.pk, 0) if claim.project.required_approvals > 1 else None,
            related=related.get(claim.pk, []),
        )
        for claim in claims
    ]


def _queue_count_fields(user) -> dict:
    """The queue's count for the page's script: the number and the text to show."""
    count = review_queue_count(user)
    return {"queue_count": count, "queue_count_label": queue_count_label(count)}


def _guidelines_of(items: list[QueueItem]) -> list:
    """The projects of the claims on the page that have guidelines, each once: the
    reviewer decides by them."""
    seen = {}
    for item in items:
        project = item.claim.project
        if project.guidelines and project.pk not in seen:
            seen[project.pk] = project
    return sorted(seen.values(), key=lambda project: project.name)


def _forbidden(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if _wants_json(request):
        return error_response(exc)
    return render(
        request,
        "annotations/reviews/denied.html",
        {"code": exc.code, "detail": exc.detail},
        status=403,
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _queue_url(*, page: int | None = None, focus: int | None = None) -> str:
    params = {key: value for key, value in (("page", page), ("focus", focus)) if value}
    url = reverse("review_queue")
    if params:
        url += "?" + urlencode(params)
    if focus:
        url += f"#claim-{focus}"
    return url


def _page_of(user, claim: Claim) -> int:
    if claim.submitted_at is None:
        return 1
    earlier = (
        review_queue(user)
        .filter(
            Q(submitted_at__lt=claim.submitted_at)
            | Q(submitted_at=claim.submitted_at, pk__lt=claim.pk)
        )
        .count()
    )
    return earlier // QUEUE_PAGE_SIZE + 1


def _next_in_queue(user, claim: Claim) -> Claim | None:
    """The claim after `claim` in the reviewer's queue order, else the first one left."""
    queue = review_queue(user)
    if claim.submitted_at is not None:
        later = queue.filter(
            Q(submitted_at__gt=claim.submitted_at)
            | Q(submitted_at=claim.submitted_at, pk__gt=claim.pk)
        ).first()
        if later is not None:
            return later
    return queue.first()


def _render_queue(
    request: HttpRequest,
    *,
    page_number=None,
    focus: int | None = None,
    bound: dict[int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    # The oldest claims up to the counted limit (and one more, to know there are more):
    # the pages and the count never read the whole backlog.
    queue = _queue_queryset(request.user)[: QUEUE_COUNT_LIMIT + 1]
    paginator = Paginator(queue, QUEUE_PAGE_SIZE)
    page = paginator.get_page(page_number)
    # The navigation shows the same number: count once.
    request.review_queue_count = paginator.count
    items = _items(list(page.object_list), page=page.number, bound=bound, user=request.user)
    return render(
        request,
        "annotations/reviews/queue.html",
        {
            "page_obj": page,
            "items": items,
            "focus": focus,
            "queue_count": queue_count_label(paginator.count),
            "queue_limit": QUEUE_COUNT_LIMIT,
            "guidelines": _guidelines_of(items),
        },
        status=status,
    )


def _render_item(request: HttpRequest, claim_id: int, *, form: DecisionForm | None = None) -> str:
    """The queue item of `claim_id` as the reviewer's queue shows it now, or "" when the
    claim is no longer in their queue."""
    claim = _queue_queryset(request.user).filter(pk=claim_id).first()
    if claim is None:
        return ""
    page = form.cleaned_data.get("page") if form is not None and form.is_bound else None
    bound = {claim.pk: form} if form is not None else None
    (item,) = _items([claim], page=page or 1, bound=bound, user=request.user)
    return render_to_string(
        "annotations/reviews/_item.html",
        {"item": item},
        request=request,
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Reviewers only: everyone else is refused (403), anonymous users go to login."""
    if not can_review(request.user):
        return _forbidden(request, NotAllowed("Only reviewers can see the review queue."))
    focus_id = number_param(request.GET, "focus")
    page_number = number_param(request.GET, "page")
    if focus_id and not page_number:
        # Opened at one claim (from its claim page): show the page that holds it.
        focused = review_queue(request.user).filter(pk=focus_id).first()
        if focused is not None:
            page_number = _page_of(request.user, focused)
    return _render_queue(request, page_number=page_number, focus=focus_id)


@login_required
@require_POST
def decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Record the reviewer's decision on one claim, then back to the queue.

    403 for non-reviewers and for the claim's own author; 404 for a claim the user may
    not see; a stale version or a claim no longer awaiting review is a message on the
    reloaded queue (409 for JSON); bad input re-renders the item with its errors (400).
    """
    user = request.user
    # Found first: another desk's claim is not found, whoever asks.
    claim = get_object_or_404(claims_visible_to(user), pk=claim_id)
    try:
        check_decide(user=user, claim=claim)
    except (NotAllowed, SelfReview) as exc:
        return _forbidden(request, exc)
    form = DecisionForm(data=request.POST, auto_id=f"claim-{claim.pk}-%s")
    page = None
    if form.is_valid():
        data = form.cleaned_data
        page = data.get("page")
        try:
            decided = review_decide(
                user=user,
                claim_id=claim.pk,
                version=data["version"],
                decision=data["decision"],
                reason=data["reason"],
                comment=data["comment"],
                rating_value=data["rating_value"],
                rating_label=data["rating_label"],
                quote_checked=data["quote_checked"],
                claimant_checked=data["claimant_checked"],
                sources_checked=data["sources_checked"],
            )
        except (SelfReview, NotAllowed) as exc:
            return _forbidden(request, exc)
        except StaleVersion as exc:
            return _answer_conflict(request, claim, exc, STALE_MESSAGE, page=page)
        except InvalidTransition as exc:
            return _answer_conflict(request, claim, exc, exc.detail, page=page)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            return _answer_decided(request, claim, decided, data["decision"], page=page)

    # Bad input: show the same claim again with what the reviewer typed and the errors.
    if _wants_json(request):
        return JsonResponse(
            {**form_error_body(form), "item_html": _render_item(request, claim.pk, form=form)},
            status=400,
        )
    messages.error(request, "The decision was not recorded: see the errors below.")
    return _render_queue(
        request,
        page_number=page or _page_of(user, claim),
        focus=claim.pk,
        bound={claim.pk: form},
        status=400,
    )


def _answer_decided(
    request: HttpRequest, before: Claim, after: Claim, decision: str, *, page: int | None
) -> HttpResponse:
    user = request.user
    statement = Truncator(after.statement).chars(80)
    message = f"{DECISION_DONE[Decision(decision)]}: “{statement}”"
    if decision == Decision.APPROVE and after.status != ClaimStatus.APPROVED:
        message = f"Approval recorded (more approvals needed): “{statement}”"
    following = _next_in_queue(user, before)
    if _wants_json(request):
        return JsonResponse(
            {
                "code": "ok",
                "message": message,
                "claim": {"id": after.pk, "status": after.status, "version": after.version},
                "next": following.pk if following else None,
                **_queue_count_fields(user),
            }
        )
    messages.success(request, message)
    if following is None:
        return redirect(_queue_url())
    return redirect(_queue_url(page=_page_of(user, following), focus=following.pk))


def _answer_conflict(
    request: HttpRequest, claim: Claim, exc: DomainError, message: str, *, page: int | None
) -> HttpResponse:
    """Someone else changed the claim first: reload it, and say so."""
    user = request.user
    if _wants_json(request):
        return error_response(
            exc,
            message=message,
            item_html=_render_item(request, claim.pk),
            **_queue_count_fields(user),
        )
    messages.warning(request, message)
    still_waiting = review_queue(user).filter(pk=claim.pk).first()
    if still_waiting is not None:
        return redirect(_queue_url(page=_page_of(user, still_waiting), focus=still_waiting.pk))
    following = _next_in_queue(user, claim)
    if following is None:
        return redirect(_queue_url())
    return redirect(_queue_url(page=_page_of(user, following), focus=following.pk))


urlpatterns = [
    path("review/", queue, name="review_queue"),
    path("review/<int:claim_id>/decide/", decide, name="review_decide"),
]
