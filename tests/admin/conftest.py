import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotations.models import ActorRole
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, SourceFactory, UserFactory, make_claim


def _staff(username: str, role: str):
    user = UserFactory(username=username, roles=[role])
    user.is_staff = True
    user.save()
    return user


def _logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_author(db):
    """A researcher who also works in the admin."""
    return _staff("stella", "researcher")


@pytest.fixture
def staff_editor(db):
    return _staff("ed", "editor")


@pytest.fixture
def logged_in():
    """logged_in(user) -> a browser session of that user."""
    return lambda user: _logged_in(Client(), user)


@pytest.fixture
def api_as():
    """api_as(user) -> an API client in that user's session."""
    return lambda user: _logged_in(APIClient(), user)


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
