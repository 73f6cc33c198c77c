"""One error contract for every JSON answer: `{code, detail, errors: [{field, code, detail}]}`.

The API's exception handler and the page views that answer a fetch both call
`error_body`, so a refusal reads the same whichever door it came through: a domain error
keeps its stable code and HTTP status, a validation error (Django's or DRF's) is a 400
`invalid` whose `errors` name each field, and a database integrity error that a service
let through (a unique row written by two requests at once, a race the service did not
foresee) is a 409 `conflict`: the transaction was rolled back, so nothing was saved, and
trying again is the client's remedy, not a server error's.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from rest_framework.exceptions import ValidationError as DrfValidationError

from articles.services import DuplicateArticle
from claimdesk.errors import Conflict, DomainError

logger = logging.getLogger("claimdesk.security")


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list with dotted field names."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            if key in ("non_field_errors", NON_FIELD_ERRORS):
                name = field
            out.extend(_flatten(value, name))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                out.extend(_flatten(value, f"{field}.{index}" if field else str(index)))
            else:
                out.extend(_flatten(value, field))
        return out
    return [{"field": field, "code": getattr(detail, "code", "invalid"), "detail": str(detail)}]


def _django_errors(exc: DjangoValidationError) -> list[dict]:
    if not hasattr(exc, "error_dict"):
        return [
            {"field": None, "code": e.code or "invalid", "detail": m}
            for e in exc.error_list
            for m in e.messages
        ]
    return [
        {
            "field": None if field == NON_FIELD_ERRORS else field,
            "code": error.code or "invalid",
            "detail": message,
        }
        for field, errors in exc.error_dict.items()
        for error in errors
        for message in error.messages
    ]


def _invalid(errors: list[dict]) -> dict:
    first = errors[0] if errors else {"field": None, "detail": "Invalid input."}
    detail = first["detail"] if first["field"] is None else f"{first['field']}: {first['detail']}"
    return {"code": "invalid", "detail": detail, "errors": errors}


def error_body(exc: BaseException) -> tuple[dict, int] | None:
    """The JSON body and HTTP status for `exc`, or None when it is not a refusal this
    contract describes (the caller then lets it through)."""
    if isinstance(exc, DomainError):
        return {"code": exc.code, "detail": exc.detail, "errors": exc.errors}, exc.status
    if isinstance(exc, DuplicateArticle):
        field = "url" if exc.why == "url" else "text"
        detail = str(exc)
        return {
            "code": exc.code,
            "detail": detail,
            "errors": [{"field": field, "code": exc.code, "detail": detail}],
        }, 409
    if isinstance(exc, DjangoValidationError):
        return _invalid(_django_errors(exc)), 400
    if isinstance(exc, DrfValidationError):
        return _invalid(_flatten(exc.detail)), 400
    if isinstance(exc, Http404):
        return {"code": "not_found", "detail": "Not found.", "errors": []}, 404
    if isinstance(exc, IntegrityError):
        # Answered, but logged as an error: the service should have turned this race
        # into its own refusal (a duplicate, a stale version) and can be taught to.
        logger.error("Integrity error left a service", exc_info=exc)
        return error_body(Conflict())
    return None


def form_error_body(form) -> dict:
    """A page form's errors in the same contract (each error keeps its code)."""
    return _invalid(_django_errors(DjangoValidationError(form.errors.as_data())))


def answers_json(view):
    """For a page view that only answers JSON (what the pages' scripts fetch): a refusal
    raised inside it (a domain error, a validation error, a 404) becomes the contract's
    body with its status instead of an HTML error page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (
            DomainError,
            DuplicateArticle,
            DjangoValidationError,
            Http404,
            IntegrityError,
        ) as exc:
            return error_response(exc)

    return wrapper


def error_response(exc: BaseException, **extra) -> JsonResponse:
    """A page view's JSON answer to a refusal; `extra` adds keys a page script needs."""
    found = error_body(exc)
    if found is None:
        raise exc
    body, status = found
    return JsonResponse({**body, **extra}, status=status)
