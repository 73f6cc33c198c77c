"""Relation pages: the claim picker's search, and adding or removing a relation from the
claim page.

Every change goes through `annotations.services.relations` (the rules of editing the
claim the relation starts from); a refusal comes back as a message on the claim page, a
claim the user cannot see is a 404, a claim they may not change a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from annotations.error_contract import answers_json
from annotations.models import RelationKind
from annotations.params import MAX_NUMBER, number_param
from annotations.selectors import claims_visible_to
from annotations.selectors.articles import articles_visible_to
from annotations.selectors.relations import relation_candidates
from annotations.services.relations import relation_add, relation_remove
from annotations.views.refusals import run_posted_change
from claimdesk import limits
from claimdesk.errors import InvalidInput, NotLoggedIn

# Actors named on the form, at most: a form names at most this many further actors.
MAX_FORM_ACTORS = 51


@require_GET
@answers_json
def claim_pick(request: HttpRequest) -> JsonResponse:
    """`GET /claims/pick/?article=<id>|claim=<id>&q=&certainty=&actor=<id>…`: claims of
    the article's (or the claim's) project that a relation could point to, for the claim
    form's picker, likely ones first (see `relation_candidates`).

    `claim` is the claim being edited (left out of the answer); `actor` (repeated) and
    `certainty` are the form's current claimant, actors and certainty. Answers
    `{"claims": [{id, name, kind, status, certainty, article, article_title, reasons}]}`
    (`name` is the statement, `kind` the claimant's name); 401 when not logged in, 404
    for an article or claim the user cannot see, 400 for a bad number.
    """
    if not request.user.is_authenticated:
        raise NotLoggedIn("Log in first.")
    claim_id = number_param(request.GET, "claim")
    article_id = number_param(request.GET, "article")
    if claim_id is not None:
        claim = get_object_or_404(
            claims_visible_to(request.user).only(
                "project_id", "article_id", "claimant_id", "certainty"
            ),
            pk=claim_id,
        )
        project_id, article_id = claim.project_id, claim.article_id
    elif article_id is not None:
        project_id = get_object_or_404(
            articles_visible_to(request.user).only("project_id"), pk=article_id
        ).project_id
    else:
        raise Http404
    query = request.GET.get("q", "")
    if len(query) > limits.NAME:
        raise InvalidInput.for_field(
            f"Keep the search under {limits.NAME} characters.", field="q", code="max_length"
        )
    actors = request.GET.getlist("actor")[:MAX_FORM_ACTORS]
    actor_ids = {number_param({"actor": value}, "actor") for value in actors if value.strip()} - {
        None
    }
    certainty = request.GET.get("certainty", "")
    if claim_id is not None and not actor_ids and not certainty:
        # The claim page's picker: rank by what the claim says.
        actor_ids = {claim.claimant_id, *claim.actor_links.values_list("actor_id", flat=True)}
        certainty = claim.certainty
    found = relation_candidates(
        user=request.user,
        project_id=project_id,
        query=query,
        article_id=article_id,
        exclude_claim_id=claim_id,
        actor_ids=actor_ids,
        certainty=certainty,
    )
    return JsonResponse({"claims": found})


def _claim_or_404(request, claim_id: int):
    return get_object_or_404(claims_visible_to(request.user), pk=claim_id)


@login_required
@require_POST
def claim_relation_add(request, claim_id: int):
    """The claim page's "This claim denies …" form: `kind`, `to_claim` (or a number typed
    as `to_claim_label`), `version`."""
    claim = _claim_or_404(request, claim_id)
    version = number_param(request.POST, "version", maximum=MAX_NUMBER)
    kind = request.POST.get("kind", "")
    raw = (request.POST.get("to_claim") or "").strip() or (
        request.POST.get("to_claim_label") or ""
    ).strip().removeprefix("#")
    if not raw:
        messages.error(request, "Pick the related claim from the list.")
        return redirect("claim_detail", claim_id=claim.pk)
    to_claim_id = number_param({"to_claim": raw}, "to_claim")
    label = dict(RelationKind.choices).get(kind, kind).lower()
    run_posted_change(
        request,
        lambda: relation_add(
            user=request.user,
            claim_id=claim.pk,
            kind=kind,
            to_claim_id=to_claim_id,
            version=version,
        ),
        f"Relation saved: this claim {label} claim {to_claim_id}.",
    )
    return redirect("claim_detail", claim_id=claim.pk)


@login_required
@require_POST
def claim_relation_remove(request, claim_id: int, relation_id: int):
    claim = _claim_or_404(request, claim_id)
    version = number_param(request.POST, "version", maximum=MAX_NUMBER)
    run_posted_change(
        request,
        lambda: relation_remove(
            user=request.user, claim_id=claim.pk, relation_id=relation_id, version=version
        ),
        "Relation removed.",
    )
    return redirect("claim_detail", claim_id=claim.pk)


urlpatterns = [
    path("claims/pick/", claim_pick, name="claim_pick"),
    path("claims/<int:claim_id>/relations/", claim_relation_add, name="claim_relation_add"),
    path(
        "claims/<int:claim_id>/relations/<int:relation_id>/remove/",
        claim_relation_remove,
        name="claim_relation_remove",
    ),
]
