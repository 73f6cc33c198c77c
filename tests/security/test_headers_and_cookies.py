"""Every HTML answer carries a Content-Security-Policy that forbids inline script, and
the pages are written so that the policy costs them nothing (no inline script, event
handler or style attribute). Cookies and transport headers are safe in production."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.conftest import REPO
from tests.security import test_permission_matrix as matrix
from tests.security.world import PASSWORD, ROLES, build_world


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def check_policy(response, label: str) -> None:
    directives = policy(response)
    assert directives, f"{label}: no Content-Security-Policy header"
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, f"{label}: the policy does not restrict scripts"
    assert "'unsafe-inline'" not in scripts, f"{label}: script-src allows inline script"
    assert "'unsafe-eval'" not in scripts, f"{label}: script-src allows eval"
    assert "*" not in scripts and "data:" not in scripts, f"{label}: script-src too wide"
    assert directives.get("object-src") == ["'none'"], label
    assert directives.get("frame-ancestors") == ["'none'"], label
    assert "base-uri" in directives, label


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script_attrs: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> event handler attribute")
            if name == "style":
                self.found.append(f"<{tag} style=…> inline style attribute")
        for name in ("href", "src", "action", "formaction"):
            if (attributes.get(name) or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "script":
            self._script_attrs = attributes

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_attrs = None

    def handle_data(self, data):
        attrs = self._script_attrs
        if attrs is None or not data.strip():
            return
        if attrs.get("type") in ("application/json", "application/ld+json"):
            return  # data, not code (json_script)
        if "src" not in attrs:
            self.found.append("inline <script> block")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def html_pages(world) -> list[tuple[str, str, str]]:
    """(label, role, url) for every row whose GET shows a page to some role (the JSON
    API's rows aside: they answer JSON)."""
    routes = {route.name: route for route in matrix.page_routes()}
    pages = []
    for key, row in matrix.TABLE.items():
        name, target = matrix.split_key(key)
        if name.startswith("v1:") or name == "api-schema":
            continue
        words = row["GET"].split()
        for role, word in zip(ROLES, words, strict=True):
            if word == "200":
                url = matrix.url_for(routes[name], target, world)
                query = matrix.QUERIES.get((key, "GET"))
                if query:
                    url += "?" + urlencode(query(world))
                pages.append((key, role, url))
                break
    return pages


@pytest.mark.django_db
def test_every_html_answer_has_a_policy_without_inline_script(quiet_request_log):
    world = build_world()
    clients = matrix.clients_for(world.users)
    checked = 0
    for label, role, url in html_pages(world):
        response = clients[role].get(url)
        assert response.status_code == 200, (label, response.status_code)
        if not response["Content-Type"].startswith("text/html"):
            continue
        check_policy(response, label)
        found = inline_code(response.content.decode())
        assert not found, f"{label} ({url}) has inline code the policy blocks: {found}"
        checked += 1
    assert checked >= 20, checked


@pytest.mark.django_db
def test_error_pages_have_the_policy_too(quiet_request_log, researcher, settings):
    client = Client()
    client.force_login(researcher)
    not_found = client.get("/no/such/page/")
    forbidden = client.get(reverse("actor_duplicates"))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    too_large = client.post(reverse("actor_create"), {"name": "x" * 4096, "kind": "person"})
    for response, status in ((not_found, 404), (forbidden, 403), (too_large, 413)):
        assert response.status_code == status
        check_policy(response, str(status))
        assert not inline_code(response.content.decode())


def test_inline_code_detector_finds_what_it_should():
    html = (
        '<p onclick="x()">a</p><script>alert(1)</script><a href=" JavaScript:x">b</a>'
        '<div style="color:red"></div><script type="application/json">{"a":1}</script>'
        '<script src="/static/a.js"></script>'
    )
    assert len(inline_code(html)) == 4


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(researcher):
    client = Client()
    form = client.get(reverse("login"))
    csrf = form.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"), {"username": researcher.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


@pytest.mark.django_db
def test_transport_headers_on_a_secure_request():
    response = Client().get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=")
    assert int(response["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF")}))
"""


def test_production_settings_make_cookies_secure_and_redirect_to_https():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="claims.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
    }


def test_server_error_handler_answers_503_for_a_lost_database(rf):
    from config.security import server_error

    request = rf.get("/api/v1/claims/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "service_unavailable"
    page = rf.get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(page)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/static/claimdesk/claimdesk.css", 200),
        ("/static/../config/settings.py", 404),
        ("/static/%2e%2e/config/settings.py", 404),
        ("/static/claimdesk/../../config/settings.py", 404),
        ("/static/..%2f..%2fconfig%2fsettings.py", 404),
    ],
)
def test_static_files_are_public_and_nothing_else_is(path, status, quiet_request_log):
    response = Client().get(path)
    assert response.status_code == status
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    if status == 200:
        assert response["Content-Type"].startswith("text/css")
    else:
        assert b"SECRET_KEY" not in body
