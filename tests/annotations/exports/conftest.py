"""The exports tests share the API tests' fixtures (see `tests/annotations/api/conftest.py`)."""

from tests.annotations.api.conftest import (  # noqa: F401
    anon,
    as_user,
    desk,
    editor,
    empty_cache,
    fast_password_hashing,
    other_researcher,
    reader,
    researcher,
    reviewer,
    second_reviewer,
    superuser,
    world,
)
