"""The OpenAPI schema and the interactive docs."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
        re.sub(r"<int:(\w+)>", r"{\1}", route.replace("<int:pk>", "{id}"))
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
