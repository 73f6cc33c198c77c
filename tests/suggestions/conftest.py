"""Fixtures of the suggestion tests: the running example's actors, and an article of
the demo's kind."""

from __future__ import annotations

import pytest

from annotations.mention_cache import forget_mention_index
from tests.factories import ActorFactory, ArticleFactory


@pytest.fixture
def actors(db):
    forget_mention_index()
    return {
        "rama": ActorFactory(name="Edi Rama", aliases=["Rama"]),
        "iran": ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"]),
        "us": ActorFactory(name="United States", kind="state", aliases=["Washington"]),
        "albania": ActorFactory(name="Albania", kind="state", aliases=["Tirana"]),
    }


@pytest.fixture
def article(db, actors):
    return ArticleFactory(title="Albania and Iran")
