""" "May I?" as a yes or no: the pages ask a service's own check before offering a button.

A check function raises what its service would raise before it reads any input
(`NotAllowed`, `SelfReview`, or `InvalidTransition` when the claim's status forbids the
action); `may` turns that into a boolean for a template, so the page and the service
never hold two versions of one rule.
"""

from __future__ import annotations

from collections.abc import Callable

from claimdesk.errors import InvalidTransition, NotAllowed, SelfReview

REFUSALS = (NotAllowed, SelfReview, InvalidTransition)


def may(check: Callable[..., None], /, **kwargs) -> bool:
    try:
        check(**kwargs)
    except REFUSALS:
        return False
    return True
