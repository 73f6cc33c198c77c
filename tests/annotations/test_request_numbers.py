"""Every id or number a page or the API reads from a query string or form is parsed by
`annotations.params`: ASCII digits within the database's range, anything else refused
with the field named (400 for query strings, a form error for forms), never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.params import MAX_ID, InvalidParameter, number_param, whole_number
from claimdesk.errors import InvalidInput
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, make_claim

# A decimal, a superscript digit (passes `isdigit()`, fails `int()`), Arabic-Indic digits
# (`int()` reads them as 12), a number beyond any id, a NUL, a sign.
BAD = ["1.5", "\u00b2", "\u0661\u0662", "9" * 30, "1\x00", "-1"]


@pytest.mark.parametrize("value", [*BAD, "", " ", "0x10", "1e3", "+1", "1_000", str(MAX_ID + 1)])
def test_whole_number_refuses_anything_but_ascii_digits_in_range(value):
    with pytest.raises(InvalidParameter) as raised:
        whole_number(value, field="page")
    assert raised.value.field == "page"
    assert isinstance(raised.value, InvalidInput)
    assert raised.value.status == 400


@pytest.mark.parametrize(("value", "number"), [("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID)])
def test_whole_number_reads_ascii_digits(value, number):
    assert whole_number(value, field="id") == number


def test_a_missing_or_blank_parameter_is_the_default():
    assert number_param({}, "page", default=3) == 3
    assert number_param({"page": "  "}, "page", default=3) == 3
    assert number_param({"start": "0"}, "start", minimum=0) == 0


@pytest.fixture
def world(superuser):
    article = ArticleFactory(outlet=SourceFactory())
    claim = make_claim(author=superuser, article=article)
    return {
        "article": article,
        "claim": claim,
        "actor": ActorFactory(),
        "source": SourceFactory(),
    }


# (url name, its arguments from the world, the query parameter)
PAGE_PARAMETERS = [
    ("article_list", None, "outlet"),
    ("article_list", None, "page"),
    ("article_reader", "article", "claim"),
    ("article_revisions", "article", "revised"),
    ("revision_diff", "article", "from"),
    ("revision_diff", "article", "to"),
    ("orphaned_claims", None, "article"),
    ("orphaned_claims", None, "page"),
    ("orphaned_claims", None, "fuzzy_page"),
    ("review_queue", None, "focus"),
    ("review_queue", None, "page"),
    ("actor_list", None, "page"),
    ("actor_detail", "actor", "made_before"),
    ("actor_detail", "actor", "about_after"),
    ("actor_detail", "actor", "denials_before"),
    ("actor_duplicates", None, "page"),
    ("source_list", None, "page"),
    ("source_detail", "source", "claims_before"),
    ("source_detail", "source", "claims_after"),
]

JSON_PAGE_PARAMETERS = [
    ("actor_suggest", "article"),
    ("actor_suggest", "start"),
    ("actor_suggest", "end"),
    ("actor_suggest", "limit"),
]

API_PARAMETERS = [
    ("v1:claim-list", None, "article"),
    ("v1:claim-list", None, "actor"),
    ("v1:claim-list", None, "claimant"),
    ("v1:claim-list", None, "source"),
    ("v1:article-list", None, "outlet"),
    ("v1:annotation-list", None, "page"),
    ("v1:export-claims", None, "article"),
]


def _url(name, arg, world):
    return reverse(name, args=[world[arg].pk] if arg else [])


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("name", "arg", "param"), PAGE_PARAMETERS)
def test_pages_refuse_a_bad_number_naming_the_field(superuser, world, name, arg, param, value):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    response = client.get(_url(name, arg, world), {param: value})
    assert response.status_code == 400
    assert f"{param}:" in response.content.decode()


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("name", "param"), JSON_PAGE_PARAMETERS)
def test_json_of_the_pages_refuses_a_bad_number_naming_the_field(
    superuser, world, name, param, value
):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    params = {"article": world["article"].pk, param: value}
    # As the claim form's script asks: JSON errors, the NUL refused before the view too.
    response = client.get(reverse(name), params, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"code", "detail", "errors"}
    assert body["errors"][0]["field"] == param


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("name", "arg", "param"), API_PARAMETERS)
def test_api_refuses_a_bad_number_naming_the_field(superuser, world, name, arg, param, value):
    client = APIClient()
    client.force_authenticate(superuser)
    extra = {"format": "jsonl"} if name == "v1:export-claims" else {}
    response = client.get(_url(name, arg, world), {param: value, **extra})
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"code", "detail", "errors"}
    assert body["errors"][0]["field"] == param


@pytest.mark.parametrize("value", BAD)
def test_api_refuses_a_bad_version_on_delete(superuser, world, value):
    client = APIClient()
    client.force_authenticate(superuser)
    url = reverse("v1:claim-detail", args=[world["claim"].pk])
    response = client.delete(url + "?" + _query({"version": value}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "version"


def _query(params):
    from urllib.parse import urlencode

    return urlencode(params)


@pytest.mark.parametrize("value", BAD)
def test_a_bad_posted_version_is_refused_not_read_as_a_number(superuser, world, value):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    url = reverse("claim_submit", args=[world["claim"].pk])
    response = client.post(url, {"version": value})
    assert response.status_code == 400
    assert "version:" in response.content.decode()
    world["claim"].refresh_from_db()
    assert world["claim"].status == "draft"


@pytest.mark.parametrize("value", [v for v in BAD if "\x00" not in v])
@pytest.mark.parametrize(("name", "field"), [("actor_create", "parent"), ("actor_merge", "into")])
def test_actor_references_that_are_not_ids_are_form_errors(superuser, world, name, field, value):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    args = [world["actor"].pk] if name == "actor_merge" else []
    data = {"name": "Somebody", "kind": "person", field: value}
    response = client.post(reverse(name, args=args), data)
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors


@pytest.mark.parametrize("value", BAD)
def test_merge_page_reads_into_from_the_query_without_failing(superuser, world, value):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    response = client.get(reverse("actor_merge", args=[world["actor"].pk]), {"into": value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "into" in response.context["form"].errors


@pytest.mark.parametrize("value", [v for v in BAD if "\x00" not in v])
@pytest.mark.parametrize("field", ["revision", "start", "end"])
def test_claim_form_numbers_are_form_errors(superuser, world, field, value):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    article = world["article"]
    data = {
        "revision": str(article.current_revision.pk),
        "start": "0",
        "end": "4",
        "exact": article.text[:4],
        "statement": "A statement.",
        "claimant": str(world["actor"].pk),
        "certainty": "asserted",
        field: value,
    }
    response = client.post(reverse("claim_create", args=[article.pk]), data)
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
