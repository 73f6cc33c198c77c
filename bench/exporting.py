"""What the export figures time: the `export_claims` command, and the floor it is
compared with. Shared by the benchmark (which runs the command in a child process, see
`bench.export_child`) and by the tests that check the export it times is complete.

The floor is the fastest plain way to write the same approved claims: one SQL query
(the claim joined with its article, outlet, revision, claimant and author; its actors,
sources and reviews aggregated to JSON arrays by the database in the same query), each
row turned into a record with the export's fields and written with orjson, one line
each.
"""

from __future__ import annotations

import contextlib
import csv
import io
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from bench.environment import REPO, child_environment

FORMATS = ("jsonl", "csv", "webannotation", "claimreview")


# The benchmark exports one desk, as a desk does: Main desk, which holds nine articles
# in ten of the generated data (the other tenth is a partner desk's).
DESK = "main"


def desk_id() -> int:
    from projects.models import Project

    return Project.objects.values_list("pk", flat=True).get(slug=DESK)


def export_arguments(fmt: str, output: Path, *filters: str) -> list[str]:
    """The `export_claims` command line the benchmark times (after the command name)."""
    return ["--format", fmt, "--output", str(output), "--project", DESK, *filters]


def run_export(fmt: str, output: Path, *filters: str) -> float:
    """Run the command in this process; its duration in seconds."""
    from django.core.management import call_command

    started = time.perf_counter()
    # The progress bar goes to stderr: keep it out of the caller's output.
    with io.StringIO() as progress, contextlib.redirect_stderr(progress):
        call_command("export_claims", *export_arguments(fmt, output, *filters), stderr=progress)
    return time.perf_counter() - started


def run_export_child(fmt: str, output: Path, *filters: str) -> dict:
    """Run the command in a child process and watch its memory. Returns:

    - "seconds", "cpu_seconds": the command alone (without Python and Django starting),
      wall-clock and CPU time;
    - "peak_rss_mb": the child's peak resident set (`VmHWM`, read from outside while it
      runs: the peak `wait4` reports would include the parent's size at fork);
    - "setup_rss_mb": its resident set once Django was set up;
    - "rss_growth_mb": how much its resident set grew while exporting: the median of
      the samples taken in the last quarter of the export minus that of the second
      quarter (the first holds the imports of the first chunk). Flat memory is ~0.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.export_child", fmt, str(output), *filters],
        cwd=REPO,
        env=child_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    readers = _drain(process)
    samples, peak = _watch_memory(process.pid)
    status = process.wait()
    for thread in readers.threads:
        thread.join()
    if status != 0:
        detail = readers.chunks.get("err", b"").decode(errors="replace")[-2000:]
        raise RuntimeError(f"export_claims --format {fmt} failed: {detail}")
    result = orjson.loads(readers.chunks["out"].strip().splitlines()[-1])
    result["peak_rss_mb"] = peak
    ended = samples[-1][0] if samples else 0.0
    export = [rss for moment, rss in samples if moment >= ended - result["seconds"]]
    quarter = len(export) // 4
    result["rss_growth_mb"] = (
        statistics.median(export[-quarter:]) - statistics.median(export[quarter : 2 * quarter])
        if quarter >= 2
        else 0.0
    )
    return result


def _watch_memory(pid: int, every: float = 0.05) -> tuple[list[tuple[float, float]], float]:
    """Samples (time, resident set in MB) of process `pid` until it exits, and the
    highest peak (`VmHWM`) it reported, in MB."""
    samples: list[tuple[float, float]] = []
    peak = 0.0
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = status.read_text()
        except OSError:
            break
        if "VmRSS:" not in text:  # exited, waiting to be reaped
            break
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                samples.append((time.perf_counter(), int(line.split()[1]) / 1024))
            elif line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
        time.sleep(every)
    samples.append((time.perf_counter(), samples[-1][1] if samples else 0.0))
    return samples, peak


@dataclass
class _Readers:
    threads: list[threading.Thread]
    chunks: dict[str, bytes]


def _drain(process: subprocess.Popen) -> _Readers:
    """Read the child's output in threads, so that it never blocks on a full pipe."""
    chunks: dict[str, bytes] = {}

    def read(name: str, stream) -> None:
        chunks[name] = stream.read()

    threads = [
        threading.Thread(target=read, args=(name, stream), daemon=True)
        for name, stream in (("out", process.stdout), ("err", process.stderr))
    ]
    for thread in threads:
        thread.start()
    return _Readers(threads, chunks)


# -- checking what an export holds -------------------------------------------------------


def exported_ids(fmt: str, path: Path) -> list[int]:
    """The claim ids an export file holds, in order (it is parsed whole: for tests and
    the benchmark's first run, not for the largest files)."""
    data = path.read_bytes()
    if fmt == "jsonl":
        return [orjson.loads(line)["id"] for line in data.splitlines() if line.strip()]
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        column = "id" if "id" in (reader.fieldnames or []) else (reader.fieldnames or ["id"])[0]
        return [int(row[column]) for row in reader]
    document = orjson.loads(data)
    if fmt == "webannotation":
        pages = [item for item in document if item.get("type") == "AnnotationPage"]
        return [_id_from_iri(annotation["id"]) for page in pages for annotation in page["items"]]
    if fmt == "claimreview":
        return [_id_from_iri(element["item"]["url"]) for element in document["dataFeedElement"]]
    raise ValueError(fmt)


