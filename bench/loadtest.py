"""Claimdesk's load test: locust against gunicorn on PostgreSQL, on 127.0.0.1.

    .venv/bin/python bench/loadtest.py [--users 20] [--seconds 60] [--workers 4]
        [--size small|large] [--pace people|scripts]

Uses the PostgreSQL server of `DATABASE_URL` (default: postgres://postgres@127.0.0.1:5432)
with a database of its own, `claimdesk_bench_small_load` (generated on first use like the
benchmark's, and reused; the claims and decisions each run adds stay, `--regenerate`
starts again). Starts gunicorn with `--workers` sync workers, then locust headless with
`--users` concurrent users (readers, researchers creating and submitting claims,
reviewers deciding: see `bench/locustfile.py`) for `--seconds` seconds, each user acting
every 3 to 15 s as a person does (`--pace people`, the target's) or every 0.2 to 2 s as
a script does (`--pace scripts`, to find the server's capacity). Prints
throughput, latency percentiles per request kind and overall, and the error count,
and saves them as JSON under bench/results/. Exits with status 1 when any request
failed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import environment

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
P95_TARGET_MS = 500  # of every request, at 100 users on the large desk
SENTENCE = re.compile(r"[A-Z“][^.!?\n]{20,300}[.!?]")


def prepare_plan(path: Path, *, seed: int = 3, pace: str = "people") -> dict:
    """Tokens per role and the ids and passages the locust users pick from."""
    import random

    from django.contrib.auth import get_user_model

    from accounts.services import token_create
    from annotations.models import Actor, Claim
    from articles.models import Article, Source

    rng = random.Random(seed)
    users = get_user_model().objects

    def tokens(prefix: str, names: slice) -> list[tuple[str, int]]:
        accounts = list(users.filter(username__startswith=prefix).order_by("username"))[names]
        return [(token_create(user=user, name="load test")[1], user.pk) for user in accounts]

    researchers = tokens("researcher-", slice(0, 10))
    readers = tokens("researcher-", slice(10, 20)) or researchers
    reviewers = tokens("reviewer-", slice(None))
    articles = []
    article_ids = list(Article.objects.values_list("pk", flat=True))
    for article in Article.objects.filter(
        pk__in=rng.sample(article_ids, min(100, len(article_ids)))
    ):
        text = article.revisions.order_by("-number").first().text
        passages = [(m.start(), m.end(), m.group()) for m in SENTENCE.finditer(text)]
        if passages:
            articles.append(
                {"id": article.pk, "passages": rng.sample(passages, min(20, len(passages)))}
            )
    claim_ids = list(Claim.objects.filter(status="approved").values_list("pk", flat=True))
    # The pages' users log in once here: a session each, as the browser would keep it.
    from django.test import Client as DjangoClient

    def sessions(prefix: str, names: slice) -> list[str]:
        accounts = list(users.filter(username__startswith=prefix).order_by("username"))[names]
        keys = []
        for user in accounts:
            client = DjangoClient()
            client.force_login(user)
            keys.append(client.cookies["sessionid"].value)
        return keys

    actor_ids = list(Actor.objects.values_list("pk", flat=True))
    plan = {
        "pace": pace,
        "tokens": {
            "reader": [key for key, _ in readers],
            "researcher": [key for key, _ in researchers],
            "reviewer": [key for key, _ in reviewers],
        },
        "sessions": {
            "reader": sessions("researcher-", slice(10, 20))
            or sessions("researcher-", slice(0, 10)),
            "reviewer": sessions("reviewer-", slice(None)),
        },
        # A common name, common words, a phrase and a word that matches nothing.
        "search_words": ["Iran", "cyberattack", "sanctions", '"said on Wednesday"', "zyxwvut"],
        "reviewer_ids": {key: pk for key, pk in reviewers},
        "claims": rng.sample(claim_ids, min(2000, len(claim_ids))),
        "articles": articles,
        "actors": rng.sample(actor_ids, min(300, len(actor_ids))),
        "sources": list(Source.objects.exclude(kind="outlet").values_list("pk", flat=True))[:200],
    }
    path.write_text(json.dumps(plan), encoding="utf-8")
    return plan


def read_stats(prefix: Path) -> dict:
    """Locust's CSV statistics: per request name, and the aggregate."""

    def value(row: dict, key: str) -> float:
        text = row.get(key, "")
        return float(text) if text not in ("", "N/A") else 0.0

    rows = {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            name = row["Name"] if row["Type"] else "all requests"
            rows[name if name != "Aggregated" else "all requests"] = {
                "method": row["Type"],
                "requests": int(value(row, "Request Count")),
                "failures": int(value(row, "Failure Count")),
                "requests_per_s": value(row, "Requests/s"),
                "p50_ms": value(row, "50%"),
                "p95_ms": value(row, "95%"),
                "p99_ms": value(row, "99%"),
                "max_ms": value(row, "Max Response Time"),
            }
    failures = []
    failures_file = Path(f"{prefix}_failures.csv")
    if failures_file.exists():
        with failures_file.open(newline="", encoding="utf-8") as file:
            failures = [
                {"name": row["Name"], "error": row["Error"], "occurrences": int(row["Occurrences"])}
                for row in csv.DictReader(file)
            ]
    return {"requests": rows, "failures": failures}


def print_report(
    stats: dict, *, users: int, seconds: int, workers: int, pace: str = "people"
) -> None:
    total = stats["requests"]["all requests"]
    print()
    print(
        f"Load test: {users} users at the pace of {pace} for {seconds} s against gunicorn "
        f"({workers} workers) on PostgreSQL"
    )
    header = (
        f"{'request':<28} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, row in sorted(stats["requests"].items(), key=lambda item: item[0] == "all requests"):
        print(
            f"{name:<28} {row['requests']:>7} {row['failures']:>5} {row['requests_per_s']:>7.1f} "
            f"{row['p50_ms']:>6.0f} {row['p95_ms']:>6.0f} {row['p99_ms']:>6.0f}"
        )
    print("(latencies in ms)")
    print(
        f"\nThroughput {total['requests_per_s']:.1f} requests/s; errors: {total['failures']} "
        f"(target 0: {'pass' if total['failures'] == 0 else 'FAIL'}); p95 "
        f"{total['p95_ms']:.0f} ms (target < {P95_TARGET_MS} ms: "
        f"{'pass' if total['p95_ms'] < P95_TARGET_MS else 'FAIL'})"
    )
    for failure in stats["failures"]:
        print(f"  {failure['occurrences']} x {failure['name']}: {failure['error'][:200]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--pace",
        choices=("people", "scripts"),
        default="people",
        help="people: 3 to 15 s between a user's actions; scripts: 0.2 to 2 s (capacity).",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 500 or not 1 <= args.seconds <= 3600:
        parser.error("--users is 1 to 500 and --seconds 1 to 3600")

    if not environment.is_postgres(os.environ.get("DATABASE_URL")):
        os.environ["DATABASE_URL"] = DEFAULT_POSTGRES
    environment.use_bench_database(f"{args.size}_load")

    from bench import generate
    from bench.server import Gunicorn

    generate.ensure_dataset(args.size, force=args.regenerate)
    environment.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    work = environment.RESULTS_DIR / f"{stamp}-loadtest"
    work.mkdir()
    plan = work / "plan.json"
    prepare_plan(plan, pace=args.pace)

    from django.db import connections

    connections.close_all()
    with Gunicorn(workers=args.workers, log=work / "gunicorn.log") as server:
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(environment.REPO / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{args.seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{server.port}",
            "--csv",
            str(work / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        print(
            f"locust: {args.users} users at the pace of {args.pace} for {args.seconds} s "
            f"on 127.0.0.1:{server.port}"
        )
        started = time.perf_counter()
        with (work / "locust.log").open("wb") as log:
            subprocess.run(
                command,
                cwd=environment.REPO,
                env=environment.child_environment(CLAIMDESK_LOADTEST_PLAN=str(plan)),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        elapsed = time.perf_counter() - started

    stats = read_stats(work / "locust")
    print_report(
        stats, users=args.users, seconds=args.seconds, workers=args.workers, pace=args.pace
    )
    result = {
        "users": args.users,
        "pace": args.pace,
        "seconds": args.seconds,
        "elapsed": round(elapsed, 1),
        "workers": args.workers,
        "database": environment.describe(os.environ["DATABASE_URL"]),
        **stats,
    }
    path = environment.RESULTS_DIR / f"{stamp}-loadtest.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"\nSaved {path.relative_to(environment.REPO)} (locust's CSV and logs in {work.name}/)")
    return 0 if stats["requests"]["all requests"]["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
