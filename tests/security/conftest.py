"""Fixtures of the security suite (the browser fixtures are the whole suite's)."""

import logging

import pytest


@pytest.fixture
def quiet_request_log():
    """Expected 4xx and 5xx answers would each log a warning or an error."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)
