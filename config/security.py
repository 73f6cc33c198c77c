"""Error answers that must work when little else does.

Pages get a plain page rendered without the request (no context processors, so no
session or database query); the API, and any client that asks for JSON, gets the API's
error contract `{code, detail, errors}`. `server_error` is a `handler500` that turns a
lost database connection into a 503 as well, for failures the middleware cannot see
(for example while a session is saved).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from claimdesk.errors import Conflict
from claimdesk.outcome import outcome_of

API_PREFIX = "/api/"
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

TOO_LARGE = ("too_large", "The request is larger than this server accepts.")
UNAVAILABLE = (
    "service_unavailable",
    "The database is not reachable just now; nothing was saved. Try again in a moment.",
)
SERVER_ERROR = ("server_error", "Something went wrong on our side; nothing was saved.")
# A write whose transaction this request does not follow (`claimdesk.outcome`) may have
# committed before the failure: saying "nothing was saved" could be false.
MAYBE_SAVED = "What you sent may or may not have been saved: check before sending it again."
READS = {"GET", "HEAD", "OPTIONS", "TRACE"}
OUTCOME_UNKNOWN = "outcome_unknown"


def wants_json(request: HttpRequest) -> bool:
    """The API, and scripts of our pages that ask for JSON, get JSON errors."""
    if request.path_info.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_answer(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    template: str,
    field: str | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    """The same error as JSON (API contract) or as a standalone page."""
    errors = [{"field": field, "code": code, "detail": detail}] if field else []
    if wants_json(request):
        return JsonResponse(
            {"code": code, "detail": detail, "errors": errors, **(extra or {})}, status=status
        )
    context = {"code": code, "detail": detail, "status": status, **(extra or {})}
    try:
        body = loader.render_to_string(template, context)
    except TemplateDoesNotExist:
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1>"
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """A 503 that says what became of the write: "nothing was saved" only when the
    request's transaction had not begun to commit (it was rolled back), `outcome_unknown`
    when the database went away while or after it committed (`claimdesk.outcome`)."""
    outcome = outcome_of(request)
    if outcome is not None and outcome.may_be_saved:
        return _outcome_unknown(request, outcome)
    code, detail = UNAVAILABLE
    if outcome is None and request.method not in READS:
        detail = f"The database is not reachable just now. {MAYBE_SAVED}"
    response = error_answer(request, status=503, code=code, detail=detail, template="503.html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _outcome_unknown(request: HttpRequest, outcome, *, status: int = 503) -> HttpResponse:
    ways = []
    if outcome.key is not None:
        ways.append(
            "send the same request again with the same idempotency key: it answers the "
            "saved result and saves nothing twice"
        )
    if outcome.location:
        ways.append(f"read {outcome.location}")
    if not ways:
        ways.append("reload and look for it before sending it again")
    detail = (
        "Your change may have been saved: the failure came while or after it was "
        "committed. To find out, " + ", or ".join(ways) + "."
    )
    extra = {"location": outcome.location} if outcome.location else None
    response = error_answer(
        request,
        status=status,
        code=OUTCOME_UNKNOWN,
        detail=detail,
        template=f"{status}.html",
        extra=extra,
    )
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def request_too_large(request: HttpRequest, *, limit: int, upload: bool) -> HttpResponse:
    code, _ = TOO_LARGE
    what = "An upload" if upload else "A request"
    detail = f"{what} may hold at most {limit // 1024} KiB; this one holds more."
    return error_answer(
        request,
        status=413,
        code=code,
        detail=detail,
        template="413.html",
        extra={"limit": limit},
    )


def refused_character(request: HttpRequest, *, field: str, code: str, detail: str) -> HttpResponse:
    """A query string holding a character no text may hold (`claimdesk.characters`)."""
    return error_answer(
        request,
        status=400,
        code=code,
        detail=f"{field}: {detail}",
        template="400.html",
        field=field,
    )


def conflict(request: HttpRequest) -> HttpResponse:
    """A database integrity error a service let through: the change was rolled back."""
    return error_answer(
        request, status=409, code=Conflict.code, detail=Conflict.default_detail, template="409.html"
    )


def bad_parameter(request: HttpRequest, *, field: str | None, detail: str) -> HttpResponse:
    """A query or form value a page could not use: a 400 that names the field."""
    if field and not detail.startswith(f"{field}:"):
        detail = f"{field}: {detail}"
    return error_answer(
        request, status=400, code="invalid", detail=detail, template="400.html", field=field
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a 503 when the database went away, else a plain 500."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(request)
    outcome = outcome_of(request)
    if outcome is not None and outcome.may_be_saved:
        return _outcome_unknown(request, outcome, status=500)
    code, detail = SERVER_ERROR
    if outcome is None and request.method not in READS:
        detail = f"Something went wrong on our side. {MAYBE_SAVED}"
    return error_answer(request, status=500, code=code, detail=detail, template="500.html")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, except that a body nested too deeply for Python's parser (a few
    hundred kilobytes of `[[[[…`) is a 400 `parse_error`, not a RecursionError and a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the body is nested too deeply.") from exc
