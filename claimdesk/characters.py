"""Characters no text in Claimdesk may hold, refused the same way at every door.

A NUL (U+0000) cannot be stored in a PostgreSQL text column: it reached the database as
a server error. A lone surrogate (U+D800 to U+DFFF, half of a UTF-16 pair; JSON can
spell one as `"\\ud800"`) is not a character and cannot be encoded as UTF-8, so it fails
the database, the exports and the JSON answers alike. Neither has a use in a name, a
statement or a note, so both are refused wherever text comes in:

- the services check what they are given (`check_characters`, `check_instance`), so
  the pages, the admin, the API and the commands refuse alike, with an `InvalidInput`
  naming the field;
- before that, Django's form fields refuse a NUL and DRF's text fields a NUL and a lone
  surrogate, with the same codes as here, so a client sees one code per character
  whichever door it used; what a form reads by hand (the claim form's rows of actors
  and sources) is checked with `problem`;
- the query string is checked before any view (`config.middleware`).

A form-encoded body or a query string cannot carry a lone surrogate: bytes that are not
UTF-8 are read as U+FFFD. JSON can, and so can a file a command reads.

The codes are the ones Django and DRF already answer, so nothing a client saw before
changes: `null_characters_not_allowed` and `surrogate_characters_not_allowed`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models

from claimdesk.errors import InvalidInput

NUL = "null_characters_not_allowed"
SURROGATE = "surrogate_characters_not_allowed"

_REFUSED = re.compile("[\x00\ud800-\udfff]")


def problem(value: str) -> tuple[str, str] | None:
    """`(code, detail)` for the first refused character of `value`, or None."""
    found = _REFUSED.search(value) if isinstance(value, str) else None
    if found is None:
        return None
    if found.group() == "\x00":
        return NUL, "Null characters are not allowed."
    return SURROGATE, f"Surrogate characters are not allowed: U+{ord(found.group()):X}."


def printable(value: str) -> str:
    """`value` with refused characters written as escapes, so that an error message can
    quote what was sent (a JSON key, say) without carrying the character itself."""
    return _REFUSED.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def field_errors(**fields: str | Iterable[str] | None) -> list[dict]:
    """`{field, code, detail}` for every field whose text holds a refused character. A
    list of texts (aliases) names the item as `field.index`; None is not checked."""
    errors = []
    for field, value in fields.items():
        items = [(field, value)] if value is None or isinstance(value, str) else None
        if items is None:
            items = [(f"{field}.{index}", item) for index, item in enumerate(value)]
        for name, item in items:
            found = problem(item) if isinstance(item, str) else None
            if found is not None:
                code, detail = found
                errors.append({"field": name, "code": code, "detail": detail})
    return errors


def check_characters(**fields: str | Iterable[str] | None) -> None:
    """Raise InvalidInput listing every field whose text holds a refused character:
    `check_characters(statement=statement, note=note)` (see `field_errors`)."""
    errors = field_errors(**fields)
    if errors:
        raise InvalidInput(errors[0]["detail"], field=errors[0]["field"], errors=errors)


def _text_columns(instance: models.Model, exclude: Iterable[str]) -> dict[str, str]:
    skip = set(exclude)
    return {
        field.name: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and field.name not in skip
    }


def check_instance(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """`check_characters` on every text column of a model instance about to be saved."""
    check_characters(**_text_columns(instance, exclude))


def as_validation_error(errors: list[dict]) -> ValidationError:
    """`field_errors` as Django's ValidationError, for services whose contract is a
    ValidationError by field (the article services)."""
    by_field: dict[str, list[ValidationError]] = {}
    for error in errors:
        by_field.setdefault(error["field"], []).append(
            ValidationError(error["detail"], code=error["code"])
        )
    return ValidationError(by_field)
