"""Actor and source pages: who may see and change what, and what they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Actor, ActorRole, Certainty, ClaimEvent, ClaimStatus, EventKind
from articles.models import Source, SourceKind
from tests.annotations.registry.conftest import DENIAL, SANCTIONS, add_claim
from tests.factories import ActorFactory, ArticleFactory, SourceFactory

READ, ADD, EDIT = "read", "add", "edit"
PAGES = [
    ("actor_list", None, READ),
    ("actor_detail", "actor", READ),
    ("actor_create", None, ADD),
    ("actor_edit", "actor", EDIT),
    ("actor_merge", "actor", EDIT),
    ("actor_duplicates", None, EDIT),
    ("source_list", None, READ),
    ("source_detail", "source", READ),
    ("source_create", None, ADD),
    ("source_edit", "source", EDIT),
]
ALLOWED = {
    "reader": {READ},
    "reviewer": {READ},
    "researcher": {READ, ADD},
    "editor": {READ, ADD, EDIT},
    "superuser": {READ, ADD, EDIT},
}


@pytest.fixture
def source(db):
    return SourceFactory(name="Foreign Policy", url="https://foreignpolicy.com/albania-iran")


def page_url(name, target, actors, source):
    if target == "actor":
        return reverse(name, args=[actors.iran.pk])
    if target == "source":
        return reverse(name, args=[source.pk])
    return reverse(name)


@pytest.mark.parametrize(("name", "target", "needs"), PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, actors, source, name, target, needs):
    url = page_url(name, target, actors, source)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize(("name", "target", "needs"), PAGES)
def test_pages_by_role(request, client, actors, source, role, name, target, needs):
    client.force_login(request.getfixturevalue(role))
    response = client.get(page_url(name, target, actors, source))
    assert response.status_code == (200 if needs in ALLOWED[role] else 403)


def test_unknown_actor_and_source_are_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("actor_detail", args=[10**9])).status_code == 404
    assert client.get(reverse("source_edit", args=[10**9])).status_code == 404


# --- Actor list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tehran", "Iran"),
        ("washington", "United States"),
        ("Tirana", "Albania"),
        ("Tiranë", "Albania"),
        ("tirane", "Albania"),
    ],
)
def test_actor_list_finds_actors_by_alias(client, reader, actors, query, expected):
    actors.albania.aliases.create(name="Tirana")
    client.force_login(reader)
    response = client.get(reverse("actor_list"), {"q": query})
    assert response.status_code == 200
    assert [actor.name for actor in response.context["page"]] == [expected]


def test_actor_list_filters_by_kind_and_paginates(client, reader, actors):
    for n in range(60):
        ActorFactory(name=f"Official {n:02}", kind="person")
    client.force_login(reader)
    response = client.get(reverse("actor_list"), {"kind": "person"})
    page = response.context["page"]
    assert page.paginator.count == 61  # Edi Rama too
    assert len(page.object_list) == 50
    assert page.next_query == "?kind=person&page=2"
    second = client.get(reverse("actor_list") + page.next_query).context["page"]
    assert len(second.object_list) == 11


def test_a_registry_search_is_counted_up_to_the_searchs_limit(client, reader, actors, monkeypatch):
    """Searched, the actor and source lists count as the API's lists do: up to the
    search's limit, saying so; unsearched, exactly."""
    from search.selectors import SearchPaginator

    for n in range(4):
        ActorFactory(name=f"Zephyrine official {n}", kind="person")
    client.force_login(reader)
    monkeypatch.setattr(SearchPaginator, "limit", 3)
    response = client.get(reverse("actor_list"), {"q": "Zephyrine"})
    assert response.context["page"].paginator.capped
    count = response.content.decode().split('data-testid="registry-count">')[1].split("</p>")[0]
    assert count.startswith("3+ actors matching") and "narrow the search" in count
    everyone = client.get(reverse("actor_list")).context["page"].paginator
    assert everyone.count == Actor.objects.count() > 3


