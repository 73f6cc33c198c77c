"""Actor and source pages, and the actor suggestions of the claim form.

Every logged-in user reads; changes follow `annotations.roles` (researchers add, editors
change and merge) and go through `annotations.services.actors`. Claims are listed through
`annotations.selectors.claims_visible_to`, so drafts stay private to their author.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from annotations.actor_counts import CLAIMANT
from annotations.error_contract import answers_json
from annotations.models import Actor, ActorAlias, ActorKind
from annotations.params import MAX_NUMBER, number_param, page_param
from annotations.registry_forms import (
    ActorForm,
    ActorMergeForm,
    SourceForm,
)
from annotations.selectors.actors import actor_list as list_actors
from annotations.selectors.actors import suggest_actors
from annotations.selectors.articles import articles_visible_to
from annotations.selectors.duplicates import likely_duplicates
from annotations.selectors.registry_claims import (
    COUNT_LIMIT,
    PAIR_LIMIT,
    ClaimPage,
    actor_claim_streams,
    actor_claims,
    claim_page,
    load_claims,
    source_claim_page,
)
from annotations.selectors.sources import source_list as list_sources
from annotations.services.actors import (
    actor_create,
    actor_merge,
    actor_update,
    can_create_actor,
    can_merge_actor,
    can_update_actor,
    check_create_actor,
    check_merge_actors,
    check_update_actor,
)
from annotations.services.merge_plan import ancestor_ids, descendant_ids, merge_preview
from annotations.views.refusals import refuse_unless
from articles.models import Source, SourceKind
from articles.sources import (
    can_add_source,
    can_change_source,
    check_create_source,
    check_update_source,
    source_create,
    source_update,
)
from claimdesk.errors import DomainError, InvalidInput, NotLoggedIn
from claimdesk.forms import add_domain_error
from search.selectors import SearchPaginator

PAGE_SIZE = 50
CLAIMS_PAGE_SIZE = 25
SUGGEST_LIMIT = 8
MAX_SUGGESTIONS = 50


def _page(
    request: HttpRequest, items, *, param: str = "page", size: int = PAGE_SIZE, paginator=Paginator
):
    """One page of `items`, with `previous_query` and `next_query`: this request's query
    string pointing at the neighbouring pages (other filters and pages kept)."""
    page = paginator(items, size).get_page(page_param(request.GET, param))
    for attribute, has, number in (
        ("previous_query", page.has_previous, "previous_page_number"),
        ("next_query", page.has_next, "next_page_number"),
    ):
        query = None
        if has():
            params = request.GET.copy()
            params[param] = getattr(page, number)()
            query = "?" + params.urlencode()
        setattr(page, attribute, query)
    return page


def _keyset_page(request: HttpRequest, param: str, fetch) -> ClaimPage:
    """A page of claims newest first, after `?<param>_after=` or before `?<param>_before=`
    a claim id (the first page without either), with `previous_query` and `next_query`
    pointing at its neighbours (other parameters kept). `fetch(before=, after=)` reads it."""
    before_name, after_name = f"{param}_before", f"{param}_after"
    before = number_param(request.GET, before_name)
    after = None if before is not None else number_param(request.GET, after_name)
    page = fetch(before=before, after=after)
    for attribute, cursor, name, other in (
        ("previous_query", page.newer, after_name, before_name),
        ("next_query", page.older, before_name, after_name),
    ):
        query = None
        if cursor is not None:
            params = request.GET.copy()
            params.pop(other, None)
            params[name] = cursor
            query = "?" + params.urlencode()
        setattr(page, attribute, query)
    return page


# --- Actors --------------------------------------------------------------------------------


@login_required
@require_GET
def actor_list(request: HttpRequest) -> HttpResponse:
    return _registry_list(
        request,
        list_actors(filters=request.GET),
        "annotations/registry/actor_list.html",
        kinds=ActorKind.choices,
        can_add=can_create_actor(request.user),
        # The duplicates page is where merges start.
        can_manage=can_merge_actor(request.user),
    )


def _registry_list(request: HttpRequest, rows, template: str, **context) -> HttpResponse:
    """A page of a registry list with its search form filled in as the request asked."""
    query = request.GET.get("q", "").strip()
    context.update(
        # Under a search, counted as the API's lists count it: up to the search's limit.
        page=_page(request, rows, paginator=SearchPaginator if query else Paginator),
        query=query,
        kind=request.GET.get("kind", ""),
    )
    return render(request, template, context)


def _with_roles_of(page, actor_ids: set[int]):
    """Give each claim of the page `subject_links`: its links to the actors shown."""
    for claim in page:
        claim.subject_links = [
            link for link in claim.actor_links.all() if link.actor_id in actor_ids
        ]
    return page


@login_required
@require_GET
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(
        Actor.objects.select_related("parent").prefetch_related(
            Prefetch("aliases", queryset=ActorAlias.objects.order_by("name", "pk"))
        ),
        pk=pk,
    )
    include_children = request.GET.get("include_children") == "1"
    actor_ids = [actor.pk]
    if include_children:
        actor_ids += descendant_ids(actor.pk)
    claims = actor_claims(user=request.user, actor_ids=actor_ids)
    streams = actor_claim_streams(user=request.user, actor_ids=actor_ids)
    subjects = set(actor_ids)

    # The kept counts give the sizes of two lists; denials are counted by walking them.
    known = {"made": claims.role_counts[CLAIMANT], "about": claims.linked, "denials": None}

    lists = {
        name: _keyset_page(
            request,
            name,
            lambda name=name, **cursor: claim_page(
                streams[name], size=CLAIMS_PAGE_SIZE, count=known[name], load=False, **cursor
            ),
        )
        for name in ("made", "about", "denials")
    }
    load_claims(list(lists.values()))

    return render(
        request,
        "annotations/registry/actor_detail.html",
        {
            "actor": actor,
            "children": actor.children.order_by("name", "pk"),
            "include_children": include_children,
            "family_size": len(actor_ids),
            "claims": claims,
            "made": lists["made"],
            "about": _with_roles_of(lists["about"], subjects),
            "denials": _with_roles_of(lists["denials"], subjects),
            "pair_limit": PAIR_LIMIT,
            "count_limit": COUNT_LIMIT,
            "can_manage": can_update_actor(request.user),
            "can_merge": can_merge_actor(request.user),
        },
    )


def _save_record(request, form, service, *, verb: str, detail: str, **arguments):
    """Run the service of a registry form. Success: a message and the redirect to the record,
    `(response, None)`; a domain error goes onto the form: `(None, error)`."""
    try:
        record = service(user=request.user, **arguments, **form.service_fields())
    except DomainError as exc:
        add_domain_error(form, exc)
        return None, exc
    messages.success(request, f"{verb} {record.name}.")
    return redirect(detail, record.pk), None


@login_required
@require_http_methods(["GET", "POST"])
def actor_create_page(request: HttpRequest) -> HttpResponse:
    refuse_unless(check_create_actor, user=request.user)
    form = ActorForm(request.POST or None, initial={"name": request.GET.get("name", "")})
    if request.method == "POST" and form.is_valid():
        done, _ = _save_record(request, form, actor_create, verb="Added", detail="actor_detail")
        if done is not None:
            return done
    return render(request, "annotations/registry/actor_form.html", {"form": form, "actor": None})


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(check_update_actor, user=request.user)
    actor = get_object_or_404(Actor.objects.select_related("parent"), pk=pk)
    form = ActorForm(request.POST or None, initial=ActorForm.initial_for(actor))
    if request.method == "POST" and form.is_valid():
        done, _ = _save_record(
            request, form, actor_update, verb="Saved", detail="actor_detail", actor_id=actor.pk
        )
        if done is not None:
            return done
    return render(request, "annotations/registry/actor_form.html", {"form": form, "actor": actor})


@login_required
@require_http_methods(["GET", "POST"])
def actor_merge_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick the actor that stays, see what will move, confirm."""
    refuse_unless(check_merge_actors, user=request.user)
    actor = get_object_or_404(Actor, pk=pk)
    data = request.POST if request.method == "POST" else None
    if data is None and request.GET.get("into"):
        data = {"into": request.GET["into"]}
    form = ActorMergeForm(data)
    preview = None
    if data is not None and form.is_valid():
        survivor = form.cleaned_data["into"]
        if survivor.pk == actor.pk:
            form.add_error("into", "Pick another actor: an actor cannot be merged into itself.")
        elif request.method == "POST" and form.cleaned_data["confirm"]:
            try:
                survivor = actor_merge(user=request.user, actor_id=actor.pk, into_id=survivor.pk)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                summary = survivor.merge_summary
                messages.success(
                    request,
                    f"Merged {actor.name} into {survivor.name}: {summary['claims']} claim(s) "
                    f"and {summary['children']} part(s) moved.",
                )
                return redirect("actor_detail", survivor.pk)
        else:
            if actor.pk in ancestor_ids(survivor.pk):
                form.add_error(
                    "into",
                    f"{survivor.name} is part of {actor.name}; merge it the other way round.",
                )
            else:
                preview = merge_preview(actor, survivor)
    return render(
        request,
        "annotations/registry/actor_merge.html",
        {"actor": actor, "form": form, "preview": preview},
    )


