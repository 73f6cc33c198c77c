"""Form helpers every app's pages and admin share."""

from __future__ import annotations

from django import forms

from claimdesk.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError, *, fields: dict[str, str] | None = None):
    """Attach a service's error to the form field it names (`fields` maps service field
    names to form field names where they differ); anything else goes to the form."""
    fields = fields or {}
    for error in exc.errors or [{"field": None, "detail": exc.detail}]:
        name = error.get("field")
        name = fields.get(name, name)
        form.add_error(
            name if name in form.fields else None,
            forms.ValidationError(error["detail"], code=error.get("code") or exc.code),
        )
