"""The project a user is working in on the pages: chosen with `?project=<slug>` (so a
list's link names its desk and can be shared), remembered in the session, and otherwise
the first of the user's projects (not written to the session: a page that names no
project costs no session write)."""

from __future__ import annotations

from django.http import HttpRequest

from projects import access
from projects.models import Project

SESSION_KEY = "current_project"
_CACHED = "_current_project"


def current_project(request: HttpRequest) -> Project | None:
    """The user's current project, or None for a user in no project. A `?project=` slug
    the user is not a member of is ignored, never revealed."""
    if hasattr(request, _CACHED):
        return getattr(request, _CACHED)
    user = getattr(request, "user", None)
    mine = access.project_ids(user)
    project = None
    if mine:
        slug = request.GET.get("project", "")
        if slug:
            project = Project.objects.filter(slug=slug, pk__in=mine).first()
        remembered = request.session.get(SESSION_KEY)
        if project is None and remembered in mine:
            project = Project.objects.filter(pk=remembered).first()
        elif project is not None and remembered != project.pk:
            request.session[SESSION_KEY] = project.pk
        if project is None:
            project = access.projects_for(user).first()
    setattr(request, _CACHED, project)
    return project


def remember(request: HttpRequest, project: Project) -> None:
    request.session[SESSION_KEY] = project.pk
    setattr(request, _CACHED, project)
