"""The API's exception handler: the one error contract (`annotations.error_contract`),
with DRF's own answers (authentication, throttling, 404, 405…) reshaped to match."""

from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from annotations.error_contract import error_body


def exception_handler(exc, context):
    found = error_body(exc)
    if found is not None:
        set_rollback()
        body, code = found
        return Response(body, status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response.data = {"code": code, "detail": str(detail), "errors": []}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["code"] = "throttled"
    return response
