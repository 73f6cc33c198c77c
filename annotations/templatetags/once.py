"""`{% one_time_key %}`: a new random key each time a form is rendered.

A form that carries one is an idempotency key for its write (`annotations.idempotency`):
the same form sent twice is done once."""

from __future__ import annotations

from uuid import uuid4

from django import template

register = template.Library()


@register.simple_tag
def one_time_key() -> str:
    return uuid4().hex
