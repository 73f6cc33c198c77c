"""The OpenAPI schema and the interactive docs."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from annotations.api import links

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_setup, django_db_blocker) -> dict:
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it: the
    command fails on any generator warning and on an invalid OpenAPI document."""
    target = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text(encoding="utf-8"))


def test_schema_generates_without_warnings_and_validates(schema):
    assert schema["openapi"].startswith("3.")
    assert "Error" in schema["components"]["schemas"]


def test_schema_is_served(anon, schema):
    response = anon.get(reverse("api-schema"))
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["paths"].keys() == schema["paths"].keys()


def _v1_routes() -> set[str]:
    """Every /api/v1/ route as the schema spells it (`{id}` for `<int:pk>`)."""
    routes = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.add(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "/")
    return {
        re.sub(r"<(?:int|str):(\w+)>", r"{\1}", route.replace("<int:pk>", "{id}"))
        for route in routes
        if route.startswith("/api/v1/")
    }


def test_schema_describes_every_endpoint_with_errors(schema):
    paths = schema["paths"]
    assert _v1_routes() <= set(paths), _v1_routes() - set(paths)
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert "429" in responses, f"{method} {path}"
            if path != "/api/v1/auth/token/":
                assert "401" in responses, f"{method} {path}"
            for code, answer in responses.items():
                if code.startswith("4"):
                    content = answer["content"]["application/json"]["schema"]
                    assert content == {"$ref": "#/components/schemas/Error"}, f"{code} {path}"


def test_claim_filters_are_in_the_schema(schema):
    for path in ("/api/v1/claims/", "/api/v1/annotations/", "/api/v1/export/claims/"):
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {
            "status",
            "article",
            "actor",
            "claimant",
            "role",
            "source",
            "certainty",
            "anchor_state",
            "created_after",
            "created_before",
            "reviewed_after",
            "q",
        } <= names, path


# The answers that lead somewhere, and where (operationIds): what a client, and the
# stateful API test, can do next with what it just made or read.
EXPECTED_LINKS = {
    ("post", "/api/v1/claims/", "201"): {
        "claims_retrieve",
        "claims_partial_update",
        "claims_destroy",
        "claims_submit",
        "claims_review",
        "claims_events_list",
        "annotations_retrieve",
        "articles_retrieve",
    },
    ("get", "/api/v1/claims/{id}/", "200"): {"claims_submit", "claims_review", "claims_destroy"},
    ("post", "/api/v1/claims/{id}/submit/", "200"): {"claims_review", "claims_events_list"},
    ("post", "/api/v1/articles/", "201"): {
        "articles_retrieve",
        "articles_partial_update",
        "articles_revisions_list",
        "articles_revisions_retrieve",
    },
    ("get", "/api/v1/articles/{id}/", "200"): {"articles_partial_update"},
    ("patch", "/api/v1/articles/{id}/", "200"): {"articles_revisions_retrieve"},
    ("post", "/api/v1/actors/", "201"): {"actors_retrieve", "actors_partial_update"},
    ("post", "/api/v1/sources/", "201"): {"sources_retrieve", "sources_partial_update"},
    ("post", "/api/v1/projects/", "201"): {
        "projects_retrieve",
        "project_members_list",
        "project_annotations_container",
    },
}


def _operations(schema) -> dict[str, dict]:
    return {
        operation["operationId"]: operation
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    }


def _links(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, answer in operation["responses"].items():
                for name, link in answer.get("links", {}).items():
                    yield (method, path, status), name, link


def test_answers_link_to_what_can_be_done_next(schema):
    found: dict[tuple, set[str]] = {}
    for source, _name, link in _links(schema):
        found.setdefault(source, set()).add(link["operationId"])
    for source, targets in EXPECTED_LINKS.items():
        assert targets <= found.get(source, set()), (source, targets - found.get(source, set()))
    # Only successful answers link, and only to the operations they describe.
    assert all(status in {"200", "201"} for (_m, _p, status) in found), found.keys()


def test_every_link_names_an_operation_and_its_parameters(schema):
    operations = _operations(schema)
    for source, name, link in _links(schema):
        target = operations.get(link["operationId"])
        assert target is not None, (source, name, link["operationId"])
        known = {f"{p['in']}.{p['name']}" for p in target.get("parameters", [])}
        assert set(link["parameters"]) <= known, (source, name)
        required = {f"path.{p['name']}" for p in target["parameters"] if p["in"] == "path"}
        assert required <= set(link["parameters"]), (source, name)
        assert all(value.startswith("$response.body#/") for value in link["parameters"].values())
        if "requestBody" in link:
            assert "requestBody" in target, (source, name)


def test_a_link_to_an_operation_that_is_gone_fails_the_schema(monkeypatch, tmp_path, capsys):
    """A renamed operationId must not drop a link silently: generating the schema warns,
    and `--fail-on-warn` (the schema test above) turns the warning into a failure."""
    gone = {"operationId": "claims_renamed", "parameters": {"path.id": links.ID}}
    monkeypatch.setitem(links.LINKS_BY_COMPONENT, "Claim", {**links.CLAIM_LINKS, "Gone": gone})
    target = tmp_path / "schema.yaml"
    with pytest.raises(CommandError, match="warnings"):
        call_command("spectacular", "--fail-on-warn", "--file", str(target))
    assert "no operation 'claims_renamed'" in capsys.readouterr().err
    generated = SchemaGenerator().get_schema(request=None, public=True)
    assert not any(link["operationId"] == "claims_renamed" for *_, link in _links(generated))
    assert any(link["operationId"] == "claims_submit" for *_, link in _links(generated))


def test_docs_are_served_from_our_own_static_files(anon):
    response = anon.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    # No inline script: the Content-Security-Policy forbids it.
    assert not re.search(r"<script>(?!\s*</script>)", html)
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources
    assert all(src.startswith("/static/") or src.startswith("/api/docs/") for src in sources)
    assert "cdn" not in html.lower()
    script = anon.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content
