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
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import ignored_auth

from accounts.services import token_create
from annotations.models import Actor, Claim
from articles.models import Article, Source
from tests.security.schema_fuzzing import app_schema
from tests.security.world import build_world

EXAMPLES_PER_OPERATION = 12

# schemathesis builds on jsonschema's RefResolver, which jsonschema now deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:jsonschema.RefResolver is deprecated:DeprecationWarning"
)


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
    return app_schema(request)


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
