"""Pages of the suggestion jobs: start one for a project (managers, from the project
page) and follow its progress (a page whose bar polls `job_progress`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from claimdesk.errors import NotAllowed
from projects import access
from projects.models import Project
from projects.roles import ProjectRole
from suggestions.jobs import project_job_start
from suggestions.models import Job


def _member_project(user, project_id: int | None = None, slug: str | None = None) -> Project:
    lookup = {"pk": project_id} if project_id is not None else {"slug": slug}
    project = Project.objects.filter(**lookup).first()
    if project is None or not access.is_member(user, project.pk):
        raise Http404("No such project.")
    return project


def may_follow_jobs(user, project_id: int) -> bool:
    """Managers and editors of the project see its suggestion counts and jobs."""
    return access.holds(user, project_id, ProjectRole.MANAGER, ProjectRole.EDITOR)


def _visible_job(user, job_id: int) -> Job:
    job = Job.objects.select_related("project").filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    _member_project(user, project_id=job.project_id)
    if not may_follow_jobs(user, job.project_id):
        raise PermissionDenied("Only the project's managers and editors follow its jobs.")
    return job


@login_required
@require_POST
def project_job_create(request, slug: str):
    project = _member_project(request.user, slug=slug)
    try:
        job = project_job_start(user=request.user, project=project)
    except NotAllowed as exc:
        raise PermissionDenied(exc.detail) from exc
    messages.success(request, "Computing the suggestions of every article of the project.")
    return redirect("suggestion_job", job_id=job.pk)


def job_state(job: Job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "percent": job.percent,
        "error": job.error,
        "finished": job.finished_state,
    }


@login_required
@require_GET
def job_detail(request, job_id: int):
    job = _visible_job(request.user, job_id)
    return render(request, "suggestions/job.html", {"job": job, "state": job_state(job)})


@login_required
@require_GET
def job_progress(request, job_id: int):
    """The job's progress as JSON, for the job page's bar to poll."""
    return JsonResponse(job_state(_visible_job(request.user, job_id)))


urlpatterns = [
    path(
        "projects/<slug:slug>/suggestions/compute/",
        project_job_create,
        name="suggestion_project_job",
    ),
    path("suggestions/jobs/<int:job_id>/", job_detail, name="suggestion_job"),
    path("suggestions/jobs/<int:job_id>/progress/", job_progress, name="suggestion_job_progress"),
]
