"""Project pages: my projects, one project (guidelines, members), member management and
settings for its managers. A project the user is not a member of is "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claimdesk.errors import DomainError
from projects import access, services
from projects.current import remember
from projects.forms import MemberForm, ProjectSettingsForm, add_service_error
from projects.guidelines import render_markdown
from projects.models import Membership, Project
from projects.roles import ROLES


def _project(request: HttpRequest, slug: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None or not access.is_member(request.user, project.pk):
        raise Http404("No such project.")
    return project


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    projects = list(access.projects_for(request.user))
    for project in projects:
        project.my_roles = sorted(access.roles_in(request.user, project.pk), key=ROLES.index)
    return render(request, "projects/project_list.html", {"projects": projects})


def _detail(request, project: Project, *, member_form=None, status=200) -> HttpResponse:
    memberships = project.memberships.select_related("user").order_by("user__username")
    manages = services.may_manage_members(request.user, project)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "description": render_markdown(project.description),
            "guidelines": render_markdown(project.guidelines),
            "memberships": memberships,
            "roles": ROLES,
            "my_roles": sorted(access.roles_in(request.user, project.pk), key=ROLES.index),
            "may_manage_members": manages,
            "may_update": services.may_update_project(request.user, project),
            "member_form": member_form or (MemberForm() if manages else None),
        },
        status=status,
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    remember(request, project)
    return _detail(request, project)


@login_required
@require_POST
def member_set(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a member or change a member's roles."""
    project = _project(request, slug)
    if not services.may_manage_members(request.user, project):
        raise PermissionDenied("Only the project's managers change its members.")
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set(
                user=request.user,
                project=project,
                username=form.cleaned_data["username"],
                roles=form.cleaned_data["roles"],
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved the roles of {form.cleaned_data['username']}.")
            return redirect("project_detail", slug=project.slug)
    return _detail(request, project, member_form=form, status=400)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    project = _project(request, slug)
    if not services.may_manage_members(request.user, project):
        raise PermissionDenied("Only the project's managers change its members.")
    membership = Membership.objects.filter(pk=membership_id, project=project).first()
    if membership is None:
        raise Http404("No such member.")
    try:
        services.membership_remove(user=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Removed {membership.user.get_username()}.")
    return redirect("project_detail", slug=project.slug)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    if not services.may_update_project(request.user, project):
        raise PermissionDenied("Only the project's managers change its settings.")
    form = ProjectSettingsForm(request.POST or None, instance=Project.objects.get(pk=project.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                user=request.user,
                project=project,
                **{field: form.cleaned_data[field] for field in form.Meta.fields},
            )
        except DomainError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Saved the project's settings.")
            return redirect("project_detail", slug=project.slug)
    return render(
        request,
        "projects/project_settings.html",
        {"project": project, "form": form},
        status=400 if form.errors else 200,
    )
