"""Run `export_claims` once and report how long the command itself took.

    python -m bench.export_child FORMAT OUTPUT [FILTER OPTIONS...]

Started by `bench.exporting.run_export_child` with the benchmark's environment. Prints
one JSON line: {"seconds" and "cpu_seconds": the command's run, wall-clock and CPU time
of this process; "setup_rss_mb": the resident set once Python and Django are loaded}.
The parent watches the process's memory from outside while it runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import django
import orjson


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    django.setup()
    setup_rss_mb = resident_mb()

    from bench.exporting import run_export

    fmt, output, *filters = sys.argv[1:]
    cpu = time.process_time()
    seconds = run_export(fmt, Path(output), *filters)
    cpu_seconds = time.process_time() - cpu
    print(
        orjson.dumps(
            {"seconds": seconds, "cpu_seconds": cpu_seconds, "setup_rss_mb": setup_rss_mb}
        ).decode()
    )


if __name__ == "__main__":
    main()