def _id_from_iri(iri: str) -> int:
    return int(iri.rstrip("/").rsplit("/", 1)[-1].split("#")[0].split("?")[0])


def count_records(fmt: str, path: Path) -> int:
    """How many claims an export file holds, counted without parsing it whole."""
    if fmt == "jsonl":
        with path.open("rb") as file:
            return sum(1 for line in file if line.strip())
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8-sig") as file:
            return max(sum(1 for _ in csv.reader(file)) - 1, 0)
    marker = {
        "webannotation": (b'"type":"Annotation",', b'"type":"Annotation"}'),
        "claimreview": (b'"@type":"ClaimReview"',),
    }[fmt]
    total, tail = 0, b""
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            window = tail + chunk
            total += sum(window.count(m) for m in marker)
            # Keep a tail shorter than any marker so that none is counted twice.
            tail = window[-(min(len(m) for m in marker) - 1) :]
            total -= sum(tail.count(m) for m in marker)
    return total


def expected_count(fmt: str) -> int:
    """How many claims the export of `fmt` holds by default: every approved claim of the
    desk (the ClaimReview feed: those whose current review round has a rated approval,
    as the export code defines it)."""
    from annotations.models import Claim

    approved = Claim.objects.filter(status="approved", project_id=desk_id())
    if fmt == "claimreview":
        from annotations.exports.claimreview import rated_claims

        return rated_claims(approved).count()
    return approved.count()


# -- the floor ----------------------------------------------------------------------


def _tables() -> dict[str, str]:
    from django.contrib.auth import get_user_model

    from annotations import models as m
    from articles import models as a

    return {
        "claim": m.Claim._meta.db_table,
        "article": a.Article._meta.db_table,
        "source": a.Source._meta.db_table,
        "revision": a.ArticleRevision._meta.db_table,
        "actor": m.Actor._meta.db_table,
        "user": get_user_model()._meta.db_table,
        "claim_actor": m.ClaimActor._meta.db_table,
        "claim_source": m.ClaimSource._meta.db_table,
        "review": m.Review._meta.db_table,
    }


def floor_query(vendor: str) -> str:
    """The floor's one query. The actors, sources and reviews of the approved claims are
    aggregated to JSON arrays per claim first (one pass over each table, which beats a
    correlated subquery per claim on PostgreSQL and matches it on SQLite), then joined
    to the claims with their article, outlet, revision, claimant and author."""
    t = _tables()

    def array(pairs: str) -> str:
        if vendor == "postgresql":
            return f"json_agg(json_build_object({pairs}))"
        return f"json_group_array(json_object({pairs}))"

    desk = int(desk_id())
    approved = f"(SELECT id FROM {t['claim']} WHERE status = 'approved' AND project_id = {desk})"
    return f"""
        WITH actors AS (
            SELECT l.claim_id, {
        array(
            "'id', x.id, 'name', x.name, 'kind', x.kind, "
            "'wikidata_id', x.wikidata_id, 'role', l.role"
        )
    } AS items
            FROM {t["claim_actor"]} l JOIN {t["actor"]} x ON x.id = l.actor_id
            WHERE l.claim_id IN {approved} GROUP BY l.claim_id
        ), sources AS (
            SELECT l.claim_id, {
        array(
            "'id', s.id, 'name', s.name, 'kind', s.kind, 'url', s.url, "
            "'locator', l.locator, 'note', l.note"
        )
    } AS items
            FROM {t["claim_source"]} l JOIN {t["source"]} s ON s.id = l.source_id
            WHERE l.claim_id IN {approved} GROUP BY l.claim_id
        ), reviews AS (
            SELECT r.claim_id, {
        array(
            "'reviewer', u.username, 'decision', r.decision, 'reason', r.reason, "
            "'comment', r.comment, 'rating_value', r.rating_value, "
            "'rating_label', r.rating_label, 'claim_version', r.claim_version, "
            "'created', r.created"
        )
    } AS items
            FROM {t["review"]} r JOIN {t["user"]} u ON u.id = r.reviewer_id
            WHERE r.claim_id IN {approved} GROUP BY r.claim_id
        )
        SELECT c.id, c.status, c.version,
               a.id, a.title, a.url, o.name, a.published, a.language,
               v.number, v.created,
               c.start, c."end", c.exact, c.prefix, c.suffix, c.anchor_state,
               c.statement, c.certainty,
               k.id, k.name, k.kind, k.wikidata_id,
               u.username, u.first_name, u.last_name,
               c.created, c.modified, c.submitted_at, c.reviewed_at,
               actors.items, sources.items, reviews.items
        FROM {t["claim"]} c
        JOIN {t["article"]} a ON a.id = c.article_id
        LEFT JOIN {t["source"]} o ON o.id = a.outlet_id
        JOIN {t["revision"]} v ON v.id = c.revision_id
        JOIN {t["actor"]} k ON k.id = c.claimant_id
        JOIN {t["user"]} u ON u.id = c.author_id
        LEFT JOIN actors ON actors.claim_id = c.id
        LEFT JOIN sources ON sources.claim_id = c.id
        LEFT JOIN reviews ON reviews.claim_id = c.id
        WHERE c.status = 'approved' AND c.project_id = {desk}
        ORDER BY c.id
    """


