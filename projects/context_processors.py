"""The project switcher's values for the navigation."""

from projects import access
from projects.current import current_project


def current_project_nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "project_nav": {
            "current": current_project(request),
            "mine": list(access.projects_for(user).only("name", "slug")),
        }
    }
