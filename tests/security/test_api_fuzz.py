"""The API fuzzed from its own OpenAPI schema (`/api/schema/`) with schemathesis.

Every operation is called with generated input, as a researcher holding a token, and
every answer is checked: no server error, a documented status code and content type,
and a body that matches the schema. Path ids are mapped onto objects that exist, so
the operations reach past the 404. The seed is fixed (`derandomize`) and the number of
examples bounded, so the run is repeatable and short.
"""

from __future__ import annotations

import warnings

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis.internal.conjecture import utils as conjecture_utils
from schemathesis.specs.openapi.checks import ignored_auth

from accounts.services import token_create
from annotations.models import Actor, Claim
from articles.models import Article, Source
from config.wsgi import application
from tests.security.world import build_world

EXAMPLES_PER_OPERATION = 12

# schemathesis builds on jsonschema's RefResolver, which jsonschema now deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:jsonschema.RefResolver is deprecated:DeprecationWarning"
)


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

# Ids of existing objects, per path parameter and path prefix, filled by the fixture.
EXISTING: dict[str, list[int]] = {}


@pytest.fixture
def api_schema(db, request):
    world = build_world()
    EXISTING.clear()
    EXISTING.update(
        {
            "/api/v1/claims/": list(Claim.objects.values_list("pk", flat=True)),
            "/api/v1/annotations/": list(Claim.objects.values_list("pk", flat=True)),
            "/api/v1/actors/": list(Actor.objects.values_list("pk", flat=True)),
            "/api/v1/sources/": list(Source.objects.values_list("pk", flat=True)),
            "/api/v1/articles/": list(Article.objects.values_list("pk", flat=True)),
            "number": [1, 2],
        }
    )
    _token, key = token_create(user=world.users["author"], name="fuzz")
    EXISTING["token"] = [key]
    # Revoking goes to a spare token: the one every call sends must keep working.
    spare, _key = token_create(user=world.users["author"], name="spare")
    EXISTING["/api/v1/auth/tokens/"] = [spare.pk]
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


# This schemathesis version warns about filter arguments nobody passed (it compares its
# NOT_SET defaults with None); the warning is about its own signature, not about us.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    schema = schemathesis.from_pytest_fixture("api_schema")


@schema.hook
def map_path_parameters(context, path_parameters):
    """Most generated ids point at nothing; send them to objects that exist instead."""
    if not path_parameters:
        return path_parameters
    mapped = dict(path_parameters)
    for prefix, ids in EXISTING.items():
        matches = prefix.startswith("/") and context.operation.path.startswith(prefix)
        if matches and ids and isinstance(mapped.get("id"), int):
            mapped["id"] = ids[mapped["id"] % len(ids)]
    if isinstance(mapped.get("number"), int):
        mapped["number"] = EXISTING["number"][mapped["number"] % 2]
    return mapped


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case, quiet_request_log):
    headers = {"Authorization": f"Token {EXISTING['token'][0]}"}
    # `ignored_auth` would resend our valid token along with the broken credentials it
    # tries; the permission matrix proves that every endpoint refuses anonymous calls.
    # A savepoint per call: a database error in one call must not abort the
    # transaction that every later call of the run shares.
    with transaction.atomic():
        case.call_and_validate(headers=headers, excluded_checks=(ignored_auth,))
