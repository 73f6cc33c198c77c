"""The benchmark's measurements.

Each measurement is a function of a `Bench` that returns figures. A measurement whose
feature does not exist yet (a module, a URL or a command that is missing) raises
`NotAvailable` and is reported as such; `run.py` runs whatever exists.

Conventions:
- a figure holds one value per run and is summarised by median, min and max;
- latencies are measured over HTTP against gunicorn (`bench.server`), one request a
  connection, after a few warm-up requests; each run's p50 and p95 are one value each;
- SQL queries are counted in this process with Django's test client and
  `CaptureQueriesContext`, for the same requests;
- anything a measurement writes (articles for re-anchoring, imported articles) is
  deleted again, so that every run finds the dataset as generated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import importlib.util
import io
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench import exporting
from bench.figures import Figure, Target, failed, not_available, percentile
from bench.plans import Plans, request_plans
from bench.server import Client, Gunicorn

EXPORT_RATIO = Target(">=", 0.5, "≥ 0.50 x floor")
EXPORT_MEMORY = Target("<", 150, "< 150 MB")
MEMORY_FLAT = Target("<=", 10, "≤ 10 MB")
PAGE_100_P50 = Target("<", 50, "< 50 ms")
READER_P50 = Target("<", 200, "< 200 ms")
REANCHOR = Target("<", 1.0, "< 1 s")
MENTIONS = Target("<", 0.5, "< 0.5 s")
SUGGEST_P50 = Target("<", 30, "< 30 ms")
SUGGEST_DEV = Target("<", 3.0, "< 3 s")
ATTRIBUTION_F1 = Target(">=", 60, "≥ 60")
ATTRIBUTION_PRECISION = Target(">=", 75, "≥ 75")
CONTENT_MATCH_F1 = Target(">=", 70, "≥ 70")
SAME_QUERIES = Target("==", 0, "constant")

HOT_ARTICLE_TITLE = "The cyberattacks on Albania: the full investigation"


class NotAvailable(Exception):
    """The feature a measurement needs does not exist (yet)."""


def needs_module(name: str) -> None:
    try:
        found = importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        raise NotAvailable(f"no module {name}")


def needs_attribute(module: str, name: str):
    needs_module(module)
    value = getattr(importlib.import_module(module), name, None)
    if value is None:
        raise NotAvailable(f"no {module}.{name}")
    return value


def needs_url(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        raise NotAvailable(f"no URL named {name}") from None


def needs_command(name: str) -> None:
    from django.core.management import get_commands

    if name not in get_commands():
        raise NotAvailable(f"no management command {name}")


@dataclass
class Bench:
    """What the measurements share: the size, the number of runs, a scratch folder,
    the users the benchmark acts as and, once started, the gunicorn server."""

    size: str
    runs: int
    log: Callable[[str], None] = print
    workers: int = 4
    formats: tuple[str, ...] = exporting.FORMATS
    # Words naming the pages to measure (`--pages actor,source`); empty: every page.
    pages: tuple[str, ...] = ()
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="claimdesk-bench-")))
    _server: Gunicorn | None = None
    _floor_rate: float | None = None
    _copy_rate: float | None = None
    _tokens: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        self.stop_server()
        shutil.rmtree(self.work, ignore_errors=True)

    # -- the server ------------------------------------------------------------------

    def server(self) -> Gunicorn:
        if self._server is None:
            self.log(f"  starting gunicorn ({self.workers} workers)")
            self._server = Gunicorn(workers=self.workers, log=self.work / "gunicorn.log")
            self._server.start()
        return self._server

    def stop_server(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    # -- users -------------------------------------------------------------------------

    def user(self, username: str):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=username)

    def token(self, username: str) -> str:
        """One API key per user for the whole run (each new token is a new row)."""
        from accounts.services import token_create

        if username not in self._tokens:
            self._tokens[username] = token_create(user=self.user(username), name="bench")[1]
        return self._tokens[username]

    def api_client(self, username: str = "bench-reader") -> Client:
        return Client(self.server().port, {"Authorization": f"Token {self.token(username)}"})

    def page_client(self, username: str) -> Client:
        from django.test import Client as DjangoClient

        django_client = DjangoClient()
        django_client.force_login(self.user(username))
        cookie = django_client.cookies["sessionid"].value
        return Client(self.server().port, {"Cookie": f"sessionid={cookie}"})

    def query_client(self, username: str, *, token: bool):
        """Django's test client in this process, as `username`."""
        from django.test import Client as DjangoClient

        if token:
            return DjangoClient(headers={"Authorization": f"Token {self.token(username)}"})
        django_client = DjangoClient()
        django_client.force_login(self.user(username))
        return django_client


def count_queries(django_client, path: str) -> int:
    return request_plans(django_client, path).queries


NO_SCAN = Target("==", 0, "none")


def plan_figures(section: str, plans: Plans) -> list[Figure]:
    """The queries of a request, and on PostgreSQL what their plans read."""
    figures = [Figure(section, "SQL queries", "queries", [plans.queries])]
    if plans.explained:
        figures += [
            Figure(section, "plan of the costliest query", "", text=plans.costliest or "-"),
            Figure(
                section,
                "sequential scans of large tables",
                "tables",
                [len(plans.scans)],
                NO_SCAN,
                text=", ".join(plans.scans) or "none",
            ),
        ]
    return figures


