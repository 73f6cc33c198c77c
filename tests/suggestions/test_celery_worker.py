"""A real Celery worker against the Redis at 127.0.0.1:6379 computes a project's
suggestions, and the job's progress reaches 100 %.

The worker is started as a subprocess (`celery -A config worker`) on a queue of its own,
with `DATABASE_URL` naming this test database, so it reads the articles the test
committed and writes what the test then reads. A second process cannot reach SQLite's
in-memory test database: this needs PostgreSQL, and skips elsewhere.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from projects.models import Project
from suggestions.jobs import project_job_start
from suggestions.models import Job, JobStatus, StoredSuggestion
from tests.conftest import REPO
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REDIS = ("127.0.0.1", 6379)
BROKER = "redis://127.0.0.1:6379/15"
RAMA = (
    "Albania's prime minister Edi Rama said an investigation had shown that the Iranian "
    "state was behind the July attack."
)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker is another process on the test database")
    if not _redis_answers():
        pytest.skip("needs Redis at 127.0.0.1:6379")
    from config.celery import app

    queue = f"claimdesk-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
    }
    env.pop("DATABASE_REPLICA_URL", None)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "info",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    settings.CELERY_BROKER_URL = BROKER
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    previous = app.conf.broker_url
    app.conf.broker_url = BROKER
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        app.close()  # the producer's connections to the broker
        app.conf.broker_url = previous


def _wait_for(job_id: int, process, log, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.finished_state:
            return job
        if process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    pytest.fail(f"job {job_id} not finished in {seconds} s:\n{log.read_text()[-3000:]}")


def test_a_worker_computes_a_projects_suggestions_to_100_percent(worker, actors):
    process, log = worker
    manager = UserFactory(username="nora", roles=["manager"])
    articles = [ArticleFactory(text=f"{RAMA}\n\nParagraph {n}.") for n in range(3)]

    job = project_job_start(user=manager, project=Project.objects.get(slug="main"))
    job = _wait_for(job.pk, process, log)

    assert (job.status, job.done, job.total, job.failed, job.percent) == (
        JobStatus.DONE,
        3,
        3,
        0,
        100,
    )
    stored = StoredSuggestion.objects.filter(article__in=articles)
    assert stored.count() == 3
    assert {row.data["claimant_id"] for row in stored} == {actors["rama"].pk}
    assert "suggestions.run_chunk" in log.read_text()  # the worker did it, not this process

    # The command sends its job to the workers too, and follows it to the end.
    out, err = io.StringIO(), io.StringIO()
    call_command("suggest_claims", "--project", "main", "--queue", stdout=out, stderr=err)
    assert "main: suggestions computed for 3 of 3 articles" in out.getvalue()
    assert Job.objects.filter(status=JobStatus.DONE).count() == 2