@login_required
@require_GET
def actor_duplicates(request: HttpRequest) -> HttpResponse:
    refuse_unless(check_merge_actors, user=request.user)
    groups = likely_duplicates()
    return render(
        request,
        "annotations/registry/actor_duplicates.html",
        {"page": _page(request, groups), "total": len(groups)},
    )


@require_GET
@answers_json
def actor_suggest(request: HttpRequest) -> JsonResponse:
    """`GET /actors/suggest/?article=<id>&start=&end=&q=&limit=`: actors for the claim form.

    The actors the article names in and around the selection come first (see
    `annotations.selectors.actors.suggest_actors`); `q` narrows to names and aliases matching it
    and fills up with search matches (then `article` may be left out). Offsets are code
    points into the article's current text; without them the whole text is the passage.
    `limit` is 8 by default, 50 at most. Answers
    `{"actors": [{"id", "name", "kind", "matched", "found_in"}]}` (`found_in`: passage,
    sentence, text or registry); 401 when not logged in, 404 for an unknown article,
    400 for bad offsets.
    """
    if not request.user.is_authenticated:
        raise NotLoggedIn("Log in first.")
    query = request.GET.get("q", "").strip()
    article_id = number_param(request.GET, "article")
    start = number_param(request.GET, "start", default=0, minimum=0, maximum=MAX_NUMBER)
    end = number_param(request.GET, "end", minimum=0, maximum=MAX_NUMBER)
    limit = number_param(request.GET, "limit", default=SUGGEST_LIMIT, maximum=MAX_NUMBER)
    text = ""
    if article_id is not None or not query:
        if article_id is None:
            raise Http404
        text = get_object_or_404(articles_visible_to(request.user).only("text"), pk=article_id).text
    end = len(text) if end is None else end
    if not start <= end <= len(text):
        raise InvalidInput(f"The range must lie within the text (0 to {len(text)}).", field="end")
    limit = min(limit, MAX_SUGGESTIONS)
    actors = suggest_actors(text=text, start=start, end=end, limit=limit, query=query)
    return JsonResponse(
        {
            "actors": [
                {
                    "id": actor.pk,
                    "name": actor.name,
                    "kind": actor.kind,
                    "matched": actor.matched,
                    "found_in": actor.found_in,
                }
                for actor in actors
            ]
        }
    )


