"""Who may read which claims: `claims_visible_to`, with and without a status."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from annotations.models import ClaimStatus
from annotations.selectors import claims_visible_to, verified_claims

pytestmark = pytest.mark.django_db

VIEWERS = ["researcher", "other_researcher", "reviewer", "reader", "superuser"]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("status", list(ClaimStatus.values))
def test_a_status_narrows_what_the_viewer_may_read(world, desk, viewer, status):
    user = world.users[viewer]
    everything = claims_visible_to(user).order_by("id")
    expected = [claim.pk for claim in everything if claim.status == status]
    found = list(claims_visible_to(user, status=status).order_by("id").values_list("pk", flat=True))
    assert found == expected


def test_drafts_stay_private_to_their_author_when_asked_for_by_status(world, desk):
    draft = desk.claims["draft"]
    author = world.users["researcher"]
    assert draft.author == author
    drafts_of = {
        viewer: set(claims_visible_to(world.users[viewer], status=ClaimStatus.DRAFT))
        for viewer in ("researcher", "other_researcher", "reader")
    }
    assert draft in drafts_of["researcher"]
    assert draft not in drafts_of["other_researcher"]
    assert draft not in drafts_of["reader"]


def test_anonymous_visitors_read_nothing_whatever_the_status(desk):
    for status in (None, ClaimStatus.APPROVED, ClaimStatus.DRAFT):
        assert not claims_visible_to(AnonymousUser(), status=status).exists()


def test_approved_claims_are_read_by_status_alone(world, desk):
    """The query the exports and the annotation container count and page: no test of
    the author, so that the (status, …) indexes answer it."""
    sql = str(verified_claims(user=world.users["reader"]).query)
    where = sql.split(" WHERE ", 1)[1]
    assert "author_id" not in where
    assert "status" in where
    assert list(verified_claims(user=world.users["reader"]).values_list("status", flat=True))
    assert set(verified_claims(user=world.users["reader"]).values_list("status", flat=True)) == {
        ClaimStatus.APPROVED
    }
