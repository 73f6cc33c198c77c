"""What the schemathesis runs (`test_api_fuzz.py`, `test_api_stateful.py`) share: the
API schema loaded from the app, and a shim for the version of hypothesis-jsonschema
they generate with."""

from __future__ import annotations

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis.internal.conjecture import utils as conjecture_utils

from config.wsgi import application


def _many_more(self) -> bool:
    """`many.more()` as hypothesis-jsonschema calls it, on Hypothesis's newer `many`,
    which is iterated inside a `with` block instead."""
    if self._depth is None:
        self.__enter__()
        self._steps = iter(self)
    try:
        next(self._steps)
    except StopIteration:
        self.__exit__(None, None, None)
        return False
    return True


# hypothesis-jsonschema (0.23.1, the latest) still calls `many.more()`, which Hypothesis
# 6.170 removed; without this every object schema fails to generate.
if not hasattr(conjecture_utils.many, "more"):
    conjecture_utils.many.more = _many_more


def app_schema(request):
    """The schema the app serves, bound to the app itself (called through WSGI)."""
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    keep_the_test_connection(request)
    return schemathesis.from_dict(response.json(), app=application)


def keep_the_test_connection(request) -> None:
    """Django closes the database connection when a request starts and ends; inside a
    test's transaction that ends the transaction too (on PostgreSQL). The test client
    keeps it open this way (and reconnects the handlers after each of its own requests,
    hence after the schema is fetched); schemathesis calls the WSGI app directly."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def reconnect():
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    request.addfinalizer(reconnect)