def test_actor_names_are_escaped(client, reader, db):
    ActorFactory(name="<script>alert('x')</script>", aliases=["<b>bold</b>"])
    client.force_login(reader)
    html = client.get(reverse("actor_list")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


# --- Actor page ----------------------------------------------------------------------------


@pytest.fixture
def example_claims(actors, researcher, other_researcher):
    article = ArticleFactory()
    accusation = add_claim(
        author=researcher,
        article=article,
        claimant=actors.rama,
        actors=[(actors.iran, ActorRole.ACCUSED), (actors.albania, ActorRole.TARGET)],
    )
    denial = add_claim(
        author=researcher,
        article=article,
        claimant=actors.iran,
        exact=DENIAL,
        statement="Iran did not attack Albania.",
        certainty=Certainty.DENIED,
        status=ClaimStatus.APPROVED,
        actors=[(actors.iran, ActorRole.DENIER)],
    )
    sanctions = add_claim(
        author=researcher,
        article=article,
        claimant=actors.united_states,
        exact=SANCTIONS,
        statement="The Ministry took part in the attacks.",
        certainty=Certainty.ALLEGED,
        actors=[(actors.ministry, ActorRole.ACCUSED)],
    )
    private = add_claim(
        author=other_researcher,
        article=article,
        claimant=actors.iran,
        statement="A draft nobody else may see.",
        status=ClaimStatus.DRAFT,
        actors=[(actors.albania, ActorRole.ACCUSED)],
    )
    return {"accusation": accusation, "denial": denial, "sanctions": sanctions, "draft": private}


def test_actor_page_shows_claims_made_about_and_denials(client, researcher, actors, example_claims):
    client.force_login(researcher)
    response = client.get(reverse("actor_detail", args=[actors.iran.pk]))
    context = response.context
    assert [c.pk for c in context["made"]] == [example_claims["denial"].pk]
    assert [c.pk for c in context["about"]] == [
        example_claims["denial"].pk,
        example_claims["accusation"].pk,
    ]
    roles = {c.pk: [link.role for link in c.subject_links] for c in context["about"]}
    assert roles[example_claims["accusation"].pk] == ["accused"]
    assert [c.pk for c in context["denials"]] == [example_claims["denial"].pk]
    claims = context["claims"]
    assert claims.status_counts == {"submitted": 1, "approved": 1}
    assert claims.role_counts["claimant"] == 1
    assert claims.role_counts["accused"] == 1
    assert claims.role_counts["denier"] == 1
    assert [(p["claimant"], p["accused"], p["claims"]) for p in claims.accusations] == [
        ("Edi Rama", "Iran", 1)
    ]
    html = response.content.decode()
    assert "A draft nobody else may see." not in html
    assert "Include its parts" in html


def test_actor_page_includes_childrens_claims_on_request(client, reader, actors, example_claims):
    client.force_login(reader)
    url = reverse("actor_detail", args=[actors.iran.pk])
    alone = client.get(url).context
    assert example_claims["sanctions"].pk not in [c.pk for c in alone["about"]]

    response = client.get(url, {"include_children": "1"})
    family = response.context
    assert family["include_children"]
    # Summed over Iran and its part, and the page says so.
    assert 'data-testid="summed-note"' in response.content.decode()
    assert 'data-testid="summed-note"' not in client.get(url).content.decode()
    assert example_claims["sanctions"].pk in [c.pk for c in family["about"]]
    pairs = {(p["claimant"], p["accused"]) for p in family["claims"].accusations}
    assert pairs == {("Edi Rama", "Iran"), ("United States", "Iran's Ministry of Intelligence")}


def test_authors_see_their_own_drafts_on_actor_pages(
    client, other_researcher, actors, example_claims
):
    client.force_login(other_researcher)
    response = client.get(reverse("actor_detail", args=[actors.albania.pk]))
    assert example_claims["draft"].pk in [c.pk for c in response.context["about"]]
    assert "A draft nobody else may see." in response.content.decode()


def build_claims(n, *, actors, author, source):
    """n claims naming Iran and one of its parts in every way, citing `source`."""
    child = ActorFactory._meta.model.objects.filter(parent=actors.iran, name="Unit").first()
    child = child or ActorFactory(name="Unit", parent=actors.iran)
    article = ArticleFactory()
    for i in range(n):
        claimant = (actors.iran, child, actors.rama)[i % 3]
        add_claim(
            author=author,
            article=article,
            claimant=claimant,
            status=(ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)[i % 2],
            certainty=(Certainty.ALLEGED, Certainty.DENIED)[i % 2],
            actors=[
                (actors.iran, ActorRole.ACCUSED),
                (child, ActorRole.DENIER),
                (actors.albania, ActorRole.TARGET),
            ],
            sources=[(source, f"p. {i}"), (source, f"p. {i + 1}")],
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("params", ["", "?include_children=1"])
def test_actor_page_queries_do_not_grow_with_claims(
    client, researcher, actors, source, django_assert_num_queries, params
):
    client.force_login(researcher)
    url = reverse("actor_detail", args=[actors.iran.pk]) + params
    build_claims(4, actors=actors, author=researcher, source=source)
    first = count_queries(client, url)
    build_claims(4, actors=actors, author=researcher, source=source)
    with django_assert_num_queries(first):
        response = client.get(url)
    # With its part, each claim counts once for Iran and once for the part it names.
    assert response.context["claims"].total == (16 if params else 8)
    assert response.context["about"].count == (16 if params else 8)


def test_source_page_queries_do_not_grow_with_claims(
    client, researcher, actors, source, django_assert_num_queries
):
    client.force_login(researcher)
    url = reverse("source_detail", args=[source.pk])
    build_claims(4, actors=actors, author=researcher, source=source)
    first = count_queries(client, url)
    build_claims(4, actors=actors, author=researcher, source=source)
    with django_assert_num_queries(first):
        response = client.get(url)
    assert response.context["claims"].count == 8


def test_source_page_lists_the_claims_citing_it_with_locators(client, researcher, actors, source):
    claim = add_claim(
        author=researcher, claimant=actors.rama, sources=[(source, "para. 4"), (source, "")]
    )
    add_claim(author=researcher, claimant=actors.iran, exact=DENIAL)
    client.force_login(researcher)
    response = client.get(reverse("source_detail", args=[source.pk]))
    claims = list(response.context["claims"])
    assert [c.pk for c in claims] == [claim.pk]
    assert [link.locator for link in claims[0].citations] == ["para. 4", ""]
    assert "para. 4" in response.content.decode()


# --- Editing -------------------------------------------------------------------------------


def test_editor_edits_an_actor_with_aliases_one_per_line(client, editor, actors):
    client.force_login(editor)
    url = reverse("actor_edit", args=[actors.iran.pk])
    form = client.get(url).context["form"]
    assert form.initial["aliases"] == "Tehran\nthe Iranian state"
    response = client.post(
        url,
        {
            "name": "Iran",
            "kind": "state",
            "aliases": "Tehran\r\n\r\nthe Iranian state\r\nIslamic Republic of Iran\r\n",
            "parent": "",
            "wikidata_id": "Q794",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actor_detail", args=[actors.iran.pk])
    actors.iran.refresh_from_db()
    assert actors.iran.wikidata_id == "Q794"
    assert sorted(actors.iran.aliases.values_list("name", flat=True)) == [
        "Islamic Republic of Iran",
        "Tehran",
        "the Iranian state",
    ]


def test_edit_form_shows_service_errors_on_their_field(client, editor, actors):
    client.force_login(editor)
    response = client.post(
        reverse("actor_edit", args=[actors.iran.pk]),
        {"name": "Iran", "kind": "state", "parent": "MOIS", "wikidata_id": "Q-1"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "parent" in errors  # the ministry is part of Iran: a cycle
    actors.iran.refresh_from_db()
    assert actors.iran.parent is None


def test_researcher_cannot_post_an_actor_edit(client, researcher, actors):
    client.force_login(researcher)
    response = client.post(
        reverse("actor_edit", args=[actors.iran.pk]), {"name": "Persia", "kind": "state"}
    )
    assert response.status_code == 403
    actors.iran.refresh_from_db()
    assert actors.iran.name == "Iran"


def test_researcher_creates_an_actor_from_the_page(client, researcher, actors):
    client.force_login(researcher)
    response = client.post(
        reverse("actor_create"),
        {"name": "Microsoft", "kind": "organisation", "aliases": "MSFT", "parent": ""},
    )
    microsoft = Actor.objects.get(name="Microsoft")
    assert response["Location"] == reverse("actor_detail", args=[microsoft.pk])
    assert list(microsoft.aliases.values_list("name", flat=True)) == ["MSFT"]


# --- Merging -------------------------------------------------------------------------------


def test_merge_page_previews_then_merges(client, editor, actors, researcher):
    persia = ActorFactory(name="Islamic Republic of Iran", aliases=["IRI"])
    claim = add_claim(author=researcher, claimant=actors.rama, actors=[(persia, ActorRole.ACCUSED)])
    client.force_login(editor)
    url = reverse("actor_merge", args=[persia.pk])

    preview = client.get(url, {"into": actors.iran.pk})
    assert preview.status_code == 200
    facts = preview.context["preview"]
    assert (facts.claims, facts.role_links, facts.aliases.new) == (
        1,
        1,
        ["Islamic Republic of Iran"],
    )
    assert Actor.objects.filter(pk=persia.pk).exists()

    done = client.post(url, {"into": str(actors.iran.pk), "confirm": "1"})
    assert done.status_code == 302
    assert done["Location"] == reverse("actor_detail", args=[actors.iran.pk])
    assert not Actor.objects.filter(pk=persia.pk).exists()
    assert ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.MERGED).count() == 1


def test_merge_page_accepts_a_name_and_refuses_a_descendant(client, editor, actors):
    client.force_login(editor)
    url = reverse("actor_merge", args=[actors.iran.pk])
    response = client.post(url, {"into": "MOIS", "confirm": "1"})
    assert response.status_code == 200
    assert "into" in response.context["form"].errors
    assert Actor.objects.filter(pk=actors.iran.pk).exists()
    response = client.post(url, {"into": "Iran"})
    assert "into" in response.context["form"].errors


def test_researcher_cannot_merge_from_the_page(client, researcher, actors):
    client.force_login(researcher)
    response = client.post(
        reverse("actor_merge", args=[actors.albania.pk]),
        {"into": str(actors.iran.pk), "confirm": "1"},
    )
    assert response.status_code == 403
    assert Actor.objects.filter(pk=actors.albania.pk).exists()


def test_duplicates_page_links_to_merges(client, editor, actors):
    copy = ActorFactory(name="ALBANIA")
    client.force_login(editor)
    response = client.get(reverse("actor_duplicates"))
    assert response.context["total"] == 1
    html = response.content.decode()
    assert f"{reverse('actor_merge', args=[copy.pk])}?into={actors.albania.pk}" in html


# --- Sources -------------------------------------------------------------------------------


def test_source_create_page_names_the_existing_source_for_a_known_url(client, researcher, source):
    client.force_login(researcher)
    response = client.post(
        reverse("source_create"),
        {"name": "FP", "kind": "outlet", "url": "HTTPS://ForeignPolicy.com/albania-iran/"},
    )
    assert response.status_code == 200
    assert response.context["duplicate"] == source
    assert "url" in response.context["form"].errors
    assert Source.objects.count() == 1


def test_editor_edits_a_source(client, editor, source):
    client.force_login(editor)
    response = client.post(
        reverse("source_edit", args=[source.pk]),
        {"name": "Foreign Policy", "kind": SourceKind.OUTLET, "url": source.url, "notes": "US"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.notes == "US"


def test_source_list_searches_names(client, reader, source):
    SourceFactory(name="Reuters")
    client.force_login(reader)
    response = client.get(reverse("source_list"), {"q": "foreign"})
    assert [s.name for s in response.context["page"]] == ["Foreign Policy"]


# --- Suggestions for the claim form ----------------------------------------------------------


def suggest(client, **params):
    return client.get(reverse("actor_suggest"), params)


def test_suggest_endpoint_puts_the_passages_actors_first(client, researcher, actors):
    article = ArticleFactory()
    start = article.text.index("Tehran rejected")
    client.force_login(researcher)
    response = suggest(client, article=article.pk, start=start, end=start + 15)
    assert response.status_code == 200
    first = response.json()["actors"][0]
    assert first == {
        "id": actors.iran.pk,
        "name": "Iran",
        "kind": "state",
        "matched": "Tehran",
        "found_in": "passage",
    }
    found_in = {a["name"]: a["found_in"] for a in response.json()["actors"]}
    assert found_in["Albania"] == "sentence"  # "... said Iran had never attacked Albania."
    assert found_in["Edi Rama"] == "text"


@pytest.mark.parametrize(
    ("query", "name", "matched"),
    [
        ("Tehran", "Iran", "Tehran"),
        ("washington", "United States", "Washington"),
        ("Tirana", "Albania", "Tirana"),
        ("tiranë", "Albania", "Tiranë"),
    ],
)
def test_suggest_endpoint_searches_aliases(client, reader, actors, query, name, matched):
    actors.albania.aliases.create(name="Tirana")
    client.force_login(reader)
    response = suggest(client, q=query)
    assert response.status_code == 200
    assert [(a["name"], a["matched"]) for a in response.json()["actors"]][:1] == [(name, matched)]


def test_suggest_endpoint_answers_errors_as_json(client, reader, actors):
    article = ArticleFactory()
    response = suggest(client, article=article.pk)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"

    client.force_login(reader)
    assert suggest(client, article=10**9, start=0, end=1).status_code == 404
    not_a_number = suggest(client, article="x")
    assert not_a_number.status_code == 400
    assert not_a_number.json()["errors"][0]["field"] == "article"
    bad = suggest(client, article=article.pk, start=5, end=10**6)
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "end"
    assert suggest(client, article=article.pk, start="one").status_code == 400


def _add_actors(count, offset):
    for n in range(offset, offset + count):
        ActorFactory(name=f"Ministry number {n}", aliases=[f"Office {n}", f"Bureau {n}"])


def _add_sources(count, offset):
    for n in range(offset, offset + count):
        SourceFactory(name=f"Outlet number {n}", url=f"https://outlet{n}.example/")


@pytest.mark.parametrize(
    ("name", "params", "add"),
    [
        ("actor_list", "", _add_actors),
        ("actor_list", "?q=ministry", _add_actors),
        ("source_list", "", _add_sources),
        ("source_list", "?q=outlet", _add_sources),
    ],
)
def test_registry_list_queries_do_not_grow_with_rows(
    client, researcher, django_assert_num_queries, name, params, add
):
    client.force_login(researcher)
    url = reverse(name) + params
    add(5, 0)
    first = count_queries(client, url)
    add(5, 5)
    with django_assert_num_queries(first):
        response = client.get(url)
    assert len(response.context["page"]) >= 10


def test_actor_suggestions_queries_do_not_grow_with_actors(
    client, researcher, django_assert_num_queries
):
    client.force_login(researcher)
    url = reverse("actor_suggest") + "?q=ministry&limit=50"
    _add_actors(5, 0)
    first = count_queries(client, url)
    _add_actors(5, 5)
    with django_assert_num_queries(first):
        response = client.get(url)
    assert len(response.json()["actors"]) == 10


@pytest.mark.parametrize("query", ["iran", "tehran", "the", "i"])
def test_the_page_and_the_api_rank_actors_alike(client, researcher, actors, query):
    from rest_framework.test import APIClient

    ActorFactory(name="Iranian Cyber Army")
    ActorFactory(name="Tirana Iron Works", aliases=["Iran Street Works"])
    client.force_login(researcher)
    page = [a.name for a in client.get(reverse("actor_list"), {"q": query}).context["page"]]
    api = APIClient()
    api.force_authenticate(researcher)
    body = api.get(reverse("v1:actor-list"), {"q": query, "page_size": 200}).json()

    assert page == [a["name"] for a in body["results"]]
    assert page
    if query == "iran":
        assert page[0] == "Iran"


@pytest.mark.parametrize("query", ["foreign", "fp.example", "Slate"])
def test_the_page_and_the_api_search_the_same_source_fields(client, researcher, query):
    from rest_framework.test import APIClient

    SourceFactory(name="Foreign Policy", url="https://fp.example/", publisher="Slate Group")
    SourceFactory(name="Other outlet", url="https://other.example/")
    client.force_login(researcher)
    page = [s.name for s in client.get(reverse("source_list"), {"q": query}).context["page"]]
    api = APIClient()
    api.force_authenticate(researcher)
    body = api.get(reverse("v1:source-list"), {"q": query}).json()

    assert page == [s["name"] for s in body["results"]] == ["Foreign Policy"]


@pytest.mark.parametrize(("name", "param"), [("actor_list", "kind"), ("source_list", "kind")])
def test_an_unknown_kind_is_refused_on_the_page_as_in_the_api(client, researcher, name, param):
    client.force_login(researcher)
    response = client.get(reverse(name), {param: "planet"})
    assert response.status_code == 400
    assert f"{param}:" in response.content.decode()
