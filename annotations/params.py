"""Whole numbers read from a request (ids, page numbers, offsets, versions), parsed one way.

`int()` and `str.isdigit()` both accept more than an id can be: "²" passes `isdigit()`
and then fails `int()`, "١٢" is 12 to `int()`, and a number beyond the database's integer
columns makes PostgreSQL fail the query instead of finding nothing. Here a number is ASCII
digits only, within the bounds the caller gives (by default a positive id the database can
hold); anything else raises `InvalidParameter` naming the field, which the API answers
as its JSON error and a page as a 400 (see `config.middleware`), or which a form field
turns into its error.
"""

from __future__ import annotations

from collections.abc import Mapping

import django_filters
from django import forms
from django.http import QueryDict
from rest_framework import serializers

from claimdesk.errors import InvalidInput

MAX_ID = 2**63 - 1  # the largest primary key any supported database stores
MAX_NUMBER = 2**31 - 1  # revision numbers, versions, offsets, page numbers: integer columns


class InvalidParameter(InvalidInput):
    """A number in a query string or form that is not one we accept."""


def whole_number(value: str, *, field: str, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """`value` (ASCII digits, surrounding spaces ignored) as an int in [minimum, maximum].

    Raises InvalidParameter naming `field` for anything else.
    """
    text = value.strip() if isinstance(value, str) else ""
    # Lengths are checked before int(): a megabyte of digits is refused without parsing.
    if text.isascii() and text.isdigit() and len(text) <= len(str(maximum)):
        number = int(text)
        if minimum <= number <= maximum:
            return number
    raise InvalidParameter(
        f"{field}: enter a whole number from {minimum} to {maximum}.", field=field
    )


def number_param(
    params: Mapping,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 1,
    maximum: int = MAX_ID,
) -> int | None:
    """The number `params[name]` holds, `default` when it is missing or blank.

    Raises InvalidParameter naming `name` when it holds anything but such a number.
    """
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return default
    return whole_number(raw, field=name, minimum=minimum, maximum=maximum)


def page_param(params: Mapping, name: str = "page") -> int:
    """A page number for a Paginator: 1 when missing, bad values refused."""
    return number_param(params, name, default=1, maximum=MAX_NUMBER)


class WholeNumberFormField(forms.IntegerField):
    """A form's `IntegerField` that accepts only what `whole_number` accepts."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        minimum = self.min_value if self.min_value is not None else 0
        maximum = self.max_value if self.max_value is not None else MAX_ID
        try:
            return whole_number(str(value), field="value", minimum=minimum, maximum=maximum)
        except InvalidParameter:
            raise forms.ValidationError(
                f"Enter a whole number from {minimum} to {maximum}.", code="invalid"
            ) from None


class IdChoiceField(django_filters.fields.ModelChoiceField):
    """A filter's model choice given by id: ASCII digits within the id range, else invalid."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, self.queryset.model):
            try:
                whole_number(str(value), field="id")
            except InvalidParameter:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


def from_form_or_query(field: serializers.Field) -> bool:
    """Whether a serializer field reads a query string or a form-encoded body, where every
    value is text, rather than JSON, where a number is a number."""
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


class WholeNumberSerializerField(serializers.IntegerField):
    """DRF's `IntegerField` that accepts only what `whole_number` accepts, and in JSON only
    a JSON integer: DRF's own takes `1.0`, `"1.0"`, `"12"` and `true` for whole numbers,
    so a client's bug (a version sent as text, a rounded offset) went unnoticed. In a
    query string or a form every value is text: there `"12"` is 12, "1.0" and "١٢" are
    refused. A JSON integer is bounded as usual (codes `min_value`, `max_value`)."""

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            return super().to_internal_value(data)
        if not (isinstance(data, str) and from_form_or_query(self)):
            self.fail("invalid")
        minimum = self.min_value if self.min_value is not None else 0
        maximum = self.max_value if self.max_value is not None else MAX_ID
        try:
            return whole_number(data, field="value", minimum=minimum, maximum=maximum)
        except InvalidParameter:
            self.fail("invalid")


class IdFilter(django_filters.Filter):
    """A filter on a foreign key by id that does not look the id up.

    Used where the rows behind the id are scoped to the user (articles, projects): a
    lookup would answer "no such choice" for a missing id and an empty list for another
    project's, telling the two apart. Both are simply an empty list."""

    field_class = WholeNumberFormField