def latency_runs(
    bench: Bench,
    client: Client,
    paths: Callable[[int], Iterable[str]],
    *,
    requests: int,
    warmup: int = 3,
    budget: float = 20.0,
    at_least: int = 10,
) -> tuple[list[float], list[float], list[float]]:
    """Per run: the p50 and p95 in ms of `requests` requests (fewer, but `at_least`,
    when a run would take more than `budget` seconds), and the mean CPU time in ms the
    server's workers spent per request (robust to other work on the machine, which
    stretches wall-clock times). Request i fetches every path of `paths(i)` in turn and
    counts as their summed time."""
    server = bench.server()
    p50s, p95s, cpus = [], [], []
    for _ in range(warmup):
        for path in paths(0):
            _checked(client.get(path), path)
    for _ in range(bench.runs):
        samples: list[float] = []
        started, cpu = time.perf_counter(), server.cpu_seconds()
        for index in range(requests):
            if len(samples) >= at_least and time.perf_counter() - started > budget:
                break
            total = 0.0
            for path in paths(index):
                total += _checked(client.get(path), path).seconds
            samples.append(total * 1000)
        cpus.append((server.cpu_seconds() - cpu) * 1000 / len(samples))
        p50s.append(percentile(samples, 0.5))
        p95s.append(percentile(samples, 0.95))
    return p50s, p95s, cpus


def _checked(response, path: str):
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}: {response.body[:300]!r}")
    return response


# -- the floor and the exports -----------------------------------------------------------


def _floor_once(bench: Bench) -> tuple[int, float, float]:
    """One floor run: (claims, claims/s, claims per CPU second)."""
    count, seconds, cpu = exporting.run_floor(bench.work / "floor.jsonl")
    return count, count / seconds, count / max(cpu, 1e-9)


def measure_floor(bench: Bench) -> list[Figure]:
    """Approved claims written as JSON Lines from one plain SQL query (see
    `bench.exporting`). The export figures measure it again before each of their runs,
    so that each ratio compares runs made side by side."""
    _floor_once(bench)  # warm-up: the first read of the tables comes from disk
    rates, cpu_rates = [], []
    for _ in range(bench.runs):
        count, rate, cpu_rate = _floor_once(bench)
        rates.append(rate)
        cpu_rates.append(cpu_rate)
    bench._floor_rate = statistics.median(rates)
    figures = [
        Figure("Export floor", "one SQL query + orjson, JSON Lines", "claims/s", rates),
        Figure(
            "Export floor",
            "the same per CPU second",
            "claims/s",
            cpu_rates,
            note=f"{count:,} approved claims",
        ),
    ]
    copies = _copy_rates(bench)
    if copies:
        bench._copy_rate = statistics.median(copies)
        figures.append(
            Figure(
                "Export floor",
                "PostgreSQL COPY of json_build_object, JSON Lines",
                "claims/s",
                copies,
            )
        )
    return figures


