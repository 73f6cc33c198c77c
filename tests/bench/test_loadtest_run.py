"""The load test run for real, briefly: locust's users (readers, researchers, reviewers,
page readers and reviewers) against a live server on the tiny desk, every request
answered without a failure. PostgreSQL only, as `make loadtest` is: its writers and
readers run at once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from bench.generate import populate
from bench.loadtest import prepare_plan, read_stats
from tests.bench.conftest import TINY

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the load test runs on PostgreSQL"
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def live_desk(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return populate(TINY, seed=3)


def test_every_kind_of_user_works_without_a_failure(live_desk, live_server, tmp_path):
    plan = prepare_plan(tmp_path / "plan.json", pace="scripts")
    assert plan["pace"] == "scripts"
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(REPO / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        "14",  # the users' weights add up to 14: one of each kind at least
        "--spawn-rate",
        "14",
        "--run-time",
        "8s",
        "--stop-timeout",
        "5",
        "--host",
        live_server.url,
        "--csv",
        str(tmp_path / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    environment = {**os.environ, "CLAIMDESK_LOADTEST_PLAN": str(tmp_path / "plan.json")}
    finished = subprocess.run(
        command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120
    )
    stats = read_stats(tmp_path / "locust")
    assert stats["failures"] == [], stats["failures"]
    names = set(stats["requests"])
    for kind in ("one claim", "create claim", "submit claim", "page: reader", "page: review queue"):
        assert kind in names, (kind, sorted(names), finished.stdout[-2000:])
    assert stats["requests"]["all requests"]["requests"] > 30
