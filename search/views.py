"""The search page: everything the user may read that a query finds, by kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from search.query import MAX_QUERY
from search.results import search

# The best of each kind, as a web search shows them; the claims page and the article list
# page through every match ("All matching claims").
RESULTS_PER_KIND = 10


@login_required
@require_GET
def search_page(request):
    """`?q=` read as a web search engine reads it (words, "a phrase", or, -word); a query
    the search cannot read finds nothing, it is never an error."""
    text = request.GET.get("q", "")[:MAX_QUERY].strip()
    results = search(user=request.user, text=text, limit=RESULTS_PER_KIND) if text else None
    return render(
        request,
        "search/results.html",
        {"query": text, "results": results, "max_query": MAX_QUERY},
    )


urlpatterns = [path("search/", search_page, name="search")]
