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

from annotations.claim_counts import approved_total
from annotations.exports import claimreview
from annotations.exports.formats import FORMATS, Export, container_query
from annotations.exports.records import Links
from annotations.filters import ClaimFilter
from annotations.models import ClaimStatus
from annotations.views.claim_index import (
    PICKED,
    chosen_names,
    filter_form,
    read_picked_names,
)
from annotations.views.pickers import picker_endpoints
from claimdesk.counting import bounded_count, count_label
from claimdesk.errors import InvalidInput
from claimdesk.replica import lag_tolerant
from projects import access

# Counted up to this many; beyond, the page says "10,000+". The export itself reads every
# claim it holds; the page that prepares it should not (ClaimReview's count of rated
# claims took 0.47 s at the large benchmark size).
COUNT_LIMIT = 10_000


def _counts(user, export: Export, format_name: str, filters) -> dict:
    """How many claims the export holds, for the page: the desks' kept count of approved
    claims when nothing is filtered, else counted up to `COUNT_LIMIT`; for ClaimReview,
    how many approved claims it leaves out for want of a rating when both counts are
    exact (None otherwise, and the page says so without a number)."""
    unfiltered = not container_query(filters)
    projects = access.readable_project_ids(user)
    if unfiltered and format_name != "claimreview":
        count = approved_total(projects)
        return {"count": count, "count_label": f"{count:,}"}
    count = bounded_count(export.queryset, COUNT_LIMIT)
    out = {"count": count, "count_label": count_label(count, COUNT_LIMIT)}
    if format_name == "claimreview":
        if unfiltered:  # the export holds the rated ones of the approved claims
            approved, rated = approved_total(projects), count
            exact = rated <= COUNT_LIMIT
        else:
            everything = Export.prepare(
                format_name="jsonl", user=user, links=export.links, filters=filters
            )
            approved_claims = everything.queryset.filter(status=ClaimStatus.APPROVED)
            approved = bounded_count(approved_claims, COUNT_LIMIT)
            rated = bounded_count(claimreview.rated_claims(approved_claims), COUNT_LIMIT)
            exact = approved <= COUNT_LIMIT and rated <= COUNT_LIMIT
        out["unrated"] = approved - rated if exact else None
    return out


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
            context.update(_counts(request.user, export, format_name, data))
            # The ids the names found, not the names: the API reads ids.
            query = data.copy()
            query["format"] = format_name
            context["download"] = f"{reverse('v1:export-claims')}?{query.urlencode()}"
        except InvalidInput as exc:
            context["error"] = exc.detail
    return render(request, "annotations/export.html", context)


urlpatterns = [path("export/", export_page, name="export_page")]
