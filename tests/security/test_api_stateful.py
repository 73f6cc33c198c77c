"""The API walked along its OpenAPI links with schemathesis's state machine.

Where `test_api_fuzz.py` calls each operation on its own, this run chains them as the
schema's links say a client may: it creates a claim, an article, an actor, a source or
a project, then reads, changes, submits, reviews or deletes what it made, with the id
and the version taken from the answer. It acts with a token as a researcher and
reviewer of the world's desk who may also create projects (its reviews come from a
colleague with the same roles, as the four-eyes rule wants), and checks every answer as
the fuzz test does (no server error, a documented status code and content type, a body
that matches the schema) and that nothing deleted is served again.

Bodies keep to the fields the schema declares (the fuzz test tries the others), the
generated ids in a new claim's, article's or actor's body are mapped onto objects that
exist and a new claim is put on a real passage: without that nearly nothing would be
made and no link followed. Each scenario starts from the same data, the seed is fixed
and the run bounded (a few scenarios of a few steps each), so it is repeatable and
short.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import RULE_MARKER, RuleBasedStateMachine
from schemathesis.specs.openapi.checks import ignored_auth, use_after_free

from accounts.services import token_create
from annotations.models import Actor
from articles.models import Source
from projects import access
from tests.factories import UserFactory
from tests.security.schema_fuzzing import app_schema
from tests.security.world import QUOTE, build_world

STEPS_PER_SCENARIO = 8

pytestmark = pytest.mark.filterwarnings(
    "ignore:jsonschema.RefResolver is deprecated:DeprecationWarning"
)


@pytest.fixture
def stateful(db, request):
    """The world, a researcher and reviewer of its desk with a token, and the schema."""
    world = build_world()
    user = UserFactory(username="sec-walker", roles=["researcher", "reviewer"])
    user.user_permissions.add(Permission.objects.get(codename="add_project"))
    access.forget(user)
    _token, key = token_create(user=user, name="stateful")
    colleague = UserFactory(username="sec-colleague", roles=["researcher", "reviewer"])
    _token, colleague_key = token_create(user=colleague, name="stateful")
    text = world.article.revisions.order_by("-number").first().text
    start = text.index(QUOTE)
    real = {
        "article": world.article.pk,
        "start": start,
        "end": start + len(QUOTE),
        "exact": QUOTE,
        "claimant": world.actor.pk,
    }
    existing = {
        "actor": list(Actor.objects.values_list("pk", flat=True)),
        "source": list(Source.objects.values_list("pk", flat=True)),
        "project": [world.project.pk],
    }
    keys = {"walker": key, "colleague": colleague_key}
    return app_schema(request), keys, real, existing


def _existing(ids: list[int], value):
    """A generated id as one of `ids`; anything else (`null`, a string) as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ids[value % len(ids)]
    return value


def _declared_only(value, schema: dict):
    """`value` without the keys its schema does not declare, at every depth."""
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        return {
            key: _declared_only(item, properties[key])
            for key, item in value.items()
            if key in properties
        }
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_declared_only(item, schema["items"]) for item in value]
    return value


def make_ids_real(case, real: dict, existing: dict) -> None:
    """Keep a body to the fields the schema declares, send a new claim to a real
    passage and the ids in a new claim's, article's or actor's body to objects that
    exist."""
    if not isinstance(case.body, dict):
        return
    content = case.operation.definition.resolved["requestBody"]["content"]
    case.body = body = _declared_only(case.body, content[case.media_type]["schema"])
    if case.method.upper() != "POST":
        return
    if case.path == "/api/v1/claims/":
        body.update(real)
        body.pop("revision", None)
        body.pop("offset_unit", None)
        for item in body.get("actors") or []:
            if isinstance(item, dict):
                item["actor"] = _existing(existing["actor"], item.get("actor"))
        for item in body.get("sources") or []:
            if isinstance(item, dict):
                item["source"] = _existing(existing["source"], item.get("source"))
    elif case.path == "/api/v1/articles/":
        for name, ids in (("project", existing["project"]), ("outlet", existing["source"])):
            if name in body:
                body[name] = _existing(ids, body[name])
    elif case.path == "/api/v1/actors/" and "parent" in body:
        body["parent"] = _existing(existing["actor"], body["parent"])


