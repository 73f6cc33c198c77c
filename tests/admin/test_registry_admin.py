"""Actors, their aliases and sources edited in the admin are saved by the registry
services, as on the registry pages and through the API: names cleaned, Wikidata ids
normalised and checked, URLs normalised, the mention index rebuilt."""

import pytest
from django.urls import reverse

from annotations import mention_cache
from annotations.models import Actor, ActorKind
from annotations.text import fold
from articles.models import Source, SourceKind
from tests.admin.change_form import add_row, form_errors, submitted_form
from tests.factories import ActorFactory, SourceFactory

pytestmark = pytest.mark.django_db

TRACKED_URL = "HTTP://Example.org:80/report/?utm_source=mail&b=2&a=1#top"


def test_admin_adds_an_actor_as_the_registry_services_do(
    staff_editor, logged_in, django_capture_on_commit_callbacks
):
    browser = logged_in(staff_editor)
    add = reverse("admin:annotations_actor_add")
    data = submitted_form(browser.get(add))
    data.update(
        name="  Edi   Rama ",
        kind=ActorKind.PERSON,
        wikidata_id="https://www.wikidata.org/wiki/q57403",
    )
    data["aliases-0-name"] = "Rama"
    add_row(data, "aliases", name=" rama ")  # the same name, folded: kept once
    add_row(data, "aliases", name="EDI RAMA")  # the actor's own name: not an alias

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = browser.post(add, data)

    assert response.status_code == 302, form_errors(response)
    actor = Actor.objects.get(wikidata_id="Q57403")
    assert (actor.name, actor.folded) == ("Edi Rama", fold("Edi Rama"))
    assert [(a.name, a.folded) for a in actor.aliases.all()] == [("Rama", fold("Rama"))]
    # Every process is told to rebuild its mention index, once the actor is committed.
    assert mention_cache.registry_changed in callbacks


def test_admin_changes_aliases_and_wikidata_id_through_the_service(staff_editor, logged_in):
    iran = ActorFactory(name="Iran", kind=ActorKind.STATE, aliases=["Tehran", "the Iranian state"])
    browser = logged_in(staff_editor)
    change = reverse("admin:annotations_actor_change", args=[iran.pk])
    data = submitted_form(browser.get(change))
    assert data["aliases-0-name"] == "Tehran"
    data["aliases-0-DELETE"] = "on"
    add_row(data, "aliases", name=" Persia ")
    data["wikidata_id"] = "q794"

    response = browser.post(change, data)

    assert response.status_code == 302, form_errors(response)
    iran.refresh_from_db()
    assert iran.wikidata_id == "Q794"
    assert [(a.name, a.folded) for a in iran.aliases.all()] == [
        ("Persia", fold("Persia")),
        ("the Iranian state", fold("the Iranian state")),
    ]


def test_admin_refuses_a_wikidata_id_another_actor_has(staff_editor, logged_in):
    iran = ActorFactory(name="Iran", wikidata_id="Q794")
    other = ActorFactory(name="Persia")
    browser = logged_in(staff_editor)
    change = reverse("admin:annotations_actor_change", args=[other.pk])
    data = submitted_form(browser.get(change))
    data.update(name="Persia, renamed", wikidata_id="q794")

    response = browser.post(change, data)

    assert response.status_code == 200
    assert form_errors(response)["wikidata_id"] == [
        f"Q794 is already the Wikidata id of Iran (id {iran.pk})."
    ]
    other.refresh_from_db()
    assert (other.name, other.wikidata_id) == ("Persia", "")


def test_admin_stores_a_source_url_as_the_api_does(staff_editor, logged_in, api_as):
    browser = logged_in(staff_editor)
    add = reverse("admin:articles_source_add")
    data = submitted_form(browser.get(add))
    data.update(name="  Mandiant   report ", kind=SourceKind.INVESTIGATION, url=TRACKED_URL)

    response = browser.post(add, data)

    assert response.status_code == 302, form_errors(response)
    source = Source.objects.get(name="Mandiant report")
    assert source.url == "http://example.org/report/?a=1&b=2"
    # The API normalises the same address to the same URL, so it finds it taken.
    answer = api_as(staff_editor).post(
        reverse("v1:source-list"),
        {"name": "Copy", "kind": SourceKind.OTHER, "url": TRACKED_URL},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "duplicate"


def test_admin_shows_a_taken_source_url_on_the_form(staff_editor, logged_in):
    SourceFactory(name="Reuters", url="https://example.org/a")
    other = SourceFactory(name="AP", url="https://example.org/b")
    browser = logged_in(staff_editor)
    change = reverse("admin:articles_source_change", args=[other.pk])
    data = submitted_form(browser.get(change))
    data["url"] = "example.org/a?utm_campaign=x"

    response = browser.post(change, data)

    assert response.status_code == 200
    [error] = form_errors(response)["url"]
    assert error.startswith("This URL is already the source Reuters")
    other.refresh_from_db()
    assert other.url == "https://example.org/b"
