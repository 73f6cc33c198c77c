"""The machinery of the permission matrix: clients per role, requests that leave no
trace, and answers reduced to a word.

Every request runs inside a savepoint that is rolled back, and the client's cookies are
put back afterwards: a request that deletes a draft or logs out changes nothing for the
next one, so one database setup serves every row.
"""

from __future__ import annotations

import copy
import json
import traceback
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client

from tests.security.world import ROLES

METHODS = ("GET", "POST", "PATCH", "DELETE")


@dataclass(frozen=True)
class Answer:
    word: str
    detail: str = ""


def clients_for(users: dict) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client()
        if users.get(role) is not None:
            client.force_login(users[role])
        clients[role] = client
    return clients


def word_for(response) -> str:
    """The answer as the table writes it: the status, or `login` / `admin-login` for a
    redirect to a login page."""
    if response.status_code in (301, 302, 303):
        location = response.get("Location", "")
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
        return "302"
    return str(response.status_code)


def request(
    client: Client, method: str, url: str, *, data=None, api: bool = False, query=None
) -> Answer:
    """Send one request inside a savepoint that is rolled back; never raise."""
    if query:
        url = f"{url}?{urlencode(query)}"
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if api:
                body = json.dumps(data) if data is not None else ""
                response = client.generic(method, url, body, content_type="application/json")
            elif method == "GET":
                response = client.get(url)
            elif method == "POST":
                response = client.post(url, data or {})
            else:
                response = client.generic(method, url, "")
            if isinstance(response, StreamingHttpResponse):
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
    except Exception as exc:  # a server error: keep its cause for the report
        return Answer("500", "".join(traceback.format_exception_only(exc)).strip())
    finally:
        client.cookies = cookies
    return Answer(word_for(response))
