"""Fixtures for revising texts: claims in the states a revision has to deal with."""

import random
import string

import pytest

from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import make_claim

PASSAGE = "the Iranian state was behind the July cyberattacks"


def code_word(seed: int, length: int = 12) -> str:
    """A made-up word, the same for the same seed, far (in edits) from the others."""
    return "".join(random.Random(seed).choices(string.ascii_lowercase, k=length))


def approve(claim, *, author, reviewer):
    claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
    return review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The users of these tests need a password, not a slow one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def approved_claim(researcher, reviewer, article):
    return approve(
        make_claim(author=researcher, article=article), author=researcher, reviewer=reviewer
    )


@pytest.fixture
def text_of(article):
    """The article's current text, read fresh from the database."""

    def read():
        article.refresh_from_db()
        return article.text

    return read
