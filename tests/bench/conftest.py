"""A tiny benchmark dataset, made by the benchmark's own generator."""

import pytest

from bench.generate import Spec, populate

TINY = Spec(
    articles=6,
    claims_per_article=8,
    article_chars=1_500,
    actors=40,
    sources=12,
    outlets=3,
    researchers=3,
    reviewers=3,
    hot_claims=30,
    hot_chars=4_000,
)


@pytest.fixture
def tiny_dataset(db, settings):
    # The real password hasher would cost more than the rest of the dataset.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return populate(TINY, seed=3)