def _copy_rates(bench: Bench) -> list[float]:
    """The second floor, on PostgreSQL: the database writing the same JSON Lines itself."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    output = bench.work / "copy.jsonl"
    rates = []
    try:
        exporting.run_copy(output)  # warm-up, as for the floor
        for _ in range(bench.runs):
            count, seconds = exporting.run_copy(output)
            rates.append(count / seconds)
    finally:
        output.unlink(missing_ok=True)
    return rates


@dataclass
class _ExportRuns:
    expected: int | None = None
    rates: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cpu_ratios: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    growths: list[float] = field(default_factory=list)
    error: Exception | None = None


def _export_runs(bench: Bench, export_once) -> tuple[list[Figure], dict[str, _ExportRuns]]:
    """Run `export_once(fmt, output) -> (seconds, cpu_seconds, peak_mb, growth_mb)` for
    every format, `bench.runs` times, the floor measured afresh before each round."""
    figures: list[Figure] = []
    if bench._floor_rate is None:
        figures += measure_floor(bench)
    results = {fmt: _ExportRuns() for fmt in bench.formats}
    for run in range(bench.runs):
        _, floor, floor_cpu = _floor_once(bench)
        for fmt, runs in results.items():
            if runs.error is not None:
                continue
            output = bench.work / f"export.{fmt}"
            try:
                if runs.expected is None:
                    runs.expected = exporting.expected_count(fmt)
                seconds, cpu_seconds, peak, growth = export_once(fmt, output)
                if run == 0:
                    found = exporting.count_records(fmt, output)
                    if found != runs.expected:
                        raise RuntimeError(f"exported {found} claims, expected {runs.expected}")
            except Exception as exc:  # one format failing must not hide the others
                runs.error = exc
                continue
            finally:
                output.unlink(missing_ok=True)
            rate = runs.expected / seconds
            runs.rates.append(rate)
            runs.ratios.append(rate / floor)
            runs.cpu_ratios.append(runs.expected / max(cpu_seconds, 1e-9) / floor_cpu)
            runs.peaks.append(peak)
            if growth is not None:
                runs.growths.append(growth)
    return figures, results


def _export_figures(
    section: str, runs: _ExportRuns, *, peak_name: str, copy_rate: float | None = None
) -> list[Figure]:
    """An export's figures; beside the floor, on PostgreSQL, the export against COPY (the
    same records written by the database itself: how far the export is from it)."""
    if runs.error is not None:
        return [failed(section, "export", runs.error, EXPORT_RATIO)]
    figures = [
        Figure(section, "throughput", "claims/s", runs.rates, note=f"{runs.expected:,} claims"),
        Figure(section, "export / floor", "x", runs.ratios, EXPORT_RATIO),
        Figure(section, "export / floor, CPU time", "x", runs.cpu_ratios),
    ]
    if copy_rate:
        figures.append(
            Figure(section, "export / COPY", "x", [rate / copy_rate for rate in runs.rates])
        )
    figures.append(Figure(section, peak_name, "MB", runs.peaks, EXPORT_MEMORY))
    if runs.growths:
        figures.append(
            Figure(
                section,
                "RSS growth while exporting (2nd → 4th quarter)",
                "MB",
                runs.growths,
                MEMORY_FLAT,
            )
        )
    return figures


def measure_export_command(bench: Bench) -> list[Figure]:
    """`export_claims` in a child process, per format: throughput, export/floor ratio
    (wall-clock and CPU time), peak RSS, and how much the resident set grows while the
    export runs (flat memory does not grow with the number of claims written)."""
    needs_command("export_claims")
    needs_module("annotations.exports.formats")

    def once(fmt: str, output: Path):
        result = exporting.run_export_child(fmt, output)
        return (
            result["seconds"],
            result["cpu_seconds"],
            result["peak_rss_mb"],
            result["rss_growth_mb"],
        )

    figures, results = _export_runs(bench, once)
    for fmt, runs in results.items():
        figures += _export_figures(
            f"Export {fmt} (command)", runs, peak_name="peak RSS", copy_rate=bench._copy_rate
        )
    return figures


def measure_export_http(bench: Bench) -> list[Figure]:
    """`GET /api/v1/export/claims/?format=…` on gunicorn, per format: throughput,
    export/floor ratio (wall-clock, and the serving worker's CPU time) and the serving
    worker's peak RSS."""
    base = needs_url("v1:export-claims")
    client = bench.api_client("bench-reader")
    server = bench.server()
    peak_reset = server.reset_peak_memory()

    def once(fmt: str, output: Path):
        server.reset_peak_memory()
        cpu = server.cpu_seconds()
        with output.open("wb") as sink:
            response = client.get(f"{base}?format={fmt}&project={exporting.desk_id()}", sink=sink)
        if response.status != 200:
            raise RuntimeError(f"answered {response.status}: {output.read_bytes()[:300]!r}")
        return response.seconds, server.cpu_seconds() - cpu, server.peak_memory_mb(), None

    figures, results = _export_runs(bench, once)
    name = "worker peak RSS" if peak_reset else "worker peak RSS (since the worker started)"
    for fmt, runs in results.items():
        figures += _export_figures(
            f"Export {fmt} (HTTP)", runs, peak_name=name, copy_rate=bench._copy_rate
        )
    return figures


# -- the API --------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    url_names: tuple[str, ...]
    paths: Callable[[int], list[str]]
    target: Target | None = None
    note: str = ""


def _samples(bench: Bench) -> tuple[list[int], list[int]]:
    """Claim ids and article ids the API figures rotate through (fixed by a seed)."""
    from annotations.models import Claim
    from articles.models import Article

    rng = random.Random(7)
    desk = exporting.desk_id()  # the benchmark's reader works on this desk only
    claim_ids = list(
        Claim.objects.filter(status="approved", project_id=desk).values_list("pk", flat=True)
    )
    article_ids = list(
        Article.objects.filter(project_id=desk)
        .exclude(title=HOT_ARTICLE_TITLE)
        .filter(claims__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    return rng.sample(claim_ids, min(200, len(claim_ids))), rng.sample(
        article_ids, min(200, len(article_ids))
    )


def api_endpoints(bench: Bench) -> list[Endpoint]:
    from django.urls import NoReverseMatch, reverse

    claim_ids, article_ids = _samples(bench)

    def url(name: str, *args) -> str:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return ""

    def claim(i: int) -> list[str]:
        return [url("v1:claim-detail", claim_ids[i % len(claim_ids)])]

    def article(i: int) -> list[str]:
        article_id = article_ids[i % len(article_ids)]
        return [
            url("v1:article-detail", article_id),
            f"{url('v1:claim-list')}?article={article_id}&page_size=100",
        ]

    def annotation(i: int) -> list[str]:
        return [url("v1:annotation-detail", claim_ids[i % len(claim_ids)])]

    from annotations.models import Claim
    from projects.models import Project

    # The desk the reads keep to, as a desk's client asks: `?project=` on the lists and
    # the desk's own annotation container.
    desk = Project.objects.filter(slug="main").values_list("pk", flat=True).first() or 0
    # The reader of the benchmark works on Main desk only: its containers hold that
    # desk's approved claims.
    desk_approved = Claim.objects.filter(status="approved", project_id=desk).count()
    last_page = desk_last_page = max((desk_approved + 99) // 100, 1)
    busiest_name = busiest_actor().name

    def desk_container(page: int | None = None) -> str:
        path = url("v1:project-annotation-list", desk)
        return f"{path}?page={page}" if page and path else path

    return [
        Endpoint(
            "claims, page of 10, one desk",
            ("v1:claim-list",),
            lambda i: [f"{url('v1:claim-list')}?page_size=10&project={desk}"],
        ),
        Endpoint(
            "claims, page of 100, one desk",
            ("v1:claim-list",),
            lambda i: [f"{url('v1:claim-list')}?page_size=100&project={desk}"],
            PAGE_100_P50,
        ),
        Endpoint(
            "claims, page of 100, every desk of the user",
            ("v1:claim-list",),
            lambda i: [f"{url('v1:claim-list')}?page_size=100"],
        ),
        Endpoint(
            "claims, q= a word that matches nothing",
            ("v1:claim-list",),
            lambda i: [f"{url('v1:claim-list')}?q=zzyzxq&project={desk}"],
        ),
        Endpoint(
            "claims, q= the busiest actor's name",
            ("v1:claim-list",),
            lambda i: [f"{url('v1:claim-list')}?{urlencode({'q': busiest_name})}&project={desk}"],
            note=busiest_name,
        ),
        Endpoint(
            "claims, q= a phrase of quotes (full-text search)",
            ("v1:claim-list",),
            lambda i: [f"{url('v1:claim-list')}?{urlencode({'q': 'said the'})}&project={desk}"],
        ),
        Endpoint(
            "articles, q= a word of article bodies (full-text search)",
            ("v1:article-list",),
            lambda i: [f"{url('v1:article-list')}?q=investigation&project={desk}"],
        ),
        Endpoint("one claim", ("v1:claim-detail",), claim),
        Endpoint(
            "article + its claims (2 requests)", ("v1:article-detail", "v1:claim-list"), article
        ),
        Endpoint(
            "annotation container (first page of 100 embedded)",
            ("v1:annotation-list",),
            lambda i: [url("v1:annotation-list")],
        ),
        Endpoint(
            "annotation container, last page",
            ("v1:annotation-list",),
            lambda i: [f"{url('v1:annotation-list')}?page={last_page}"],
            note=f"page {last_page:,} of 100 annotations",
        ),
        Endpoint(
            "desk's annotation container (first page embedded)",
            ("v1:project-annotation-list",),
            lambda i: [desk_container()],
        ),
        Endpoint(
            "desk's annotation container, last page",
            ("v1:project-annotation-list",),
            lambda i: [desk_container(desk_last_page)],
            note=f"page {desk_last_page:,} of 100 annotations",
        ),
        Endpoint("one annotation", ("v1:annotation-detail",), annotation),
    ]


LIST_ENDPOINTS = (
    ("claims", "v1:claim-list"),
    ("articles", "v1:article-list"),
    ("actors", "v1:actor-list"),
    ("sources", "v1:source-list"),
)


def measure_api(bench: Bench, *, searches_only: bool = False) -> list[Figure]:
    """Latency p50/p95 over HTTP and SQL queries per request, for the read endpoints;
    and whether each list endpoint costs the same queries for 10 rows as for 100.
    `searches_only`: the searches (`q=`) alone."""
    needs_module("annotations.api.urls")
    needs_url("v1:claim-list")
    figures: list[Figure] = []
    client = bench.api_client("bench-reader")
    counter = bench.query_client("bench-reader", token=True)
    for endpoint in api_endpoints(bench):
        if searches_only and "q=" not in endpoint.name:
            continue
        section = f"API: {endpoint.name}"
        try:
            for name in endpoint.url_names:
                needs_url(
                    name, *([1] if "detail" in name or name.startswith("v1:project-") else [])
                )
        except NotAvailable as exc:
            figures.append(not_available(section, "latency", str(exc)))
            continue
        try:
            plans = Plans()
            for path in endpoint.paths(0):
                plans = plans.add(request_plans(counter, path))
            p50s, p95s, cpus = latency_runs(bench, client, endpoint.paths, requests=40)
        except Exception as exc:
            figures.append(failed(section, "p50", exc, endpoint.target))
            continue
        figures += [
            Figure(section, "p50", "ms", p50s, endpoint.target, note=endpoint.note),
            Figure(section, "p95", "ms", p95s),
            Figure(section, "server CPU per request", "ms", cpus),
            *plan_figures(section, plans),
        ]
    if searches_only:
        return figures
    for label, name in LIST_ENDPOINTS:
        section = "API: queries by page size"
        try:
            path = needs_url(name)
            small = count_queries(counter, f"{path}?page_size=10")
            large = count_queries(counter, f"{path}?page_size=100")
        except NotAvailable as exc:
            figures.append(not_available(section, label, str(exc)))
            continue
        figures.append(
            Figure(
                section,
                f"{label} list, 10 → 100 rows",
                "queries",
                [large - small],
                SAME_QUERIES,
                text=f"{small} → {large}",
            )
        )
    return figures


# -- pages ---------------------------------------------------------------------------


def hot_article():
    """The dataset's article with the most claims (1,000 awaiting review)."""
    from django.db.models import Count

    from articles.models import Article

    return Article.objects.annotate(n=Count("claims")).order_by("-n", "pk").first()


def busiest_reviewer() -> str:
    """The reviewer with the most reviews: what the queue costs those who use it most
    (it leaves out what they approved in the current round)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    reviewer = (
        get_user_model()
        .objects.annotate(n=Count("reviews"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    return reviewer.get_username() if reviewer else "bench-reviewer"


def busiest_actor():
    """The actor named in the most claims of the benchmark's desk, as the claimant or in a
    role: the desk's Iran, whose page a fact-checker opens most."""
    from django.db.models import Count, Q

    from annotations.models import Actor

    desk = exporting.desk_id()
    return (
        Actor.objects.annotate(
            n=Count("claim_links", filter=Q(claim_links__claim__project_id=desk))
        )
        .order_by("-n", "pk")
        .first()
    )


def most_cited_source():
    from django.db.models import Count

    from articles.models import Source

    return Source.objects.annotate(n=Count("claim_links")).order_by("-n", "pk").first()


def busiest_researcher() -> str:
    """The author of the most claims: what My work costs those who use it most."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    author = (
        get_user_model()
        .objects.filter(username__startswith="researcher-")
        .annotate(n=Count("claims"))
        .order_by("-n", "pk")
        .first()
    )
    return author.get_username() if author else "bench-reader"


def sample_claim_id() -> int:
    """An approved claim of the benchmark's desk (the newest: a claim page opened from
    the lists)."""
    from annotations.models import Claim

    claim = (
        Claim.objects.filter(status="approved", project_id=exporting.desk_id())
        .order_by("-created", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    return claim or 0


def measure_pages(bench: Bench) -> list[Figure]:
    """The pages a desk opens every day, each as the user who opens it: latency over
    HTTP, SQL queries and (on PostgreSQL) their plans. The reader on the article with
    1,000 claims; the review queue whose first pages hold that article's claims, and the
    article list, as the busiest reviewer (both count the queue); the busiest actor's
    page alone and with its parts; the most cited source's page; the registry's lists
    and the orphaned claims; the claims page (all, awaiting review, the busiest
    actor's), a claim's page, My work as the busiest researcher and reviewer, the desk's
    project page and the project list, the busiest actor's story graph, the export page
    and the hot article's revisions."""
    article = hot_article()
    claims = article.n if article else 0
    reviewer = busiest_reviewer()
    actor = busiest_actor()
    source = most_cited_source()
    reader = "bench-reader"
    researcher = busiest_researcher()
    pages = [
        (
            f"Reader, article with {claims:,} claims",
            "article_reader",
            (article.pk,),
            "",
            reader,
            READER_P50,
        ),
        ("Review queue, first page", "review_queue", (), "", reviewer, None),
        ("Article list, as the busiest reviewer", "article_list", (), "", reviewer, None),
        (
            "Article list, searching a word of most articles",
            "article_list",
            (),
            "?q=investigation",
            reader,
            None,
        ),
        ("Actor page of the busiest actor", "actor_detail", (actor.pk,), "", reader, None),
        (
            "Actor page of the busiest actor, with its parts",
            "actor_detail",
            (actor.pk,),
            "?include_children=1",
            reader,
            None,
        ),
        ("Source page of the most cited source", "source_detail", (source.pk,), "", reader, None),
        ("Actor list", "actor_list", (), "", reader, None),
        ("Source list", "source_list", (), "", reader, None),
        ("Orphaned claims", "orphaned_claims", (), "", reader, None),
        ("Claims page, every claim", "claim_index", (), "", reader, None),
        ("Claims page, awaiting review", "claim_index", (), "?status=submitted", reader, None),
        ("Claims page, recently changed", "claim_index", (), "?sort=-modified", reader, None),
        ("Claims page, by status", "claim_index", (), "?sort=status", reader, None),
        (
            "Claims page, the busiest actor",
            "claim_index",
            (),
            f"?actor={actor.pk}",
            reader,
            None,
        ),
        ("Claim page", "claim_detail", (sample_claim_id(),), "", reader, None),
        ("My work, as the busiest researcher", "my_work", (), "", researcher, None),
        ("My work, as the busiest reviewer", "my_work", (), "", reviewer, None),
        ("Project page of the desk", "project_detail", ("main",), "", reader, None),
        ("Project list", "project_list", (), "", reader, None),
        ("Story graph of the busiest actor", "story_graph", (), f"?actor={actor.pk}", reader, None),
        ("Export page", "export_page", (), "", reader, None),
        ("Export page, JSON Lines counted", "export_page", (), "?format=jsonl", reader, None),
        (
            "Export page, ClaimReview counted",
            "export_page",
            (),
            "?format=claimreview",
            reader,
            None,
        ),
        (
            "Revisions of the article with the most claims",
            "article_revisions",
            (article.pk,),
            "",
            reader,
            None,
        ),
    ]
    named = {
        "Actor page of the busiest actor": actor.name,
        "Actor page of the busiest actor, with its parts": actor.name,
        "Source page of the most cited source": source.name,
        "Claims page, the busiest actor": actor.name,
        "Story graph of the busiest actor": actor.name,
    }
    if bench.pages:
        pages = [page for page in pages if any(word in page[0].lower() for word in bench.pages)]
    figures: list[Figure] = []
    if not bench.pages or any(word in "review decision" for word in bench.pages):
        figures += measure_decisions(bench)
    for section, url_name, args, query, username, target in pages:
        try:
            path = needs_url(url_name, *args) + query
        except NotAvailable as exc:
            figures.append(not_available(section, "latency", str(exc)))
            continue
        figures += page_figures(
            bench,
            section,
            path,
            username,
            target,
            requests=15,
            note=lambda size, plans, s=section: (
                f"{size / 1024:,.0f} KB of HTML" + (f"; {named[s]}" if s in named else "")
            ),
        )
    return figures


DECISIONS_PER_RUN = 10


def measure_decisions(bench: Bench) -> list[Figure]:
    """A review decision from the queue as its page's script sends it (POST with
    `Accept: application/json`; the answer names the next claim and the queue's count),
    as the busiest reviewer, on the oldest claims of their queue: "changes requested",
    and afterwards each claim is submitted again by its author (not timed), so the
    dataset stays as it was for the next run."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from annotations.models import Claim
    from annotations.selectors import review_queue
    from annotations.services.claims import claim_submit

    section = "Review decision from the queue, as the busiest reviewer"
    username = busiest_reviewer()
    reviewer = get_user_model().objects.get(username=username)
    wanted = DECISIONS_PER_RUN * bench.runs + 2
    claims = list(review_queue(reviewer).values_list("pk", "version")[:wanted])
    if len(claims) < wanted:
        return [not_available(section, "p50", f"the queue holds {len(claims)} claims")]
    client = bench.page_client(username)
    queue = _checked(client.get(reverse("review_queue")), "/review/")
    token = queue.headers.get("Set-Cookie", "").split("csrftoken=", 1)[-1].split(";", 1)[0]
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{client.headers['Cookie']}; csrftoken={token}",
        "X-CSRFToken": token,
    }
    server = bench.server()
    decided: list[int] = []

    def decide(pk: int, version: int) -> float:
        body = urlencode(
            {"version": version, "decision": "request_changes", "comment": "Check the source."}
        ).encode()
        path = reverse("review_decide", args=[pk])
        answer = client.request("POST", path, body=body, headers=headers)
        if answer.status != 200:
            raise RuntimeError(f"POST {path} answered {answer.status}: {answer.body[:200]!r}")
        decided.append(pk)
        return answer.seconds * 1000

    p50s, p95s, cpus = [], [], []
    try:
        for pk, version in claims[:2]:  # warm-up
            decide(pk, version)
        for run in range(bench.runs):
            start = 2 + run * DECISIONS_PER_RUN
            cpu = server.cpu_seconds()
            samples = [decide(pk, v) for pk, v in claims[start : start + DECISIONS_PER_RUN]]
            cpus.append((server.cpu_seconds() - cpu) * 1000 / len(samples))
            p50s.append(percentile(samples, 0.5))
            p95s.append(percentile(samples, 0.95))
    except Exception as exc:
        return [failed(section, "p50", exc)]
    finally:
        for claim in Claim.objects.filter(pk__in=decided).select_related("author"):
            claim_submit(user=claim.author, claim_id=claim.pk, version=claim.version)
    note = f"{len(decided)} decisions on the oldest claims of a queue of 1,000+"
    return [
        Figure(section, "p50", "ms", p50s, note=note),
        Figure(section, "p95", "ms", p95s),
        Figure(section, "server CPU per request", "ms", cpus),
    ]


def page_figures(bench, section, path, username, target, *, requests, note) -> list[Figure]:
    """One page as `username` over HTTP: p50 (with `note(size, plans)`), p95, server
    CPU and, on PostgreSQL, its plans; a failed figure when it cannot be read."""
    try:
        plans = request_plans(bench.query_client(username, token=False), path)
        client = bench.page_client(username)
        size = len(_checked(client.get(path), path).body)
        p50s, p95s, cpus = latency_runs(
            bench, client, lambda i, p=path: [p], requests=requests, warmup=2
        )
    except Exception as exc:
        return [failed(section, "p50", exc, target)]
    return [
        Figure(section, "p50", "ms", p50s, target, note=note(size, plans)),
        Figure(section, "p95", "ms", p95s),
        Figure(section, "server CPU per request", "ms", cpus),
        *plan_figures(section, plans),
    ]


# -- search ---------------------------------------------------------------------------

# What the search page is measured on: the dominant actor's name (it and its aliases
# find two claims in five), a person's name, a phrase of the generated prose, an alias
# ("Tehran" finds what names Iran) and a word that matches nothing.
SEARCHES = (
    ("the busiest actor's name", "Iran"),
    ("a person's name", "Edi Rama"),
    ("a phrase", '"an investigation had shown"'),
    ("an alias", "Tehran"),
    ("a word that matches nothing", "zzyzxq"),
)
SEARCH_P50 = Target("<", 50, "< 50 ms")


def measure_search(bench: Bench) -> list[Figure]:
    """The search page (`/search/?q=`) as a researcher of the desk: latency over HTTP,
    SQL queries and (on PostgreSQL) their plans, for a common name, a rare one, a phrase,
    an alias and a word that matches nothing."""
    figures: list[Figure] = []
    reader = "bench-reader"
    for label, text in SEARCHES:
        section = f"Search page, {label}"
        try:
            path = f"{needs_url('search')}?{urlencode({'q': text})}"
        except NotAvailable as exc:
            figures.append(not_available(section, "latency", str(exc)))
            continue
        figures += page_figures(
            bench,
            section,
            path,
            reader,
            SEARCH_P50,
            requests=20,
            note=lambda size, plans, t=text: (
                f"q={t}; {size / 1024:,.0f} KB of HTML; {plans.queries} queries"
            ),
        )
    return figures


# -- re-anchoring -------------------------------------------------------------------------


def edited_text(rng: random.Random, text: str, registry) -> str:
    """An editor's revision of a long article. The first third stays as it was (its
    claims stay anchored); after it, a paragraph is added (the claims after it move),
    words change in one paragraph in five (those claims match fuzzily or move), two
    paragraphs are cut (their claims are orphaned) and two are swapped."""
    from bench.generate import write_text

    paragraphs = text.split("\n\n")
    third = len(paragraphs) // 3
    for index in range(third + 1, len(paragraphs), 5):
        paragraphs[index] = paragraphs[index].replace(" the ", " a ", 2).replace(" said ", " says ")
    added, _ = write_text(rng, registry, 600)
    paragraphs.insert(third, added)
    del paragraphs[third + 6]
    del paragraphs[third + 16]
    paragraphs[third + 3], paragraphs[-4] = paragraphs[-4], paragraphs[third + 3]
    return "\n\n".join(paragraphs)


def _delete_articles(article_ids: list[int]) -> None:
    """Delete articles without claims (imported ones) and their revisions."""
    from django.db import transaction

    from articles.models import Article, ArticleRevision

    with transaction.atomic():
        ArticleRevision.objects.filter(article_id__in=article_ids).delete()
        Article.objects.filter(pk__in=article_ids).delete()


class _Undo(Exception):
    """Raised to roll back what a measurement wrote."""


def measure_reanchor(bench: Bench) -> list[Figure]:
    """`article_revise` on a 100,000-character article with 1,000 claims of every
    status, after an edit that moves, changes and removes passages.

    The article is made for each run and everything is rolled back afterwards (the audit
    trail refuses deletes), so the timing leaves out the final commit.
    """
    article_revise = needs_attribute("annotations.services.revisions", "article_revise")
    from django.db import transaction

    from annotations import models as m
    from articles import models as a
    from bench.generate import Builder, explicit_timestamps, load_registry

    registry = load_registry()
    editor = bench.user("editor")
    seconds, counts = [], {}
    for run in range(bench.runs):
        builder = Builder(random.Random(11), registry)
        try:
            with transaction.atomic():
                with explicit_timestamps(
                    a.Article, a.ArticleRevision, m.Claim, m.Review, m.ClaimEvent
                ):
                    builder.add_article(
                        number=9_000_000 + run,
                        chars=100_000,
                        claims=1_000,
                        created=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
                        title=f"Re-anchoring fixture {run}",
                    )
                    article = builder.articles[0]
                    builder.write()
                text = edited_text(random.Random(12), article.text, registry)
                started = time.perf_counter()
                result = article_revise(
                    user=editor, article_id=article.pk, text=text, note="Benchmark edit"
                )
                seconds.append(time.perf_counter() - started)
                counts = getattr(result, "counts", {}) or {}
                raise _Undo
        except _Undo:
            pass
    states = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
    return [
        Figure(
            "Re-anchoring",
            "1,000 claims after an edit of a 100,000-character article",
            "s",
            seconds,
            REANCHOR,
            note=states,
        )
    ]


# -- mention detection ------------------------------------------------------------------


def measure_mentions(bench: Bench) -> list[Figure]:
    """`MentionIndex` over 5,000 actors (three names each) on 100,000 characters, with
    the registry and text of `bench/mentions_bench.py`."""
    mention_index = needs_attribute("annotations.mentions", "MentionIndex")
    from bench import mentions_bench

    rng = random.Random(1)
    entries = mentions_bench.registry(rng, 5_000, 3)
    sample = mentions_bench.text(rng, entries, 100_000)
    builds, finds = [], []
    for _ in range(max(bench.runs, 5)):
        started = time.perf_counter()
        index = mention_index.build(entries)
        built = time.perf_counter()
        found = index.find(sample)
        builds.append(built - started)
        finds.append(time.perf_counter() - built)
    return [
        Figure(
            "Mention detection",
            "find in 100,000 characters, 5,000 actors",
            "s",
            finds,
            MENTIONS,
            note=f"{len(found):,} mentions; the index is built once per registry change",
        ),
        Figure("Mention detection", "build the index of 15,000 names", "s", builds),
    ]


# -- suggestions -------------------------------------------------------------------------


def measure_suggest(bench: Bench) -> list[Figure]:
    """The suggestion engine: one 6,000-character article against 5,000 actors, the 84
    dev articles of the shared corpus in one process, and the engine's figures there
    (attribution and content match, scored as the corpus's scorer does)."""
    needs_attribute("annotations.suggesting", "suggest")
    from bench import suggest_bench

    section = "Suggestions"
    p50s, totals = [], []
    found = 0
    texts = suggest_bench.dev_articles()
    for _ in range(max(bench.runs, 3)):
        p50, found = suggest_bench.article_p50(5_000, 6_000, 50)
        p50s.append(p50 * 1000)
        if texts:
            totals.append(suggest_bench.dev_total(texts))
    figures = [
        Figure(
            section,
            "one 6,000-character article, 5,000 actors (p50)",
            "ms",
            p50s,
            SUGGEST_P50,
            note=f"{found} suggestions; the mention index is built once per registry change",
        )
    ]
    if not texts:
        return [
            *figures,
            not_available(section, "dev articles", "no ../shared/corpora/polnear-dev"),
        ]
    result = suggest_bench.dev_quality()
    metrics = result.metrics
    attribution, content = metrics["attribution"], metrics["content_match"]
    return [
        *figures,
        Figure(section, f"{len(texts)} dev articles, one process", "s", totals, SUGGEST_DEV),
        Figure(
            section,
            "attribution precision (dev)",
            "%",
            [100 * attribution["precision"]],
            ATTRIBUTION_PRECISION,
            note=f"{result.predicted_attributions} suggested",
        ),
        Figure(
            section,
            "attribution recall (dev)",
            "%",
            [100 * attribution["recall"]],
            note=f"{result.gold_attributions} annotated",
        ),
        Figure(section, "attribution F1 (dev)", "%", [100 * attribution["f1"]], ATTRIBUTION_F1),
        Figure(section, "content match F1 (dev)", "%", [100 * content["f1"]], CONTENT_MATCH_F1),
    ]


# -- import ------------------------------------------------------------------------------


def write_import_folder(folder: Path, count: int, registry, seed: int = 5) -> None:
    """`count` text files as they arrive from the web: a headline, paragraphs, ad-slot
    markers, a paragraph repeated, stray spaces and a "Source link" trailer."""
    from bench.generate import write_text

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text, _ = write_text(rng, registry, 6_000)
        paragraphs = text.split("\n\n")
        paragraphs.insert(len(paragraphs) // 2, "[ad_1]")
        paragraphs.insert(3, paragraphs[1])
        body = "\n\n".join(p.replace(". ", ".  ", 1) for p in paragraphs)
        headline = f"Imported report {seed}-{number} on the attacks"
        (folder / f"report-{number:04d}.txt").write_text(
            f"{headline}\n\n{body}\n\nSource link\n", encoding="utf-8"
        )


def measure_import(bench: Bench) -> list[Figure]:
    """`import_articles FOLDER` on a folder of text files, in this process."""
    needs_command("import_articles")
    from django.core.management import call_command

    from bench.generate import load_registry

    count = 100
    folder = bench.work / "import"
    write_import_folder(folder, count, load_registry())
    rates = []
    for _ in range(bench.runs):
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        try:
            with contextlib.redirect_stderr(err):
                call_command(
                    "import_articles", str(folder), "--project", "main", stdout=out, stderr=err
                )
        finally:
            seconds = time.perf_counter() - started
            ids = [
                int(line.split("\t")[0])
                for line in out.getvalue().splitlines()
                if line[:1].isdigit()
            ]
            _delete_articles(ids)
        if len(ids) != count:
            raise RuntimeError(f"imported {len(ids)} of {count} files: {err.getvalue()[-500:]}")
        rates.append(count / seconds)
    return [
        Figure(
            "Import",
            f"folder of {count} text files of ~6,000 characters",
            "articles/s",
            rates,
        )
    ]


# -- the reader in a browser -------------------------------------------------------------

READER_USABLE = Target("<", 300, "< 300 ms")
BROWSER_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def measure_reader_browser(bench: Bench) -> list[Figure]:
    """The reader on the article with 1,000 claims in headless Chromium, as its user
    meets it: from navigation until the page's script has run (DOMContentLoaded ends
    after module scripts; the highlights, rendered by the server, are on the page and
    answer clicks from then on), and until the load event ends. Read from the page's
    own Navigation Timing, so the driver's round trips are not in the figure."""
    import shutil

    needs_module("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise NotAvailable("Chromium is not installed")
    article = hot_article()
    path = needs_url("article_reader", article.pk)
    section = f"Reader in Chromium, article with {article.n:,} claims"
    cookie = bench.page_client("bench-reader").headers["Cookie"].split("=", 1)[1]
    base = f"http://127.0.0.1:{bench.server().port}"

    import os

    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    usable, loaded, painted = [], [], []
    timing = """() => {
        const n = performance.getEntriesByType("navigation")[0];
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return [n.domContentLoadedEventEnd, n.loadEventEnd, paint ? paint.startTime : 0,
                document.querySelectorAll("mark.hl").length];
    }"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
            page = context.new_page()
            for _ in range(2):  # warm-up: the server's caches and the browser's
                page.goto(base + path, wait_until="load")
            for _ in range(bench.runs):
                samples = []
                for _ in range(5):
                    page.goto(base + path, wait_until="load")
                    page.wait_for_function(
                        "performance.getEntriesByType('navigation')[0].loadEventEnd > 0"
                    )
                    samples.append(page.evaluate(timing))
                marks = samples[0][3]
                if not marks:
                    raise RuntimeError("the reader showed no highlight")
                usable.append(statistics.median(sample[0] for sample in samples))
                loaded.append(statistics.median(sample[1] for sample in samples))
                painted.append(statistics.median(sample[2] for sample in samples))
        finally:
            browser.close()
    return [
        Figure(
            section,
            "navigation → script run, highlights clickable",
            "ms",
            usable,
            READER_USABLE,
            note=f"{marks:,} highlights",
        ),
        Figure(section, "navigation → first contentful paint", "ms", painted),
        Figure(section, "navigation → load event end", "ms", loaded),
    ]


# In the order they run: those on the server first, then those that write.
MEASURES: dict[str, Callable[[Bench], list[Figure]]] = {
    "floor": measure_floor,
    "api": measure_api,
    "pages": measure_pages,
    "search": measure_search,
    "search-api": lambda bench: measure_api(bench, searches_only=True),
    "reader-browser": measure_reader_browser,
    "export-http": measure_export_http,
    "export": measure_export_command,
    "reanchor": measure_reanchor,
    "mentions": measure_mentions,
    "suggest": measure_suggest,
    "import": measure_import,
}
SERVER_MEASURES = {"api", "pages", "search", "search-api", "reader-browser", "export-http"}
