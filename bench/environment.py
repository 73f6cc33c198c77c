"""The benchmark's own database, and the environment Django starts in.

Settings read `DATABASE_URL` once, when they are imported, so everything here runs
before `django.setup()`: `use_bench_database(size)` points the environment at the
benchmark's database and only then sets Django up.

The benchmark never writes to the development database:
- without `DATABASE_URL` (or with a SQLite one) it uses a SQLite file of its own,
  `bench/data/claimdesk-bench-<size>.sqlite3` (the folder is ignored by git);
- with a PostgreSQL `DATABASE_URL` it uses the same server and credentials but a
  database of its own, `claimdesk_bench_<size>`, which it creates when missing.

Processes the benchmark starts (gunicorn, the export command, locust) inherit the same
environment from `child_environment()`.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "bench" / "data"
RESULTS_DIR = REPO / "bench" / "results"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def is_postgres(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in POSTGRES_SCHEMES


def bench_database_url(name: str, base_url: str | None = None) -> str:
    """The benchmark database called `name` (the size, or "small_load" for the load
    test), derived from `base_url` (default: the `DATABASE_URL` of the environment).
    Never the database `base_url` itself names. `BENCH_DATABASE_SUFFIX` (letters, digits,
    "_") names a copy, so that two branches can each migrate a desk of their own."""
    name += os.environ.get("BENCH_DATABASE_SUFFIX", "")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"not a benchmark database name: {name!r}")
    base = os.environ.get("DATABASE_URL", "") if base_url is None else base_url
    if is_postgres(base):
        return urlunsplit(urlsplit(base)._replace(path=f"/claimdesk_bench_{name}"))
    return f"sqlite:///{DATA_DIR / f'claimdesk-bench-{name}.sqlite3'}"


def describe(url: str) -> str:
    """The database for people: engine and name, without credentials."""
    parts = urlsplit(url)
    if is_postgres(url):
        return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"
    path = Path("/" + parts.path.lstrip("/"))
    return f"SQLite {path.relative_to(REPO) if REPO in path.parents else path}"


def _maintenance_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 5432,
        user=parts.username or None,
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def ensure_database(url: str, *, fresh: bool = False) -> None:
    """Create the benchmark database when missing; with `fresh`, start from an empty one."""
    if not is_postgres(url):
        path = Path(urlsplit(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("claimdesk_bench_"):
        raise RuntimeError(f"refusing to manage a database not made for the benchmark: {name}")
    with _maintenance_connection(url) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def configure(url: str) -> None:
    """Set the environment Django (and every child process) starts in.

    Production defaults (DEBUG off), a key of this run's own (sessions and the servers
    the benchmark starts share it), plain HTTP on 127.0.0.1.
    """
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(32))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"


def use_bench_database(name: str, *, fresh: bool = False) -> str:
    """Point the environment at the benchmark database `name` (see
    `bench_database_url`), create it when missing, and set Django up on it. Returns the
    database URL."""
    import django

    url = bench_database_url(name)
    ensure_database(url, fresh=fresh)
    configure(url)
    django.setup()
    from django.conf import settings

    name = str(settings.DATABASES["default"]["NAME"])
    if name == str(REPO / "db.sqlite3") or "bench" not in name:
        raise RuntimeError(f"not a benchmark database: {name}")
    return url


def child_environment(**extra: str) -> dict[str, str]:
    """The environment of a process the benchmark starts: this one's, plus `extra`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env
