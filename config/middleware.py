"""Middleware that gives clear answers at the edges: bodies too large (413), a NUL
character in the query string or a number a page cannot use (400), a unique row written
by two requests at once (409), a database that went away mid-request (503), and the
API's error contract for URLs the API does not have (404).

They sit last in `MIDDLEWARE`, so that their answers still pass through the security,
session, CSRF and Content-Security-Policy middleware on the way out.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse

from annotations.params import InvalidParameter
from claimdesk import characters
from config.security import (
    API_PREFIX,
    DATABASE_ERRORS,
    bad_parameter,
    conflict,
    database_unavailable,
    refused_character,
    request_too_large,
)

logger = logging.getLogger("claimdesk.security")


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestLimitsMiddleware:
    """Refuse a body larger than the limits before anything reads it (413), and a query
    string holding a NUL character (400, naming the parameter).

    A multipart body (a file upload) may hold up to `MAX_UPLOAD_SIZE` bytes; any other
    body up to `DATA_UPLOAD_MAX_MEMORY_SIZE`. The declared Content-Length is checked
    first, so nothing is read; a body that turns out larger while Django parses it
    (`RequestDataTooBig`) gets the same answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        upload = request.content_type == "multipart/form-data"
        limit = self._limit(upload=upload)
        if limit is not None and _declared_length(request) > limit:
            return request_too_large(request, limit=limit, upload=upload)
        # No text holds a NUL or a lone surrogate (`claimdesk.characters`), and
        # PostgreSQL cannot even compare a NUL: refuse them in the query string before
        # any filter does.
        for name, values in request.GET.lists():
            for text in (name, *values):
                found = characters.problem(text)
                if found is not None:
                    code, detail = found
                    field = characters.printable(name).replace("\\u0000", "")
                    return refused_character(request, field=field, code=code, detail=detail)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, RequestDataTooBig):
            upload = request.content_type == "multipart/form-data"
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
            return request_too_large(request, limit=limit, upload=upload)
        if isinstance(exception, IntegrityError):
            # A race a service let through (two requests writing the same unique row):
            # rolled back, so a 409 saying so, never a 500. The API answers it in its
            # exception handler; this is for the pages and the admin.
            logger.error(
                "Integrity error during %s %s", request.method, request.path, exc_info=exception
            )
            return conflict(request)
        if isinstance(exception, InvalidParameter):
            # A page read an id or a number it cannot use: a 400 naming it, never a 500.
            return bad_parameter(request, field=exception.field, detail=exception.detail)
        return None

    @staticmethod
    def _limit(*, upload: bool) -> int | None:
        if upload:
            return getattr(settings, "MAX_UPLOAD_SIZE", None)
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class DatabaseUnavailableMiddleware:
    """A view that loses its database connection answers 503, never a half-done 500.

    Services run in transactions, so nothing is ever half-written; but a write may have
    committed before the failure (the commit's acknowledgement lost, or the read of the
    answer after it). The answer says which (`config.security.database_unavailable`):
    "nothing was saved" only for a write whose transaction had not begun to commit
    (`claimdesk.outcome`), `outcome_unknown` once it had, and "may or may not have been
    saved" for a write it cannot follow. It logs the cause. The page is rendered without
    the request: the database is not touched again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error(
            "Database unavailable during %s %s", request.method, request.path, exc_info=exception
        )
        return database_unavailable(request)


class ApiErrorContractMiddleware:
    """Under /api/, an error that Django answered with an HTML page (a URL that matches
    no route: `/api/v1/claims/-1/`, an unknown path) is given in the API's contract
    instead: `{code, detail, errors}` as JSON, same status."""

    CODES = {404: ("not_found", "Not found."), 405: ("method_not_allowed", "Method not allowed.")}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        known = self.CODES.get(response.status_code)
        if (
            known is None
            or not request.path_info.startswith(API_PREFIX)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        code, detail = known
        replaced = JsonResponse(
            {"code": code, "detail": detail, "errors": []}, status=response.status_code
        )
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced
