"""Domain errors with a stable code and an HTTP status.

The services of both apps raise these; `annotations.error_contract` turns them into the
JSON error `{code, detail, errors: [{field, code, detail}]}` (for the API and the pages'
fetches), and the page views into a form error or a 403 page.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


class DomainError(Exception):
    """Subclasses declare their code and status as class keywords and their default
    detail as their docstring: `class LastManager(DomainError, code=..., status=409)`."""

    code = "error"
    status = 400
    default_detail = "The request could not be carried out."

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None) -> None:
        super().__init_subclass__()
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status = status
        if code is not None and cls.__doc__:  # a declared error: its docstring is its detail
            cls.default_detail = " ".join(cls.__doc__.split())

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


class InvalidTransition(DomainError, code="invalid_transition", status=409):
    """This action is not possible in the claim's current status."""


class StaleVersion(DomainError, code="stale_version", status=409):
    """The claim has changed since it was loaded; reload and try again."""


class SelfReview(DomainError, code="self_review", status=403):
    """You cannot review a claim you authored."""


class StaleRevision(DomainError, code="stale_revision", status=409):
    """The article's text changed after the passage was selected; select it again in the
    current text."""


class NotLoggedIn(DomainError, code="not_authenticated", status=401):
    """Log in first."""


class NotAllowed(DomainError, code="permission_denied", status=403):
    """You do not have permission to do this."""


class AnchorMismatch(DomainError, code="anchor_mismatch", status=400):
    """The selected text does not match the article text at these offsets."""


class NotFound(DomainError, code="not_found", status=404):
    """No such object, or not one you can see."""


class InvalidInput(DomainError, code="invalid", status=400):
    """Invalid input."""

    @classmethod
    def for_field(cls, detail: str, *, field: str, code: str = "invalid") -> InvalidInput:
        """One field's error, with a code more precise than `invalid` when given."""
        return cls(detail, field=field, errors=[{"field": field, "code": code, "detail": detail}])

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> InvalidInput:
        """A model's `full_clean` errors as one InvalidInput listing every field."""
        errors = [
            {
                "field": None if name == NON_FIELD_ERRORS else name,
                "code": error.code or "invalid",
                "detail": " ".join(error.messages),
            }
            for name, field_errors in exc.error_dict.items()
            for error in field_errors
        ]
        return cls(errors[0]["detail"], field=errors[0]["field"], errors=errors)


class DuplicateEntry(InvalidInput):
    """The value is already held by another record, `existing` (a Source or an Actor)."""

    code = "duplicate"

    def __init__(self, detail: str, *, field: str, existing: models.Model) -> None:
        super().__init__(detail, field=field)
        self.existing = existing


class Conflict(DomainError, code="conflict", status=409):
    """Someone else saved a conflicting change at the same moment, and nothing of yours
    was saved. Reload and try again."""


class InvalidMerge(DomainError, code="invalid_merge", status=400):
    """These actors cannot be merged."""


class LastManager(DomainError, code="last_manager", status=409):
    """A project keeps at least one manager."""


class IdempotencyKeyReused(DomainError, code="idempotency_key_reused", status=409):
    """This idempotency key was already used for another request (another method, path
    or body). Use a new key for a new write."""


class IdempotencyKeyInProgress(DomainError, code="idempotency_key_in_progress", status=409):
    """A request with this idempotency key is still being carried out. Wait for it, then
    send the request again with the same key to get its answer."""
