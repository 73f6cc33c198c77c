"""Domain errors with a stable code and an HTTP status.

The base class and the errors every app raises come from `projects.errors`.

Services raise these; the API's exception handler and the page views turn them into a
JSON error `{code, detail, errors: [{field, code, detail}]}` or a form error.
"""

from __future__ import annotations

from projects.errors import DomainError, InvalidInput, NotAllowed

__all__ = [
    "AnchorMismatch",
    "DomainError",
    "InvalidInput",
    "InvalidMerge",
    "InvalidTransition",
    "NotAllowed",
    "SelfReview",
    "StaleVersion",
]


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


class AnchorMismatch(DomainError):
    code = "anchor_mismatch"
    status = 400
    default_detail = "The selected text does not match the article text at these offsets."


class InvalidMerge(DomainError):
    code = "invalid_merge"
    status = 400
    default_detail = "These actors cannot be merged."