# --- Sources -------------------------------------------------------------------------------


@login_required
@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    return _registry_list(
        request,
        list_sources(filters=request.GET),
        "annotations/registry/source_list.html",
        kinds=SourceKind.choices,
        can_add=can_add_source(request.user),
    )


@login_required
@require_GET
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    return render(
        request,
        "annotations/registry/source_detail.html",
        {
            "source": source,
            "claims": _keyset_page(
                request,
                "claims",
                lambda **cursor: source_claim_page(
                    user=request.user, source=source, size=PAGE_SIZE, **cursor
                ),
            ),
            "count_limit": COUNT_LIMIT,
            "article_count": articles_visible_to(request.user).filter(outlet=source).count(),
            "can_manage": can_change_source(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_create_page(request: HttpRequest) -> HttpResponse:
    refuse_unless(check_create_source, user=request.user)
    form = SourceForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        done, error = _save_record(
            request, form, source_create, verb="Added", detail="source_detail"
        )
        if done is not None:
            return done
        duplicate = getattr(error, "existing", None)
    return render(
        request,
        "annotations/registry/source_form.html",
        {"form": form, "source": None, "duplicate": duplicate},
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(check_update_source, user=request.user)
    source = get_object_or_404(Source, pk=pk)
    initial = {key: getattr(source, key) for key in ("name", "kind", "url", "publisher", "notes")}
    form = SourceForm(request.POST or None, initial=initial)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        done, error = _save_record(
            request, form, source_update, verb="Saved", detail="source_detail", source_id=source.pk
        )
        if done is not None:
            return done
        duplicate = getattr(error, "existing", None)
    return render(
        request,
        "annotations/registry/source_form.html",
        {"form": form, "source": source, "duplicate": duplicate},
    )


urlpatterns = [
    path("actors/", actor_list, name="actor_list"),
    path("actors/new/", actor_create_page, name="actor_create"),
    path("actors/duplicates/", actor_duplicates, name="actor_duplicates"),
    path("actors/suggest/", actor_suggest, name="actor_suggest"),
    path("actors/<int:pk>/", actor_detail, name="actor_detail"),
    path("actors/<int:pk>/edit/", actor_edit, name="actor_edit"),
    path("actors/<int:pk>/merge/", actor_merge_page, name="actor_merge"),
    path("sources/", source_list, name="source_list"),
    path("sources/new/", source_create_page, name="source_create"),
    path("sources/<int:pk>/", source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", source_edit, name="source_edit"),
]
