"""Celery tasks: the job code of `suggestions.jobs`, run on a worker. Sent by name
(`suggestions.jobs.dispatch`), so the web processes never import Celery's task machinery.
"""

from celery import shared_task

from suggestions import jobs


@shared_task(name=jobs.RUN_JOB_TASK, ignore_result=True)
def run_job(job_id: int) -> None:
    jobs.run_job(job_id)


@shared_task(name=jobs.RUN_CHUNK_TASK, ignore_result=True)
def run_chunk(job_id: int, article_ids: list[int]) -> None:
    jobs.run_chunk(job_id, article_ids)
