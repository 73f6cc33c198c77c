"""A claim's note is for its author and the reviewers: not in pages, claim answers or
the audit trail of anyone else."""

import pytest
from rest_framework.test import APIClient

from annotations.services.claims import claim_submit, claim_update
from tests.factories import make_claim

NOTE = "Check the second video before trusting the timestamp"


@pytest.fixture
def noted_claim(researcher, article):
    claim = make_claim(author=researcher, article=article)
    claim = claim_update(user=researcher, claim_id=claim.pk, version=claim.version, note=NOTE)
    return claim_submit(user=researcher, claim_id=claim.pk, version=claim.version)


def _seen_by(user, claim):
    api = APIClient()
    api.force_login(user)
    page = api.get(f"/claims/{claim.pk}/")
    detail = api.get(f"/api/v1/claims/{claim.pk}/")
    events = api.get(f"/api/v1/claims/{claim.pk}/events/")
    assert page.status_code == detail.status_code == events.status_code == 200
    return page.content.decode(), detail.json()["note"], str(events.json())


def test_author_and_reviewer_read_the_note(noted_claim, researcher, reviewer):
    for user in (researcher, reviewer):
        page, note, events = _seen_by(user, noted_claim)
        assert NOTE in page and note == NOTE and NOTE in events


def test_other_readers_never_see_the_note(noted_claim, other_researcher, editor):
    for user in (other_researcher, editor):
        page, note, events = _seen_by(user, noted_claim)
        assert NOTE not in page
        assert note == ""
        assert NOTE not in events and "(private note)" in events
