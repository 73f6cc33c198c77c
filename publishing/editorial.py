"""The claim page's publishing panel and the two forms it posts (editors and managers).

The panel asks the services' own checks (`can_publish`, `can_unpublish`) before it
offers a form; the forms call the same services as the API, so a refusal reads the
same: a 403 page for who may not, a message for a stale version or a missing text.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_POST

from annotations.params import MAX_NUMBER, number_param
from annotations.selectors import claims_visible_to
from annotations.views.refusals import run_posted_change
from publishing.services import claim_publish, claim_unpublish


def _posted(request, claim_id: int, change, text_field: str, success: str):
    version = number_param(request.POST, "version", maximum=MAX_NUMBER)
    if version is None:
        return HttpResponseBadRequest("The claim's version is missing.")
    claim = get_object_or_404(claims_visible_to(request.user), pk=claim_id)
    run_posted_change(
        request,
        lambda: change(
            user=request.user,
            claim_id=claim.pk,
            version=version,
            **{text_field: request.POST.get(text_field, "")},
        ),
        success,
    )
    return redirect("claim_detail", claim_id=claim.pk)


@login_required
@require_POST
def publish_view(request, claim_id: int):
    return _posted(request, claim_id, claim_publish, "explanation", "Fact check published.")


@login_required
@require_POST
def unpublish_view(request, claim_id: int):
    return _posted(request, claim_id, claim_unpublish, "reason", "Fact check withdrawn.")


urlpatterns = [
    path("claims/<int:claim_id>/publish/", publish_view, name="claim_publish"),
    path("claims/<int:claim_id>/unpublish/", unpublish_view, name="claim_unpublish"),
]
