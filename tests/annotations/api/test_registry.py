"""Sources and actors through the API: search, creation, edits, merges, per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Actor, ClaimActor

pytestmark = pytest.mark.django_db

ROLES = ["researcher", "reviewer", "editor", "reader"]


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["name"] for item in response.json()["results"]]


def error_fields(response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize(
    ("method", "name", "needs_id"),
    [
        ("get", "source-list", False),
        ("post", "source-list", False),
        ("get", "source-detail", True),
        ("patch", "source-detail", True),
        ("get", "actor-list", False),
        ("post", "actor-list", False),
        ("get", "actor-detail", True),
        ("patch", "actor-detail", True),
        ("post", "actor-merge", True),
    ],
)
def test_anonymous_is_asked_to_authenticate(desk, anon, method, name, needs_id):
    args = [desk.iran.pk if name.startswith("actor") else desk.outlet.pk] if needs_id else []
    response = getattr(anon, method)(reverse(f"v1:{name}", args=args), {})
    assert response.status_code == 401


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize("who", ROLES)
def test_everyone_logged_in_reads_sources(desk, as_user, request, who):
    client = as_user(request.getfixturevalue(who))
    assert "Foreign Policy" in names(client.get(reverse("v1:source-list")))
    detail = client.get(reverse("v1:source-detail", args=[desk.outlet.pk])).json()
    assert detail["url"] == "https://fp.example/"
    assert detail["kind"] == "outlet"


def test_sources_search_and_kind_filter(desk, as_user, reader):
    client = as_user(reader)
    assert names(client.get(reverse("v1:source-list") + "?q=foreign")) == ["Foreign Policy"]
    assert names(client.get(reverse("v1:source-list") + "?kind=investigation")) == [
        "Joint investigation report"
    ]
    response = client.get(reverse("v1:source-list") + "?kind=rumour")
    assert response.status_code == 400
    assert error_fields(response) == ["kind"]


def test_unknown_source_is_not_found(as_user, reader):
    assert as_user(reader).get(reverse("v1:source-detail", args=[2**40])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("researcher", 201), ("editor", 201), ("reviewer", 403), ("reader", 403)]
)
def test_researchers_and_editors_add_sources(desk, as_user, request, who, status):
    response = as_user(request.getfixturevalue(who)).post(
        reverse("v1:source-list"),
        {
            "name": "US Treasury press release",
            "kind": "sanctions_notice",
            "url": "https://treasury.example/sm1",
        },
    )
    assert response.status_code == status
    if status == 201:
        assert response.json()["name"] == "US Treasury press release"
        assert response.json()["kind"] == "sanctions_notice"


def test_source_with_a_known_url_is_refused(desk, as_user, editor):
    source = {"name": "Tirana Times", "kind": "outlet", "url": "https://tiranatimes.example/"}
    assert as_user(editor).post(reverse("v1:source-list"), source).status_code == 201
    response = as_user(editor).post(
        reverse("v1:source-list"), {**source, "name": "Tirana Times again"}
    )
    assert response.status_code == 400
    assert "url" in error_fields(response)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "outlet"}, "name"),
        ({"name": "X", "kind": "rumour"}, "kind"),
        ({"name": "X", "kind": "outlet", "url": "not a url"}, "url"),
    ],
)
def test_bad_source_input_names_the_field(as_user, editor, payload, field):
    response = as_user(editor).post(reverse("v1:source-list"), payload)
    assert response.status_code == 400
    assert field in error_fields(response)


@pytest.mark.parametrize(
    ("who", "status"), [("editor", 200), ("researcher", 403), ("reviewer", 403)]
)
def test_only_editors_change_sources(desk, as_user, request, who, status):
    response = as_user(request.getfixturevalue(who)).patch(
        reverse("v1:source-detail", args=[desk.report.pk]), {"publisher": "Albanian government"}
    )
    assert response.status_code == status
    if status == 200:
        assert response.json()["publisher"] == "Albanian government"


# --------------------------------------------------------------------------- actors


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tehran", ["Iran"]),
        ("TEHRAN", ["Iran"]),
        ("iranian state", ["Iran"]),
        ("tirane", ["Albania"]),
        ("rane", []),
        ("Tiranë", ["Albania"]),
        ("iran", ["Iran", "Iran's Ministry of Intelligence"]),
        ("edi", ["Edi Rama"]),
        ("rama", ["Edi Rama"]),
        ("ministry of", ["Iran's Ministry of Intelligence"]),
        ("nobody", []),
    ],
)
def test_actor_search_matches_names_and_aliases_ignoring_case_and_accents(
    desk, as_user, reader, query, expected
):
    response = as_user(reader).get(reverse("v1:actor-list"), {"q": query})
    assert names(response) == expected


def test_actor_answer_has_aliases_parent_and_wikidata(desk, as_user, reader):
    body = as_user(reader).get(reverse("v1:actor-detail", args=[desk.ministry.pk])).json()
    assert body["parent"] == {"id": desk.iran.pk, "name": "Iran"}
    iran = as_user(reader).get(reverse("v1:actor-detail", args=[desk.iran.pk])).json()
    assert sorted(iran["aliases"]) == ["Tehran", "the Iranian state"]
    assert iran["wikidata_id"] == "Q794"
    assert iran["kind"] == "state"


def test_actor_kind_filter(desk, as_user, reader):
    assert names(as_user(reader).get(reverse("v1:actor-list") + "?kind=person")) == ["Edi Rama"]


@pytest.mark.parametrize(
    ("who", "status"), [("researcher", 201), ("editor", 201), ("reviewer", 403), ("reader", 403)]
)
def test_researchers_and_editors_add_actors(desk, as_user, request, who, status):
    response = as_user(request.getfixturevalue(who)).post(
        reverse("v1:actor-list"),
        {
            "name": "Microsoft",
            "kind": "organisation",
            "aliases": ["Microsoft Corporation", "MSFT"],
            "wikidata_id": "Q2283",
            "description": "Helped the investigation.",
        },
        format="json",
    )
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert sorted(body["aliases"]) == ["MSFT", "Microsoft Corporation"]
        assert body["wikidata_id"] == "Q2283"


def test_actor_with_a_parent(desk, as_user, editor):
    response = as_user(editor).post(
        reverse("v1:actor-list"),
        {
            "name": "Albanian National Agency for Information Society",
            "kind": "organisation",
            "parent": desk.albania.pk,
        },
    )
    assert response.status_code == 201
    assert response.json()["parent"]["name"] == "Albania"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "kind": "person", "wikidata_id": "Z12"}, "wikidata_id"),
        ({"name": "X", "kind": "person", "parent": 2**40}, "parent"),
        ({"name": "X", "kind": "planet"}, "kind"),
        ({"kind": "person"}, "name"),
        ({"name": "X", "kind": "person", "aliases": "Tehran"}, "aliases"),
        ({"name": "X", "kind": "person", "wikidata_id": "Q794"}, "wikidata_id"),
    ],
)
def test_bad_actor_input_names_the_field(desk, as_user, editor, payload, field):
    response = as_user(editor).post(reverse("v1:actor-list"), payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in error_fields(response)


@pytest.mark.parametrize(
    ("who", "status"), [("editor", 200), ("researcher", 403), ("reviewer", 403)]
)
def test_only_editors_change_actors(desk, as_user, request, who, status):
    response = as_user(request.getfixturevalue(who)).patch(
        reverse("v1:actor-detail", args=[desk.united_states.pk]),
        {"aliases": ["Washington", "the US"], "wikidata_id": "Q30"},
        format="json",
    )
    assert response.status_code == status
    if status == 200:
        assert sorted(response.json()["aliases"]) == ["Washington", "the US"]
        assert response.json()["wikidata_id"] == "Q30"
        assert response.json()["name"] == "United States"


def test_actor_cannot_become_its_own_ancestor(desk, as_user, editor):
    response = as_user(editor).patch(
        reverse("v1:actor-detail", args=[desk.iran.pk]), {"parent": desk.ministry.pk}
    )
    assert response.status_code == 400
    assert error_fields(response) == ["parent"]


def test_editor_merges_an_actor_and_every_link_moves(desk, as_user, editor):
    duplicate = Actor.objects.create(name="Islamic Republic of Iran", kind="state")
    claim = desk["submitted"]
    ClaimActor.objects.create(claim=claim, actor=duplicate, role="mentioned")
    response = as_user(editor).post(
        reverse("v1:actor-merge", args=[duplicate.pk]), {"into": desk.iran.pk}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == desk.iran.pk
    assert "Islamic Republic of Iran" in body["aliases"]
    assert not Actor.objects.filter(pk=duplicate.pk).exists()
    assert ClaimActor.objects.filter(claim=claim, actor=desk.iran, role="mentioned").exists()
    search = as_user(editor).get(reverse("v1:actor-list"), {"q": "islamic republic"})
    assert names(search) == ["Iran"]


@pytest.mark.parametrize("who", ["researcher", "reviewer", "reader"])
def test_only_editors_merge(desk, as_user, request, who):
    response = as_user(request.getfixturevalue(who)).post(
        reverse("v1:actor-merge", args=[desk.albania.pk]), {"into": desk.iran.pk}
    )
    assert response.status_code == 403


def test_merge_into_an_unknown_actor_names_the_field(desk, as_user, editor):
    response = as_user(editor).post(
        reverse("v1:actor-merge", args=[desk.albania.pk]), {"into": 2**40}
    )
    assert response.status_code == 400
    assert error_fields(response) == ["into"]


def test_merge_into_itself_is_refused(desk, as_user, editor):
    response = as_user(editor).post(
        reverse("v1:actor-merge", args=[desk.albania.pk]), {"into": desk.albania.pk}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_merge"


def test_merging_an_unknown_actor_is_not_found(desk, as_user, editor):
    response = as_user(editor).post(reverse("v1:actor-merge", args=[2**40]), {"into": desk.iran.pk})
    assert response.status_code == 404
