"""The admin's forms as a browser submits them.

A test reads the form the admin rendered (its fields and each inline's forms with the
management form), changes what a person would change, and posts the lot back: the admin
then sees exactly the request a browser would send.
"""

from __future__ import annotations

from django import forms


def _put(data: dict[str, str], form: forms.BaseForm) -> None:
    for field in form:
        value = field.value()
        if isinstance(field.field.widget, forms.CheckboxInput):
            if value:  # an unchecked box sends nothing
                data[field.html_name] = "on"
            continue
        data[field.html_name] = "" if value is None else str(value)


def submitted_form(response) -> dict[str, str]:
    """The POST data of the change (or add) form in `response`, left as rendered."""
    data = {"_save": "Save"}
    _put(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _put(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _put(data, form)
    return data


def add_row(data: dict[str, str], prefix: str, **fields: object) -> None:
    """Fill one more row of the inline `prefix`, as its "Add another" link does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = str(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)


def form_errors(response) -> dict[str, list[str]]:
    """The errors the admin shows on its form, non-field errors under `__all__`."""
    return {
        name: list(errors) for name, errors in response.context["adminform"].form.errors.items()
    }
