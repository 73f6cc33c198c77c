"""The export page: choose a format and the claim filters, see how many claims the
export will hold, download it. The download is the API's export
(`GET /api/v1/export/claims/`) with the same query: one export, whatever the door.

The filters are the claims page's, names included: the actor, claimant and source are
chosen with its pickers (a select of every actor of the registry weighed 1.2 MB at the
large benchmark size), and a name typed without choosing is looked up the same way; the
download link carries the ids it found."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from annotations.exports import claimreview
from annotations.exports.formats import FORMATS, Export
from annotations.exports.records import Links
from annotations.filters import ClaimFilter
from annotations.views.claim_index import (
    PICKED,
    chosen_names,
    filter_form,
    read_picked_names,
)
from annotations.views.pickers import picker_endpoints
from claimdesk.errors import InvalidInput
from claimdesk.replica import lag_tolerant


@login_required
@require_GET
@lag_tolerant
def export_page(request):
    """`/export/?format=…&<claim filters>`: the count of what will leave and a download
    link; for ClaimReview, how many approved claims are left out for want of a rating."""
    data = request.GET.copy()
    format_name = data.pop("format", [""])[-1]
    labels, name_errors = read_picked_names(data)
    filterset = ClaimFilter(
        data=data,
        queryset=ClaimFilter._meta.model.objects.none(),
        request=SimpleNamespace(user=request.user),
    )
    if filterset.is_valid():  # cleans the form, so that errors can be added to it
        for field, error in name_errors.items():
            filterset.form.add_error(field, error)
    context = {
        "form": filter_form(filterset),
        "names": {**labels, **chosen_names(filterset)},
        "picked": PICKED,
        "pickers": picker_endpoints(),
        "formats": list(FORMATS.values()),
        "chosen": format_name if format_name in FORMATS else "",
        "format_error": bool(format_name) and format_name not in FORMATS,
    }
    if context["chosen"] and filterset.is_valid():
        try:
            export = Export.prepare(
                format_name=format_name,
                user=request.user,
                links=Links.from_request(request),
                filters=data,
            )
            context["count"] = export.count()
            if format_name == "claimreview":
                approved = Export.prepare(
                    format_name="jsonl",
                    user=request.user,
                    links=Links.from_request(request),
                    filters=data,
                ).queryset.filter(status="approved")
                context["unrated"] = approved.count() - claimreview.rated_claims(approved).count()
            # The ids the names found, not the names: the API reads ids.
            query = data.copy()
            query["format"] = format_name
            context["download"] = f"{reverse('v1:export-claims')}?{query.urlencode()}"
        except InvalidInput as exc:
            context["error"] = exc.detail
    return render(request, "annotations/export.html", context)


urlpatterns = [path("export/", export_page, name="export_page")]
