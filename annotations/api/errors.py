"""One error contract for the API: `{code, detail, errors: [{field, code, detail}]}`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from articles.services import DuplicateArticle
from claimdesk.errors import DomainError


def _flatten(detail, field: str | None = None) -> list[dict]:
    """DRF's nested error detail as a flat list with dotted field names."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            if key == "non_field_errors":
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


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(
            {"code": exc.code, "detail": exc.detail, "errors": exc.errors}, status=exc.status
        )
    if isinstance(exc, DuplicateArticle):
        set_rollback()
        field = "url" if exc.why == "url" else "text"
        return Response(
            {
                "code": exc.code,
                "detail": str(exc),
                "errors": [{"field": field, "code": exc.code, "detail": str(exc)}],
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = errors[0] if errors else {"detail": "Invalid input."}
        response.data = {
            "code": "invalid",
            "detail": first["detail"]
            if first.get("field") is None
            else f"{first['field']}: {first['detail']}",
            "errors": errors,
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response.data = {"code": code, "detail": str(detail), "errors": []}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["code"] = "throttled"
    return response
