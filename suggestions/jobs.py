"""Jobs that compute suggestions, with their progress in a `Job` row.

Two kinds: one article (queued after commit when a text is imported or revised, see
`article_text_changed`) and a whole project (started from the project page, the API or
`manage.py suggest_claims`). A project job lists the project's articles and splits them
into chunks of `CHUNK` articles; each chunk adds what it did to `Job.done` with a
conditional update, and whichever chunk brings `done` to `total` marks the job done. So
chunks may run at once on several workers, on several machines.

Where the work runs is decided when a job is dispatched (`dispatch`): with
`CELERY_BROKER_URL` set, the job and its chunks are sent to the Celery workers (by task
name, see `suggestions.tasks`); without it they run at once in the process that
dispatches them (after its commit), recording the same progress, so a single machine
needs no broker and no worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from claimdesk.checks import may
from claimdesk.errors import NotAllowed
from projects import access
from projects.models import Project
from projects.roles import ProjectRole
from suggestions.compute import suggestions_refresh
from suggestions.models import Job, JobKind, JobStatus

logger = logging.getLogger(__name__)

CHUNK = 100  # articles per task: about two seconds of a worker's time
RUN_JOB_TASK = "suggestions.run_job"
RUN_CHUNK_TASK = "suggestions.run_chunk"

Progress = Callable[[int], None]


def on_workers() -> bool:
    """Whether jobs go to Celery workers (a broker is configured)."""
    return bool(settings.CELERY_BROKER_URL)


def _send(task: str, *args) -> None:
    from config.celery import app

    app.send_task(task, args=args, queue=settings.CELERY_TASK_DEFAULT_QUEUE)


def dispatch(job_id: int) -> None:
    """Run the job: on the workers when a broker is configured, here otherwise."""
    if on_workers():
        try:
            _send(RUN_JOB_TASK, job_id)
        except Exception as exc:  # the broker is down: say so on the job, not as a 500
            _fail(job_id, exc)
    else:
        run_job(job_id)


# -- starting jobs -----------------------------------------------------------------------


def check_start_project_job(*, user, project: Project) -> None:
    """Managers of the project start the computing of its suggestions."""
    if not access.holds(user, project.pk, ProjectRole.MANAGER):
        raise NotAllowed("Only the project's managers compute its suggestions.")


def can_start_project_job(user, project: Project) -> bool:
    return may(check_start_project_job, user=user, project=project)


def project_job_create(*, user, project: Project) -> Job:
    """A queued job computing the suggestions of every article of the project, not yet
    dispatched (a command runs it itself). Raises NotAllowed (not a manager); `user`
    None is the operator (a command)."""
    if user is not None:
        check_start_project_job(user=user, project=project)
    return Job.objects.create(
        kind=JobKind.PROJECT,
        project=project,
        created_by=user if user is not None and user.is_authenticated else None,
        total=Article.objects.filter(project=project).count(),
    )


@transaction.atomic
def project_job_start(*, user, project: Project) -> Job:
    """`project_job_create`, dispatched after commit (see `dispatch`)."""
    job = project_job_create(user=user, project=project)
    transaction.on_commit(lambda: dispatch(job.pk), robust=True)
    return job


def article_text_changed(article_id: int) -> None:
    """A text was imported or revised (called after its commit): queue its suggestions."""
    project_id = Article.objects.filter(pk=article_id).values_list("project_id", flat=True).first()
    if project_id is None:
        return
    dispatch(article_job_create(article_id=article_id, project_id=project_id).pk)


def article_job_create(*, article_id: int, project_id: int, user=None) -> Job:
    """A queued job computing one article's suggestions (dispatch it)."""
    return Job.objects.create(
        kind=JobKind.ARTICLE,
        project_id=project_id,
        article_id=article_id,
        total=1,
        created_by=user if user is not None and user.is_authenticated else None,
    )


# -- running jobs ------------------------------------------------------------------------


def _article_ids(job: Job) -> list[int]:
    if job.kind == JobKind.ARTICLE:
        return [job.article_id] if job.article_id else []
    articles = Article.objects.filter(project_id=job.project_id).order_by("pk")
    return list(articles.values_list("pk", flat=True))


def _finish_if_complete(job_id: int) -> None:
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, done__gte=F("total")).update(
        status=JobStatus.DONE, finished=timezone.now()
    )


def _fail(job_id: int, exc: BaseException) -> None:
    logger.exception("Suggestion job %s failed", job_id)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=error, finished=timezone.now()
    )


def run_job(job_id: int, *, progress: Progress | None = None, inline: bool | None = None) -> None:
    """Run a queued job: list its articles, then compute them chunk by chunk.

    Chunks go to the workers when a broker is configured (unless `inline`), else they
    run here, calling `progress(n)` after each article. A job that is not queued any
    more (run twice by a redelivery) is left alone.
    """
    inline = not on_workers() if inline is None else inline
    started = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started=timezone.now()
    )
    if not started:
        return
    job = Job.objects.get(pk=job_id)
    try:
        ids = _article_ids(job)
        Job.objects.filter(pk=job_id).update(total=len(ids))
        if not ids:
            _finish_if_complete(job_id)
            return
        chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
        for chunk in chunks:
            if inline:
                run_chunk(job_id, chunk, progress=progress)
            else:
                _send(RUN_CHUNK_TASK, job_id, chunk)
    except Exception as exc:
        _fail(job_id, exc)


def run_chunk(job_id: int, article_ids: Sequence[int], *, progress: Progress | None = None) -> None:
    """Compute the suggestions of these articles for the job, counting each one done.

    Fresh suggestions are computed again too (a job was asked for: the engine may have
    improved since). An article that fails is counted as done and failed, its error
    kept, and the others go on.
    """
    if not Job.objects.filter(pk=job_id).exists():
        return
    for article_id in article_ids:
        failed = 0
        error = None
        try:
            suggestions_refresh(article_id=article_id, force=True)
        except Exception as exc:
            logger.exception("Suggestions of article %s failed", article_id)
            failed, error = 1, f"Article {article_id}: {type(exc).__name__}: {exc}"[:2000]
        updates = {"done": F("done") + 1, "failed": F("failed") + failed}
        Job.objects.filter(pk=job_id).update(**updates)
        if error:
            Job.objects.filter(pk=job_id, error="").update(error=error)
        if progress is not None:
            progress(1)
    _finish_if_complete(job_id)
