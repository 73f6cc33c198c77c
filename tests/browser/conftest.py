"""Browser tests: the fixtures (`browser`, `page`, `login`) are shared by the whole suite
from `tests/browser_support.py`; here every test is marked `browser`."""

import os

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