def _machine(schema, keys: dict, real: dict, existing: dict, followed: list):
    def headers(case) -> dict:
        # Reviews come from a colleague: the four-eyes rule would refuse every one of
        # the walker's own.
        who = (
            "colleague"
            if case.operation.definition.raw["operationId"] == "claims_review"
            else "walker"
        )
        return {"Authorization": f"Token {keys[who]}"}

    class Walk(schema.as_state_machine()):
        if not hasattr(RuleBasedStateMachine, "_add_result_to_targets"):

            def _add_results_to_targets(self, targets, results):
                """This schemathesis version files each answer under the links its
                status code leads to (not under the rule's target) in a method that
                Hypothesis has since renamed to this one: without it no link is ever
                followed."""
                for result in results:
                    target = None if result is None else self._get_target_for_result(result)
                    if target is not None:
                        super()._add_results_to_targets((target,), [result])

        def setup(self):
            # Each scenario starts from the same data: Hypothesis replays scenarios and
            # needs the same calls to get the same answers (a project's slug is free).
            self.scenario = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.scenario)

        def before_call(self, case):
            make_ids_real(case, real, existing)

        def get_call_kwargs(self, case):
            return {"headers": headers(case)}

        def call(self, case, **kwargs):
            # A savepoint per call: a database error in one call must not abort the
            # transaction that every later call of the run shares.
            with transaction.atomic():
                return super().call(case, **kwargs)

        def after_call(self, response, case):
            if case.source is not None:
                source = case.source.case.operation.verbose_name
                followed.append((source, case.operation.verbose_name, response.status_code))

        def validate_response(self, response, case, additional_checks=()):
            # As in the fuzz test: `ignored_auth` would resend our valid token with the
            # broken credentials it tries (the permission matrix covers anonymous calls).
            case.validate_response(
                response,
                additional_checks=(use_after_free,),
                excluded_checks=(ignored_auth,),
                transport_kwargs=self._transport_kwargs,
            )

    return Walk


def test_every_link_of_the_schema_is_a_transition_of_the_state_machine(db, request):
    schema = app_schema(request)
    machine = schema.as_state_machine()
    raw = schema.raw_schema
    operations = {
        operation["operationId"]: f"{method.upper()} {path}"
        for path, item in raw["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
    }
    links = {
        (f"{method.upper()} {path}", status, operations[link["operationId"]])
        for path, item in raw["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        for status, answer in operation["responses"].items()
        for link in answer.get("links", {}).values()
    }
    assert ("POST /api/v1/claims/", "201", "POST /api/v1/claims/{id}/submit/") in links
    # Source operation -> status code -> target operations, as schemathesis read them.
    read = machine._transition_stats_template.transitions
    transitions = {
        (source, status, target)
        for source, answers in read.items()
        for status, targets in answers.items()
        for target in targets
    }
    assert links == transitions
    # A rule that starts from nothing is named `… -> X`; every other rule follows a link
    rules = [name for name, f in vars(machine).items() if hasattr(f, RULE_MARKER)]
    # (one rule per target and status code, whichever answer the link starts from).
    linked = [name for name in rules if not name.endswith("_X")]
    assert len(linked) == len({(target, status) for _, status, target in links}) > 0


@pytest.mark.parametrize(
    ("paths", "makers", "scenarios"),
    [
        pytest.param(r"^/api/v1/(claims|annotations)/", {"POST /api/v1/claims/"}, 12, id="claims"),
        pytest.param(r"^/api/v1/articles/", {"POST /api/v1/articles/"}, 6, id="articles"),
        pytest.param(
            r"^/api/v1/(actors|sources)/",
            {"POST /api/v1/actors/", "POST /api/v1/sources/"},
            6,
            id="registry",
        ),
        pytest.param(r"^/api/v1/projects/", {"POST /api/v1/projects/"}, 6, id="projects"),
    ],
)
def test_the_api_holds_along_its_links(stateful, quiet_request_log, paths, makers, scenarios):
    """One family of operations at a time: a scenario follows the links of the first
    thing it makes, so in one run over every operation claims would seldom come first."""
    schema, keys, real, existing = stateful
    followed: list[tuple[str, str, int]] = []
    machine = _machine(schema.include(path_regex=paths), keys, real, existing, followed)
    machine.run(
        settings=settings(
            max_examples=scenarios,
            stateful_step_count=STEPS_PER_SCENARIO,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    # The run made something and followed links from it, some of them successfully.
    assert any(source in makers for source, _, _ in followed), followed
    assert any(status < 300 for _, _, status in followed), followed
