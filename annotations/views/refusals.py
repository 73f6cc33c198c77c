"""A service's refusal as a page answers it: a 403 with the service's own sentence."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from claimdesk.checks import REFUSALS


def refuse_unless(check: Callable[..., None], /, **kwargs) -> None:
    """Run a service's "may I?" check; a refusal becomes PermissionDenied (the 403 page)
    carrying the sentence the service would have said."""
    try:
        check(**kwargs)
    except REFUSALS as exc:
        raise PermissionDenied(exc.detail) from exc
