"""`manage.py suggest_claims [--project SLUG] [--article ID] [--queue]`: compute the
suggestions of a project's articles (every project's without `--project`, one article
with `--article`) through the same job code as the page's button, with a progress bar.

By default the work runs in this process. With `--queue` (and `CELERY_BROKER_URL` set)
the job goes to the Celery workers and the bar follows its progress as they report it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.management.progress import CommandStream
from articles.models import Article
from projects.models import Project
from suggestions import jobs
from suggestions.models import Job, JobStatus

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = "Compute the suggested claims of a project's articles, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--project", metavar="SLUG", help="One project (default: every one).")
        parser.add_argument("--article", metavar="ID", type=int, help="One article.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Send the job to the Celery workers (needs CELERY_BROKER_URL) and follow it.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        if options["queue"] and not settings.CELERY_BROKER_URL:
            raise CommandError("--queue needs CELERY_BROKER_URL: there are no workers without it.")
        created = self._jobs(options)
        failed = 0
        for job in created:
            job = self._run(job, options)
            failed += job.failed
            if job.status == JobStatus.FAILED:
                raise CommandError(f"Job {job.pk} failed: {job.error}")
            if options["verbosity"] > 0:
                self.stdout.write(
                    f"{job.project.slug}: suggestions computed for {job.done - job.failed} of "
                    f"{job.total} articles (job {job.pk})."
                )
        if failed:
            raise CommandError(f"{failed} articles failed; see the jobs' errors.")

    def _jobs(self, options) -> list[Job]:
        if options["article"] is not None:
            article = Article.objects.filter(pk=options["article"]).only("pk", "project").first()
            if article is None:
                raise CommandError(f"--article: no article {options['article']}.")
            if options["project"] and article.project.slug != options["project"]:
                raise CommandError("--article: that article is not in --project.")
            return [jobs.article_job_create(article_id=article.pk, project_id=article.project_id)]
        projects = Project.objects.order_by("slug")
        if options["project"]:
            projects = projects.filter(slug=options["project"])
            if not projects.exists():
                raise CommandError(f"--project: no project {options['project']!r}.")
        created = []
        for project in projects:
            # The operator's job: no user, no permission asked (`project_job_start`).
            created.append(jobs.project_job_create(user=None, project=project))
        return created

    def _bar(self, job: Job, options) -> tqdm:
        return tqdm(
            total=job.total,
            unit="article",
            file=CommandStream(self.stderr),
            disable=options["no_progress"],
            desc=f"suggest {job.project.slug}",
        )

    def _run(self, job: Job, options) -> Job:
        job = Job.objects.select_related("project").get(pk=job.pk)
        with self._bar(job, options) as bar:
            if options["queue"]:
                jobs.dispatch(job.pk)
                while True:
                    job = Job.objects.select_related("project").get(pk=job.pk)
                    bar.total = job.total
                    bar.update(job.done - bar.n)
                    if job.finished_state:
                        break
                    time.sleep(POLL_SECONDS)
            else:
                jobs.run_job(job.pk, progress=bar.update, inline=True)
        return Job.objects.select_related("project").get(pk=job.pk)
