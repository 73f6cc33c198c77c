"""Domain errors with a stable code and an HTTP status, shared by every app.

They live here, in the app the others build on, so that `projects` raises the same
classes as `annotations` (which re-exports them from `annotations.errors`): one
exception handler and one form helper understand both.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "error"
    status = 400
    default_detail = "The request could not be carried out."

    def __init__(
        self,
        detail: str | None = None,
        *,
        field: str | None = None,
        errors: list[dict] | None = None,
    ) -> None:
        self.detail = detail or self.default_detail
        self.field = field
        self.errors = errors or (
            [{"field": field, "code": self.code, "detail": self.detail}] if field else []
        )
        super().__init__(self.detail)


class NotAllowed(DomainError):
    code = "permission_denied"
    status = 403
    default_detail = "You do not have permission to do this."


class InvalidInput(DomainError):
    code = "invalid"
    status = 400
    default_detail = "Invalid input."


class LastManager(DomainError):
    code = "last_manager"
    status = 409
    default_detail = "A project keeps at least one manager."
