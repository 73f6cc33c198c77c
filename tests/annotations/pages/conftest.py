"""Fixtures of the page tests: an actor registry like the demo's, and a claimant."""

import pytest

from tests.factories import ActorFactory, SourceFactory


@pytest.fixture
def iran(db):
    return ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"])


@pytest.fixture
def rama(db):
    return ActorFactory(name="Edi Rama", kind="person", aliases=["Rama"])


@pytest.fixture
def albania(db):
    return ActorFactory(name="Albania", kind="state", aliases=["Tirana", "Tiranë"])


@pytest.fixture
def report(db):
    return SourceFactory(name="Mandiant report", kind="investigation")
