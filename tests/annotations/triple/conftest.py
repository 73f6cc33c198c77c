"""The page tests' registry (Edi Rama, Iran…) for the cue and source mention tests."""

from tests.annotations.pages.conftest import albania, iran, rama, report  # noqa: F401