def copy_query() -> str:
    """The floor's query as one JSON object per approved claim, built by PostgreSQL
    itself: what `COPY … TO STDOUT` streams when the database does all the work."""
    query = floor_query("postgresql")
    head, select = query.rsplit("SELECT c.id, c.status", 1)
    _, joins = select.split("FROM", 1)
    record = """json_build_object(
            'id', c.id, 'url', '/api/v1/annotations/' || c.id, 'status', c.status,
            'version', c.version,
            'article', json_build_object('id', a.id, 'title', a.title, 'url', a.url,
                'outlet', o.name, 'published', a.published, 'language', a.language),
            'revision', json_build_object('number', v.number, 'created', v.created),
            'anchor', json_build_object('start', c.start, 'end', c."end", 'exact', c.exact,
                'prefix', c.prefix, 'suffix', c.suffix, 'state', c.anchor_state),
            'statement', c.statement, 'certainty', c.certainty,
            'claimant', json_build_object('id', k.id, 'name', k.name, 'kind', k.kind,
                'wikidata_id', k.wikidata_id),
            'actors', coalesce(actors.items, '[]'::json),
            'sources', coalesce(sources.items, '[]'::json),
            'author', json_build_object('username', u.username,
                'name', trim(u.first_name || ' ' || u.last_name)),
            'created', c.created, 'modified', c.modified,
            'submitted_at', c.submitted_at, 'reviewed_at', c.reviewed_at,
            'reviews', coalesce(reviews.items, '[]'::json))"""
    return f"{head} SELECT {record} FROM {joins}"


def run_copy(output: Path) -> tuple[int, float]:
    """PostgreSQL writing the floor's JSON Lines with `COPY (SELECT json_build_object(…))
    TO STDOUT`, streamed to `output`; (claims written, seconds). The limit of what the
    database can give: no Python touches a record."""
    from django.db import connection

    connection.ensure_connection()
    started = time.perf_counter()
    count = 0
    with (
        output.open("wb") as out,
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({copy_query()}) TO STDOUT") as copy,
    ):
        for block in copy:
            out.write(block)
            count += bytes(block).count(b"\n")
    return count, time.perf_counter() - started


def _json(value) -> list:
    if value is None:  # a claim with no rows of that kind
        return []
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def floor_records(chunk_size: int = 2000) -> Iterator[dict]:
    """The approved claims as records, read with the floor's one query."""
    from django.db import connection

    with connection.chunked_cursor() as cursor:
        cursor.execute(floor_query(connection.vendor))
        while rows := cursor.fetchmany(chunk_size):
            for row in rows:
                (cid, status, version, aid, title, url, outlet, published, language) = row[:9]
                (number, revised, start, end, exact, prefix, suffix, state) = row[9:17]
                (statement, certainty, kid, kname, kkind, kwikidata) = row[17:23]
                (username, first, last, created, modified, submitted, reviewed) = row[23:30]
                actors, sources, reviews = (_json(value) for value in row[30:33])
                yield {
                    "id": cid,
                    "url": f"/api/v1/annotations/{cid}",
                    "status": status,
                    "version": version,
                    "article": {
                        "id": aid,
                        "title": title,
                        "url": url,
                        "outlet": outlet,
                        "published": published,
                        "language": language,
                    },
                    "revision": {"number": number, "created": revised},
                    "anchor": {
                        "start": start,
                        "end": end,
                        "exact": exact,
                        "prefix": prefix,
                        "suffix": suffix,
                        "state": state,
                    },
                    "statement": statement,
                    "certainty": certainty,
                    "claimant": {"id": kid, "name": kname, "kind": kkind, "wikidata_id": kwikidata},
                    "actors": actors,
                    "sources": sources,
                    "author": {"username": username, "name": f"{first} {last}".strip()},
                    "created": created,
                    "modified": modified,
                    "submitted_at": submitted,
                    "reviewed_at": reviewed,
                    "reviews": reviews,
                }


def run_floor(output: Path) -> tuple[int, float, float]:
    """Write the floor's JSON Lines to `output`; (claims written, seconds, CPU seconds
    of this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    count = 0
    with output.open("wb") as out:
        for record in floor_records():
            out.write(orjson.dumps(record) + b"\n")
            count += 1
    return count, time.perf_counter() - started, time.process_time() - cpu
