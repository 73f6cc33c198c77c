"""The roles a member holds in a project, named once.

A membership stores each role as its own boolean column (`is_researcher`, ...), so that
"the projects where this user reviews" is an indexed lookup and a member may hold
several roles at once.
"""

from django.db import models


class ProjectRole(models.TextChoices):
    RESEARCHER = "researcher", "Researcher"
    REVIEWER = "reviewer", "Reviewer"
    EDITOR = "editor", "Editor"
    MANAGER = "manager", "Manager"


ROLES: tuple[str, ...] = tuple(ProjectRole.values)

#: role -> the Membership field that stores it
ROLE_FIELDS: dict[str, str] = {role: f"is_{role}" for role in ROLES}

#: roles whose holders may put articles into a project (import, paste, API)
IMPORTING_ROLES: tuple[str, ...] = (ProjectRole.RESEARCHER, ProjectRole.EDITOR)
