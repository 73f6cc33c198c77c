"""Claim pages: the claim with its passage and timeline, and the forms that change it.

Every change goes through `annotations.services.claims`; a domain error becomes a form
error (at the field it names) or a message. A claim the user may not see is a 404 (other
people's drafts); a visible claim the user may not change is a 403.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import idempotency
from annotations.claim_presenter import hide_note_from, may_read_note
from annotations.forms import INTENT_SUBMIT, ClaimForm
from annotations.models import ClaimEvent, ClaimStatus, RelationKind
from annotations.params import MAX_NUMBER, number_param
from annotations.reader_html import excerpt_html
from annotations.selectors import claims_visible_to, with_details
from annotations.selectors.articles import articles_visible_to
from annotations.selectors.relations import relations_by_claim
from annotations.services.claims import (
    can_delete_claim,
    can_edit_claim,
    can_submit_claim,
    check_create_claim,
    check_edit_claim,
    claim_create,
    claim_delete,
    claim_submit,
    claim_update,
)
from annotations.services.relations import can_relate_claim
from annotations.services.reviews import can_decide
from annotations.views.articles import reader_context
from annotations.views.pickers import picker_context
from annotations.views.refusals import refuse_unless, run_posted_change
from claimdesk.errors import DomainError, IdempotencyKeyReused, NotAllowed
from claimdesk.outcome import follow, saving
from config.security import bad_parameter
from suggestions.services import claim_create_from_suggestion

TIMELINE_TEMPLATES = ["annotations/_timeline.html", "annotations/claims/_events.html"]


def _visible_claim(user, claim_id: int):
    return get_object_or_404(with_details(claims_visible_to(user)), pk=claim_id)


def _reader_url(article_id: int, claim_id: int | None = None) -> str:
    url = reverse("article_reader", args=[article_id])
    return f"{url}?claim={claim_id}#claim-{claim_id}" if claim_id else url


# -- the claim page ----------------------------------------------------------------------


@login_required
@require_GET
def claim_detail(request, claim_id: int):
    claim = _visible_claim(request.user, claim_id)
    relations = relations_by_claim([claim], user=request.user).get(claim.pk, [])
    can_relate = can_relate_claim(request.user, claim)
    events = hide_note_from(
        ClaimEvent.objects.filter(claim_id=claim.pk).select_related("actor").order_by("id"),
        user=request.user,
        claim=claim,
    )
    labels = dict(ClaimStatus.choices)
    for event in events:
        event.from_label = labels.get(event.from_status, event.from_status).lower()
        event.to_label = labels.get(event.to_status, event.to_status).lower()
    return render(
        request,
        "annotations/claims/detail.html",
        {
            "claim": claim,
            "excerpt": excerpt_html(claim),
            "can_edit": can_edit_claim(request.user, claim),
            "can_submit": can_submit_claim(request.user, claim),
            "can_delete": can_delete_claim(request.user, claim),
            "can_decide": can_decide(request.user, claim),
            "review_url": _review_url(claim.pk),
            "relations": relations,
            "can_relate": can_relate,
            "relation_kinds": RelationKind.choices,
            "pickers": picker_context(request.user) if can_relate else None,
            "events": events,
            "can_read_note": may_read_note(
                request.user, author_id=claim.author_id, project_id=claim.project_id
            ),
            "timeline_template": select_template(TIMELINE_TEMPLATES),
        },
    )


def _review_url(claim_id: int) -> str:
    """The review queue, opened at this claim."""
    try:
        return f"{reverse('review_queue')}?focus={claim_id}"
    except NoReverseMatch:
        return ""


# -- create, edit, submit, delete --------------------------------------------------------


def _save_form(form, service, **arguments):
    """Call `service` with `arguments` and the form's fields; a refusal is a 403 and any
    other domain error goes onto the form (and None is returned)."""
    try:
        return service(**arguments, **form.service_fields())
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return None


def _create_once(request, form, *, article, key: str | None):
    """The claim the form creates and the reader URL to go to, in one transaction with
    the form's key: `(None, url)` when the key already made one (a second click waits
    for the first and is sent to its claim), `(None, None)` when the form was refused."""
    data = form.cleaned_data
    with saving(request, key=key) as outcome:
        if key is not None:
            digest = idempotency.fingerprint(
                method=request.method, path=request.path, data=request.POST
            )
            found = idempotency.claim_key(user=request.user, key=key, fingerprint=digest, wait=True)
            if found is not None:
                return None, found.location
        suggestion = data.get("suggestion")
        claim = _save_form(
            form,
            partial(claim_create_from_suggestion, suggestion=suggestion)
            if suggestion
            else claim_create,
            user=request.user,
            article=article,
            revision=data["revision"],
            start=data["start"],
            end=data["end"],
            exact=data["exact"],
        )
        if claim is None:
            return None, None
        outcome.location = _reader_url(article.pk, claim.pk)
        if key is not None:
            idempotency.record_key(
                user=request.user,
                key=key,
                fingerprint=digest,
                status=302,
                body={"id": claim.pk},
                location=outcome.location,
            )
    return claim, outcome.location


@login_required
@require_POST
def claim_create_view(request, article_id: int):
    """The reader's side panel posts here. Errors re-render the reader with the panel open.

    The form carries a one-time `idempotency_key` (a new one each time the reader is
    rendered): a form sent twice (a double click, a retry after a lost answer) creates one
    claim, and the second answer redirects to it (`annotations.idempotency`)."""
    follow(request)  # a database lost before the commit saved nothing, and is told so
    article = get_object_or_404(
        articles_visible_to(request.user).select_related("outlet", "project"), pk=article_id
    )
    try:
        key = idempotency.clean_key(
            request.POST.get(idempotency.FORM_FIELD), field=idempotency.FORM_FIELD
        )
    except DomainError as exc:
        return bad_parameter(request, field=idempotency.FORM_FIELD, detail=exc.detail)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            claim, location = _create_once(request, form, article=article, key=key)
        except IdempotencyKeyReused as exc:
            form.add_domain_error(exc)
            claim, location = None, None
        if claim is not None:
            if claim.status == ClaimStatus.SUBMITTED:
                messages.success(request, "Claim saved and sent for review.")
            else:
                messages.success(request, "Claim saved as a draft.")
        elif location is not None:
            messages.info(request, "This form was already sent: here is the claim it saved.")
        if location is not None:
            return redirect(location)
    else:
        # A form that cannot be read is still refused as the service would refuse it.
        refuse_unless(check_create_claim, user=request.user, article=article)
    return render(
        request, "annotations/articles/reader.html", reader_context(request, article, form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_edit(request, claim_id: int):
    claim = _visible_claim(request.user, claim_id)
    refuse_unless(check_edit_claim, user=request.user, claim=claim)
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=claim)
        if form.is_valid():
            data = form.cleaned_data
            updated = _save_form(
                form, claim_update, user=request.user, claim_id=claim.pk, version=data["version"]
            )
            if updated is not None:
                submitted = (
                    form.intent == INTENT_SUBMIT
                    and can_submit_claim(request.user, claim)
                    and updated.status == ClaimStatus.SUBMITTED
                )
                if submitted:
                    messages.success(request, "Claim saved and sent for review.")
                elif updated.version == data["version"]:
                    messages.info(request, "Nothing changed.")
                elif updated.status != claim.status:
                    messages.success(
                        request,
                        f"Claim saved. It is {updated.get_status_display().lower()} again "
                        "and needs review.",
                    )
                else:
                    messages.success(request, "Claim saved.")
                return redirect("claim_detail", claim_id=claim.pk)
    else:
        form = ClaimForm(instance=claim)
    # Suggestions count offsets in the article's current text.
    current = claim.revision.text == claim.article.text
    suggest = reverse("actor_suggest") if current else ""
    return render(
        request,
        "annotations/claims/edit.html",
        {
            "claim": claim,
            "form": form,
            "excerpt": excerpt_html(claim),
            "can_submit": can_submit_claim(request.user, claim),
            "pickers": picker_context(request.user, suggest=suggest),
            "role_choices": form.role_choices,
        },
    )


def _posted_version(request) -> int | None:
    return number_param(request.POST, "version", maximum=MAX_NUMBER)


def _transition(request, claim, change, success: str) -> bool:
    """Run a submit or delete posted from a claim page; failures become messages."""
    version = _posted_version(request)
    return run_posted_change(
        request, lambda: change(user=request.user, claim_id=claim.pk, version=version), success
    )


def _transition_view(request, claim_id: int, change, success: str, *, done=None):
    """A posted submit or delete: back to the claim, or on success to `done(claim)`."""
    if _posted_version(request) is None:
        return HttpResponseBadRequest("The claim's version is missing.")
    claim = _visible_claim(request.user, claim_id)
    if _transition(request, claim, change, success) and done is not None:
        return redirect(done(claim))
    return redirect("claim_detail", claim_id=claim.pk)


@login_required
@require_POST
def claim_submit_view(request, claim_id: int):
    return _transition_view(request, claim_id, claim_submit, "Claim sent for review.")


@login_required
@require_POST
def claim_delete_view(request, claim_id: int):
    return _transition_view(
        request,
        claim_id,
        claim_delete,
        "Draft deleted.",
        done=lambda claim: _reader_url(claim.article_id),
    )


urlpatterns = [
    path("articles/<int:article_id>/claims/new/", claim_create_view, name="claim_create"),
    path("claims/<int:claim_id>/", claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/edit/", claim_edit, name="claim_edit"),
    path("claims/<int:claim_id>/submit/", claim_submit_view, name="claim_submit"),
    path("claims/<int:claim_id>/delete/", claim_delete_view, name="claim_delete"),
]
