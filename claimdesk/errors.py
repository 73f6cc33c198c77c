"""Domain errors with a stable code and an HTTP status.

The services of both apps raise these; `annotations.error_contract` turns them into the
JSON error `{code, detail, errors: [{field, code, detail}]}` (for the API and the pages'
fetches), and the page views into a form error or a 403 page.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


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


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_detail = "This action is not possible in the claim's current status."


class StaleVersion(DomainError):
    code = "stale_version"
    status = 409
    default_detail = "The claim has changed since it was loaded; reload and try again."


class SelfReview(DomainError):
    code = "self_review"
    status = 403
    default_detail = "You cannot review a claim you authored."


class StaleRevision(DomainError):
    code = "stale_revision"
    status = 409
    default_detail = (
        "The article's text changed after the passage was selected; select it again in "
        "the current text."
    )


class NotLoggedIn(DomainError):
    code = "not_authenticated"
    status = 401
    default_detail = "Log in first."


class NotAllowed(DomainError):
    code = "permission_denied"
    status = 403
    default_detail = "You do not have permission to do this."


class AnchorMismatch(DomainError):
    code = "anchor_mismatch"
    status = 400
    default_detail = "The selected text does not match the article text at these offsets."


class InvalidInput(DomainError):
    code = "invalid"
    status = 400
    default_detail = "Invalid input."

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


class InvalidMerge(DomainError):
    code = "invalid_merge"
    status = 400
    default_detail = "These actors cannot be merged."


class LastManager(DomainError):
    code = "last_manager"
    status = 409
    default_detail = "A project keeps at least one manager."
