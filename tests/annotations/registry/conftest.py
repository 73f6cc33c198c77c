"""The registry of the running example: the 2022 cyberattacks on Albania.

Claims here are written straight to the database (anchored on the article text) so that
these tests exercise the registry and not the claim services.
"""

from dataclasses import dataclass

import pytest

from annotations.mention_cache import forget_mention_index
from annotations.models import (
    Actor,
    ActorKind,
    Certainty,
    Claim,
    ClaimActor,
    ClaimSource,
    ClaimStatus,
)
from tests.factories import ActorFactory, ArticleFactory

ACCUSATION = "the Iranian state was behind the July cyberattacks"
DENIAL = "Tehran rejected the accusation as baseless"
SANCTIONS = "Washington announced sanctions on Iran's Ministry of Intelligence"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made for every role in every test; their password strength is not tested."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_mention_index():
    """Each test starts without this process's cached index (ids are reused on SQLite)."""
    forget_mention_index()
    yield
    forget_mention_index()


@dataclass
class Registry:
    iran: Actor
    ministry: Actor
    united_states: Actor
    albania: Actor
    rama: Actor


@pytest.fixture
def actors(db) -> Registry:
    iran = ActorFactory(name="Iran", kind=ActorKind.STATE, aliases=["Tehran", "the Iranian state"])
    return Registry(
        iran=iran,
        ministry=ActorFactory(
            name="Iran's Ministry of Intelligence",
            kind=ActorKind.ORGANISATION,
            parent=iran,
            aliases=["MOIS"],
        ),
        united_states=ActorFactory(
            name="United States", kind=ActorKind.STATE, aliases=["Washington", "the US"]
        ),
        albania=ActorFactory(name="Albania", kind=ActorKind.STATE, aliases=["Tiranë"]),
        rama=ActorFactory(name="Edi Rama", kind=ActorKind.PERSON),
    )


def add_claim(
    *,
    author,
    claimant,
    article=None,
    exact=ACCUSATION,
    statement="The Iranian state carried out the July cyberattacks on Albania.",
    status=ClaimStatus.SUBMITTED,
    certainty=Certainty.ASSERTED,
    actors=(),
    sources=(),
):
    """A claim on `exact` in the article, with (actor, role) links and (source, locator)
    citations."""
    article = article or ArticleFactory()
    revision = article.revisions.order_by("-number").first()
    start = revision.text.index(exact)
    claim = Claim.objects.create(
        article=article,
        project_id=article.project_id,
        revision=revision,
        start=start,
        end=start + len(exact),
        exact=exact,
        statement=statement,
        claimant=claimant,
        certainty=certainty,
        status=status,
        author=author,
    )
    ClaimActor.objects.bulk_create(
        ClaimActor(claim=claim, actor=actor, role=role) for actor, role in actors
    )
    ClaimSource.objects.bulk_create(
        ClaimSource(claim=claim, source=source, locator=locator) for source, locator in sources
    )
    return claim
