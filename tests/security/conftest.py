"""Fixtures of the security suite. The browser fixtures are the browser tests' own.

Playwright's synchronous API allows one running instance per thread, so the security
suite must use the very Chromium that `tests/browser` started, not a second one. When
the root conftest provides the browser fixtures, they are visible here and nothing is
defined. Otherwise `page` and `login` are taken from `tests/browser/conftest.py`, and
`browser` hands out the instance the browser tests already launched in this session,
launching one only when they did not run.
"""

import logging
import os

import pytest

import tests.conftest as root

if not hasattr(root, "browser"):
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, login, page  # noqa: F401  (fixtures)

    def _launched_by_the_browser_tests(session):
        for item in session.items:
            if "tests/browser/" not in item.nodeid:
                continue
            for fixturedef in session._fixturemanager.getfixturedefs("browser", item) or ():
                cached = getattr(fixturedef, "cached_result", None)
                if cached is not None and cached[0] is not None:
                    return cached[0]
            return None
        return None

    @pytest.fixture(scope="session")
    def browser(request):
        shared = _launched_by_the_browser_tests(request.session)
        if shared is not None:
            yield shared
            return
        # As the browser tests' fixture does: see its module for why.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """A cheap hasher: these tests log in and create users by the dozen."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def quiet_request_log():
    """Expected 4xx and 5xx answers would each log a warning or an error."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)
