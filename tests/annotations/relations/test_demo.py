"""The demo: Tehran's denial is recorded as denying Rama's accusation, once."""

import pytest
from django.core.management import call_command

from annotations.models import ClaimRelation

pytestmark = pytest.mark.django_db


def test_the_demo_links_the_denial_to_the_accusation(capsys):
    call_command("seed_demo")
    relation = ClaimRelation.objects.select_related("from_claim", "to_claim").get(
        from_claim__statement="Iran denies carrying out the cyberattack on Albania."
    )
    assert relation.kind == "denies"
    assert relation.to_claim.claimant.name == "Edi Rama"
    assert relation.from_claim.status == "submitted"
    count = ClaimRelation.objects.count()
    assert count == 2  # and the second denial denies the sanctions' finding
    call_command("seed_demo")
    assert ClaimRelation.objects.count() == count
