"""The claims page: every claim the user may read, across articles, with the API's claim
filters as a form (the shared `ClaimFilter`), sortable, paged, counted.

The count stops at `COUNT_LIMIT` ("1,000+") and pages are read with one row more than
shown to know if there is a next one, so a desk of half a million claims costs the same
page as a small one.

The actor, claimant and source are chosen by name: a type-ahead picker (the claim form's,
`static/claimdesk/claim_filters.js`) fills in the id; without it, or when a name is typed
and sent without choosing, the server takes the best match of the registry's own search
(`*_label`), or says on the field that nothing is named so. Ids in the address (links
from actor, source and article pages) are read as before.
"""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from annotations.filters import ClaimFilter
from annotations.params import page_param
from annotations.selectors import claims_visible_to
from annotations.selectors.actors import actor_list
from annotations.selectors.sources import source_list
from annotations.text import fold
from annotations.views.pickers import picker_endpoints
from claimdesk.counting import bounded_count, count_label
from claimdesk.replica import lag_tolerant

CLAIMS_PER_PAGE = 50
COUNT_LIMIT = 1000
SORTS = {
    "-created": ("Newest first", ("-created", "-pk")),
    "created": ("Oldest first", ("created", "pk")),
    "-modified": ("Recently changed", ("-modified", "-pk")),
    "-reviewed_at": ("Recently reviewed", ("-reviewed_at", "-pk")),
    "status": ("By status", ("status", "-created", "-pk")),
}
# Ids that arrive from links on article and desk pages.
ID_FIELDS = ("article", "project")
# Chosen by name (a picker over the registry's search; a select of every actor of the
# registry would weigh more than the page): the field, and what a typed name looks up.
PICKED = {"actor": "actor", "claimant": "actor", "source": "source"}
MAX_LABEL = 200


def _best_match(kind: str, label: str):
    """The registry's best match for a typed name: the actor search's first (exact name,
    then exact alias, then names that start with it), or the source named exactly so,
    else the first whose name, publisher or URL holds it."""
    if kind == "actor":
        return actor_list(filters={"q": label}).first()
    sources = source_list(filters={"q": label})
    folded = fold(label)
    exact = [source for source in sources[:20] if fold(source.name) == folded]
    return exact[0] if exact else sources.first()


def read_picked_names(data) -> tuple[dict[str, str], dict[str, str]]:
    """Turn the names typed in the actor, claimant and source boxes into ids in `data`
    (a mutable QueryDict) where no id was chosen. Returns the names typed, by field, and
    an error by field for a name that finds nothing."""
    labels, errors = {}, {}
    for field, kind in PICKED.items():
        label = data.pop(f"{field}_label", [""])[-1].strip()[:MAX_LABEL]
        if not label:
            continue
        labels[field] = label
        if (data.get(field) or "").strip():
            continue
        found = _best_match(kind, label)
        if found is None:
            errors[field] = f"No {kind} is named “{label}”."
        else:
            data[field] = str(found.pk)
    return labels, errors


def filter_form(filterset: ClaimFilter):
    """The FilterSet's form as the pages show it (ids typed, choices as boxes)."""
    form = filterset.form
    for name in ID_FIELDS:
        if name in form.fields:
            form.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 8})
    for name in ("status", "certainty", "anchor_state"):
        form.fields[name].widget = forms.CheckboxSelectMultiple(choices=form.fields[name].choices)
    for name in ("created_after", "created_before", "reviewed_after"):
        if name in form.fields:
            form.fields[name].widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
    return form


def chosen_names(filterset: ClaimFilter) -> dict[str, str]:
    """The names of the actor, claimant and source a valid filter names (one query
    each at most), shown beside their id fields."""
    names = {}
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    for field in ("actor", "claimant", "source"):
        chosen = data.get(field)
        if chosen is not None:
            names[field] = getattr(chosen, "name", str(chosen))
    return names


@login_required
@require_GET
@lag_tolerant
def claim_index(request):
    """`/claims/?status=…&actor=…&q=…&sort=…&page=…`: a bad filter value is shown on its
    field and lists nothing; it is never an error page."""
    data = request.GET.copy()
    labels, name_errors = read_picked_names(data)
    sort = data.pop("sort", ["-created"])[-1]
    if sort not in SORTS:
        sort = "-created"
    number = page_param(request.GET)
    data.pop("page", None)
    filterset = ClaimFilter(
        data=data,
        queryset=claims_visible_to(request.user),
        request=SimpleNamespace(user=request.user),
    )
    rows, count, has_next = [], 0, False
    if filterset.is_valid():  # cleans the form, so that errors can be added to it
        for field, error in name_errors.items():
            filterset.form.add_error(field, error)
    if filterset.is_valid():
        claims = filterset.qs.order_by(*SORTS[sort][1])
        # Counted in the page's own order, through the index the page reads (unordered,
        # the database took the first claims of the table, which reads it all when fewer
        # than the limit match).
        count = bounded_count(claims, COUNT_LIMIT)
        start = (number - 1) * CLAIMS_PER_PAGE
        rows = list(
            claims.select_related("article", "claimant", "author").defer(
                "article__text", "article__raw"
            )[start : start + CLAIMS_PER_PAGE + 1]
        )
        has_next = len(rows) > CLAIMS_PER_PAGE
        rows = rows[:CLAIMS_PER_PAGE]
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = params.copy()
    sort_params.pop("sort", None)
    return render(
        request,
        "annotations/claims/index.html",
        {
            "form": filter_form(filterset),
            "names": {**labels, **chosen_names(filterset)},
            "picked": PICKED,
            "pickers": picker_endpoints(),
            "rows": rows,
            "count": count,
            "count_label": count_label(count, COUNT_LIMIT),
            "number": number,
            "has_next": has_next,
            "page_query": params.urlencode(),
            "sort_query": sort_params.urlencode(),
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        },
    )


urlpatterns = [path("claims/", claim_index, name="claim_index")]
