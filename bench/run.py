"""Claimdesk's benchmark: the figures of the README's Performance section.

    .venv/bin/python bench/run.py --size small|large [--runs N] [--only NAME[,NAME...]]
    .venv/bin/python bench/run.py --markdown bench/results/FILE.json [FILE.json ...]

`make bench` runs the small size, `make bench SIZE=large` the large one. The dataset is
generated on first use into the benchmark's own database (SQLite under bench/data/, or
`claimdesk_bench_<size>` on the PostgreSQL server of `DATABASE_URL`) and reused while it
matches (`--regenerate` forces a new one). Each figure is the median of `--runs` runs
with their min and max; the table is printed with the targets beside the figures and
saved as JSON under bench/results/. `--markdown` prints saved runs as the Markdown
tables the README shows: one run as a table, several side by side (`--targets-only`
keeps the figures that have a target; `--growth` adds the growth from the first run to
the last, small to large).

Measurements (`--only` takes these names): floor, api, pages, reader-browser,
export-http, export, reanchor, mentions, suggest, import. One whose feature does not exist is
reported as "not available"; one that fails is reported as an error and the others
still run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import environment
from bench.figures import (
    Figure,
    failed,
    markdown_comparison,
    markdown_table,
    not_available,
    text_table,
)

SECTIONS = {
    "floor": "Export floor",
    "api": "API",
    "pages": "Pages",
    "reader-browser": "Reader in Chromium",
    "export-http": "Export (HTTP)",
    "export": "Export (command)",
    "reanchor": "Re-anchoring",
    "mentions": "Mention detection",
    "suggest": "Suggestions",
    "import": "Import",
}


def machine() -> dict:
    """Where the figures come from."""
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
    }


def describe_machine(info: dict) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['memory_gb']:.0f} GB RAM, {info['os']}; "
        f"Python {info['python']}, Django {info['django']}, {info['database']}"
    )


def run(args) -> Path:
    from bench import generate, measures

    log = print
    # The throttle still runs on every API request (its cache reads and writes are in
    # the figures), with a rate that never refuses the benchmark's own requests.
    os.environ["API_USER_RATE"] = "1000000/minute"
    url = environment.use_bench_database(args.size)
    marker = generate.ensure_dataset(args.size, seed=args.seed, force=args.regenerate, log=log)
    info = machine()
    load_before = os.getloadavg()
    log(f"machine: {describe_machine(info)}")
    log(f"load average: {load_before[0]:.2f} (figures are noisy when other work runs)")

    selected = list(measures.MEASURES)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = wanted - set(selected)
        if unknown:
            raise SystemExit(f"unknown measurement(s): {', '.join(sorted(unknown))}")
        selected = [name for name in selected if name in wanted]

    bench = measures.Bench(size=args.size, runs=args.runs, log=log, workers=args.workers)
    if args.formats:
        bench.formats = tuple(name.strip() for name in args.formats.split(",") if name.strip())
    figures: list[Figure] = []
    started = time.perf_counter()
    try:
        for name in selected:
            if name not in measures.SERVER_MEASURES:
                bench.stop_server()
            log(f"{name} ...")
            began = time.perf_counter()
            try:
                found = measures.MEASURES[name](bench)
            except measures.NotAvailable as exc:
                found = [not_available(SECTIONS[name], name, str(exc))]
            except Exception as exc:
                traceback.print_exc()
                found = [failed(SECTIONS[name], name, exc)]
            figures += found
            log(f"{name}: {time.perf_counter() - began:.0f} s")
    finally:
        bench.close()

    table = text_table(figures)
    print()
    print(f"Claimdesk benchmark, size {args.size}, {args.runs} runs, {environment.describe(url)}")
    print(f"Machine: {describe_machine(info)}")
    print()
    print(table)

    load_after = os.getloadavg()
    environment.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = environment.RESULTS_DIR / f"{stamp}-{args.size}.json"
    path.write_text(
        json.dumps(
            {
                "size": args.size,
                "runs": args.runs,
                "seed": args.seed,
                "database": environment.describe(url),
                "dataset": marker,
                "machine": info,
                "load_average": {"before": load_before[0], "after": load_after[0]},
                "started": stamp,
                "seconds": round(time.perf_counter() - started, 1),
                "figures": [figure.as_dict() for figure in figures],
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    print(f"\nSaved {path.relative_to(environment.REPO)}")
    return path


def _load(path: Path) -> tuple[dict, list[Figure]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data, [Figure.from_dict(item) for item in data["figures"]]


def _describe_run(data: dict) -> str:
    counts = data["dataset"]["counts"]
    return (
        f"Size `{data['size']}`: {counts['articles']:,} articles, {counts['claims']:,} "
        f"claims ({counts['approved_claims']:,} approved), {data['database']}; "
        f"median of {data['runs']} runs. Machine: {describe_machine(data['machine'])}; "
        f"load average {data['load_average']['before']:.1f} when it started."
    )


def _heading(data: dict) -> str:
    return f"{data['machine']['database']}, {data['size']}"


def markdown(paths: list[Path], *, targets_only: bool = False, with_growth: bool = False) -> str:
    """One saved run as a table, or several side by side (with the growth from the first
    to the last, the small desk to the large one, when asked)."""
    loaded = [_load(path) for path in paths]
    if len(loaded) == 1 and not targets_only:
        data, figures = loaded[0]
        return "\n".join([_describe_run(data), "", markdown_table(figures)])
    return "\n".join(
        [
            *(f"- {_heading(data)}: {_describe_run(data)}" for data, _ in loaded),
            "",
            markdown_comparison(
                [(_heading(data), figures) for data, figures in loaded],
                targets_only=targets_only,
                with_growth=with_growth,
            ),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="Comma-separated measurements to run (default: all).")
    parser.add_argument("--formats", help="Comma-separated export formats (default: all four).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")
    parser.add_argument("--regenerate", action="store_true", help="Generate the dataset again.")
    parser.add_argument(
        "--markdown",
        type=Path,
        nargs="+",
        help="Print saved runs as a Markdown table (several: side by side).",
    )
    parser.add_argument(
        "--targets-only", action="store_true", help="With --markdown: figures with a target."
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="With --markdown and several runs: the growth from the first to the last.",
    )
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(args.markdown, targets_only=args.targets_only, with_growth=args.growth))
        return
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    run(args)


if __name__ == "__main__":
    main()
