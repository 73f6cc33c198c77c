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


STALE_CLAIM = (
    "This claim changed after you opened the page, so nothing was done. "
    "Here is the current version; check it and try again."
)


def run_posted_change(request, change: Callable[[], object], success: str) -> bool:
    """Run a change posted from a claim's page (submit, delete, relate, publish…) and
    say how it went, as every such form does: who may not gets the 403 page, a claim
    the user cannot see is a 404, a stale version or another refusal a message on the
    page it returns to; success a message. True when the change was made."""
    from django.contrib import messages
    from django.http import Http404

    from claimdesk.errors import DomainError, NotAllowed, StaleVersion

    try:
        change()
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from exc
    except StaleVersion:
        messages.error(request, STALE_CLAIM)
    except DomainError as exc:
        if exc.status == 404 and exc.field is None:
            raise Http404 from exc
        messages.error(request, exc.detail)
    else:
        messages.success(request, success)
        return True
    return False
