"""The claims the API answers are those `ClaimSerializer` (and so the schema) describes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from annotations.api.representations import claim_representations, claim_rows
from annotations.api.serializers import ClaimSerializer
from annotations.models import Claim
from annotations.selectors import claims_visible_to, with_details

pytestmark = pytest.mark.django_db

VIEWERS = ["researcher", "other_researcher", "reviewer", "reader", "superuser"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_representations_match_the_serializer_for_every_claim_and_viewer(world, desk, viewer):
    """Drafts, submitted, approved, rejected and changes-requested claims, with and
    without actors, sources, reviews, ratings and notes, as their author, a reviewer, a
    reader in no role and a superuser see them."""
    user = world.users[viewer]
    claims = claims_visible_to(user).order_by("id")
    Claim.objects.filter(pk=desk.claims["approved"].pk).update(note="Check the FBI's role.")
    expected = ClaimSerializer(
        with_details(claims), many=True, context={"request": SimpleNamespace(user=user)}
    ).data
    found = claim_representations(claim_rows(claims), user=user)
    assert [c["id"] for c in found] == [c["id"] for c in expected]
    assert len(found) >= 5
    for got, want in zip(found, expected, strict=True):
        assert got == dict(want), got["id"]


def test_representations_show_each_viewer_their_own_actions_and_the_note(world, desk):
    approved = desk.claims["approved"]
    Claim.objects.filter(pk=approved.pk).update(note="Private to author and reviewers.")
    draft = desk.claims["draft"]
    rows = claim_rows(Claim.objects.filter(pk__in=[approved.pk, draft.pk]).order_by("id"))

    as_author = {c["id"]: c for c in claim_representations(rows, user=world.users["researcher"])}
    assert as_author[approved.pk]["note"] == "Private to author and reviewers."
    assert "edit" in as_author[draft.pk]["allowed_actions"]
    as_reader = {c["id"]: c for c in claim_representations(rows, user=world.users["reader"])}
    assert as_reader[approved.pk]["note"] == ""
    assert as_reader[draft.pk]["allowed_actions"] == []


def test_representations_of_no_rows_cost_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert claim_representations([], user=SimpleNamespace(pk=1, is_authenticated=True)) == []


def test_one_claim_answers_404_to_whoever_cannot_see_it(desk, as_user, other_researcher):
    draft = desk.claims["draft"]
    response = as_user(other_researcher).get(reverse("v1:claim-detail", args=[draft.pk]))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
