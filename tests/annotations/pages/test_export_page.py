"""The export page: the count of what will leave, the ClaimReview shortfall, a download
that is the API's export with the same filters; bad input shown, never a 500."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import UserFactory, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_pair():
    writer = UserFactory(username="writer", roles=["researcher"])
    checker = UserFactory(username="checker", roles=["reviewer"])
    claims = []
    for rating in (4, None):
        claim = make_claim(author=writer)
        claim = claim_submit(user=writer, claim_id=claim.pk, version=claim.version)
        claims.append(
            review_decide(
                user=checker,
                claim_id=claim.pk,
                version=claim.version,
                decision="approve",
                rating_value=rating,
                rating_label="Mostly true" if rating else "",
            )
        )
    make_claim(author=writer)  # a draft: not exported by default
    return writer, claims


def test_the_page_counts_what_will_leave_and_downloads_it(client, approved_pair):
    writer, _ = approved_pair
    client.force_login(writer)
    response = client.get(reverse("export_page"), {"format": "jsonl"})
    assert response.context["count"] == 2
    download = response.context["download"]
    lines = b"".join(client.get(download).streaming_content).decode().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["status"] == "approved"


def test_claimreview_says_how_many_approved_claims_lack_a_rating(client, approved_pair):
    writer, _ = approved_pair
    client.force_login(writer)
    response = client.get(reverse("export_page"), {"format": "claimreview"})
    assert response.context["count"] == 1
    assert response.context["unrated"] == 1
    assert "1 approved claim without a rating is left out" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"format": "pdf"}, {"format": "csv", "actor": "Iran"}, {"format": "csv", "status": "x"}],
)
def test_bad_input_is_shown_not_failed(client, approved_pair, params):
    writer, _ = approved_pair
    client.force_login(writer)
    response = client.get(reverse("export_page"), params)
    assert response.status_code == 200
    assert "download" not in response.context


def test_a_claimant_typed_by_name_is_exported_by_its_id(client, approved_pair):
    writer, claims = approved_pair
    named = claims[0].claimant
    client.force_login(writer)
    response = client.get(reverse("export_page"), {"format": "jsonl", "claimant_label": named.name})
    assert response.context["count"] == 1
    download = response.context["download"]
    assert f"claimant={named.pk}" in download and "claimant_label" not in download
    lines = b"".join(client.get(download).streaming_content).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [claims[0].pk]


def test_a_name_that_finds_nothing_is_an_error_on_its_field(client, approved_pair):
    writer, _ = approved_pair
    client.force_login(writer)
    response = client.get(reverse("export_page"), {"format": "csv", "actor_label": "Nobody"})
    assert response.status_code == 200
    assert "download" not in response.context
    assert "No actor is named “Nobody”." in response.context["form"].errors["actor"]


def test_the_page_lists_no_actor_of_the_registry(client, approved_pair):
    """Actors and sources are picked by name: the page does not grow with the registry."""
    writer, claims = approved_pair
    client.force_login(writer)
    page = client.get(reverse("export_page")).content.decode()
    form = page.split('data-testid="export-form"')[1].split("</form>")[0]
    assert 'data-testid="pick-actor"' in form and 'data-testid="pick-source"' in form
    assert claims[0].claimant.name not in form
    assert f'<option value="{claims[0].claimant_id}"' not in form


def test_counts_stop_at_the_limit_and_the_page_says_so(client, approved_pair, monkeypatch):
    """Unfiltered, the count is the desks' kept count, exact at any size; filtered, it is
    counted up to the limit, and the ClaimReview shortfall is given only when exact."""
    from annotations.views import export_page

    writer, claims = approved_pair
    client.force_login(writer)
    monkeypatch.setattr(export_page, "COUNT_LIMIT", 1)
    kept = client.get(reverse("export_page"), {"format": "jsonl"})
    assert kept.context["count_label"] == "2"
    filtered = client.get(reverse("export_page"), {"format": "jsonl", "status": "approved"})
    assert filtered.context["count_label"] == "1+"
    assert "The page counts up to that many" in filtered.content.decode()
    rated = client.get(reverse("export_page"), {"format": "claimreview"})
    assert rated.context["count_label"] == "1" and rated.context["unrated"] == 1
    narrowed = client.get(
        reverse("export_page"), {"format": "claimreview", "claimant": claims[0].claimant_id}
    )
    assert narrowed.context["unrated"] == 0
    unknown = client.get(reverse("export_page"), {"format": "claimreview", "status": "approved"})
    assert unknown.context["unrated"] is None
    assert "Approved claims without a rating are left out" in unknown.content.decode()


def test_the_forms_empty_fields_are_no_filter(client, approved_pair, monkeypatch):
    """Sent from the page, every field comes along, most of them empty: still the kept
    count of the unfiltered export, not a bounded count."""
    from annotations.views import export_page

    writer, _ = approved_pair
    client.force_login(writer)
    monkeypatch.setattr(export_page, "COUNT_LIMIT", 1)
    # What the form sends with nothing chosen (unchecked boxes send nothing).
    empty = {"actor": "", "actor_label": "", "claimant": "", "source": "", "article": "", "q": ""}
    response = client.get(reverse("export_page"), {"format": "jsonl", **empty})
    assert response.context["count_label"] == "2"
    rated = client.get(reverse("export_page"), {"format": "claimreview", **empty})
    assert rated.context["unrated"] == 1
