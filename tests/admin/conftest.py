import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotations.models import ActorRole
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, SourceFactory, UserFactory, make_claim


@pytest.fixture
def staff_author(db):
    """A researcher who also works in the admin."""
    user = UserFactory(username="stella", roles=["researcher"])
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def staff_editor(db):
    user = UserFactory(username="ed", roles=["editor"])
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def logged_in():
    """logged_in(user) -> a browser session of that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_as():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def cast(db):
    """The actors and sources the claims below name."""
    return {
        "rama": ActorFactory(name="Edi Rama"),
        "iran": ActorFactory(name="Iran"),
        "albania": ActorFactory(name="Albania"),
        "reuters": SourceFactory(name="Reuters"),
        "report": SourceFactory(name="Mandiant report"),
    }


@pytest.fixture
def approved(staff_author, reviewer, article, cast):
    """approved() -> a new approved claim of `staff_author`, each one the same."""

    def make():
        claim = make_claim(
            author=staff_author,
            article=article,
            claimant=cast["rama"],
            actors=[(cast["iran"], ActorRole.ACCUSED)],
            sources=[(cast["reuters"], "para 2")],
        )
        claim = claim_submit(user=staff_author, claim_id=claim.pk, version=claim.version)
        return review_decide(
            user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
        )

    return make
