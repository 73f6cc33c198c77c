"""Who may call an endpoint, per HTTP method, from the capabilities in `annotations.roles`.

Object-level rules (only the author edits, nobody reviews their own claim) live in
`annotations.workflow` and are applied by the services; objects a user may not see are
filtered out by the selectors and answer 404.
"""

from rest_framework import permissions


class HasCapability(permissions.BasePermission):
    """The view's `capabilities` maps a method to a predicate on the user.

    Methods without an entry are open to every authenticated user (reads).
    """

    message = "You do not have permission to do this."

    def has_permission(self, request, view) -> bool:
        check = getattr(view, "capabilities", {}).get(request.method)
        return check is None or bool(check(request.user))
