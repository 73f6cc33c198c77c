"""Source services: URL normalisation and one source per address."""

import pytest

from articles.models import Source, SourceKind
from articles.sources import normalise_url, source_create, source_update
from claimdesk.errors import DuplicateEntry, InvalidInput, NotAllowed


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("", ""),
        (
            "HTTPS://Home.Treasury.GOV/news/press-releases/jy0941",
            "https://home.treasury.gov/news/press-releases/jy0941",
        ),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org/a#section-2", "https://example.org/a"),
        ("https://example.org/", "https://example.org"),
        ("https://example.org/news/story/", "https://example.org/news/story"),
        ("https://example.org/news/?id=3", "https://example.org/news/?id=3"),
        (
            "https://example.org/a?utm_source=tw&b=2&UTM_Medium=x&fbclid=abc&a=1&gclid=z",
            "https://example.org/a?a=1&b=2",
        ),
        ("https://example.org/a/?utm_campaign=x", "https://example.org/a"),
        (
            "https://example.org/search?q=Tiran%C3%AB+2022",
            "https://example.org/search?q=Tiran%C3%AB+2022",
        ),
        (
            "  foreignpolicy.com/2022/09/08/albania-iran  ",
            "https://foreignpolicy.com/2022/09/08/albania-iran",
        ),
        ("//example.org/a", "https://example.org/a"),
        ("https://EXAMPLE.org./a", "https://example.org/a"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
    ],
)
def test_urls_are_normalised(given, stored):
    assert normalise_url(given) == stored


@pytest.mark.parametrize("bad", ["https://example.org:99999/", "https://"])
def test_urls_that_cannot_be_web_addresses_are_refused(bad):
    with pytest.raises(InvalidInput) as caught:
        normalise_url(bad)
    assert caught.value.field == "url"


def test_source_is_stored_with_the_normalised_url(researcher):
    source = source_create(
        user=researcher,
        name=" US Treasury press release ",
        kind=SourceKind.SANCTIONS_NOTICE,
        url="https://Home.Treasury.gov/news/press-releases/jy0941/?utm_source=x",
        publisher="U.S. Department of the Treasury",
    )
    source.refresh_from_db()
    assert source.name == "US Treasury press release"
    assert source.url == "https://home.treasury.gov/news/press-releases/jy0941"


def test_creating_a_source_whose_normalised_url_exists_is_a_duplicate(researcher, editor):
    existing = source_create(
        user=researcher,
        name="Foreign Policy",
        kind=SourceKind.OUTLET,
        url="https://foreignpolicy.com/2022/09/08/albania-iran/",
    )
    with pytest.raises(DuplicateEntry) as caught:
        source_create(
            user=editor,
            name="FP article",
            kind=SourceKind.OUTLET,
            url="HTTPS://FOREIGNPOLICY.COM/2022/09/08/albania-iran#top",
        )
    error = caught.value
    assert (error.code, error.field, error.existing) == ("duplicate", "url", existing)
    assert error.errors == [{"field": "url", "code": "duplicate", "detail": error.detail}]
    assert "Foreign Policy" in error.detail
    assert Source.objects.count() == 1


def test_sources_without_url_are_not_duplicates(researcher):
    for name in ("Statement by the Albanian government", "Statement by Tehran"):
        source_create(user=researcher, name=name, kind=SourceKind.OFFICIAL_STATEMENT)
    assert Source.objects.count() == 2


def test_update_refuses_the_url_of_another_source(editor):
    first = source_create(user=editor, name="A", kind=SourceKind.OUTLET, url="https://a.example/x")
    second = source_create(user=editor, name="B", kind=SourceKind.OUTLET, url="https://b.example/")
    with pytest.raises(DuplicateEntry):
        source_update(user=editor, source_id=second.pk, url="https://A.example/x/")
    # Saving a source with its own URL is not a clash.
    source_update(user=editor, source_id=first.pk, url="https://a.example/x", notes="Checked.")
    first.refresh_from_db()
    assert first.notes == "Checked."


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"name": ""}, "name"), ({"kind": "rumour"}, "kind"), ({"url": "ftp//nope"}, "url")],
)
def test_source_create_names_the_bad_field(researcher, fields, field):
    with pytest.raises(InvalidInput) as caught:
        source_create(user=researcher, **{"name": "X", "kind": SourceKind.OTHER, **fields})
    assert caught.value.errors[0]["field"] == field


def test_reader_cannot_add_sources(reader):
    with pytest.raises(NotAllowed):
        source_create(user=reader, name="X", kind=SourceKind.OTHER)


@pytest.mark.parametrize("role_fixture", ["researcher", "reviewer", "reader"])
def test_only_editors_update_sources(request, role_fixture, editor):
    source = source_create(user=editor, name="Reuters", kind=SourceKind.OUTLET)
    with pytest.raises(NotAllowed):
        source_update(user=request.getfixturevalue(role_fixture), source_id=source.pk, name="X")
    source.refresh_from_db()
    assert source.name == "Reuters"
