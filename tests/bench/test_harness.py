"""The benchmark's plumbing: where its database is, and how figures are summarised."""

import pytest

from bench.environment import DATA_DIR, bench_database_url
from bench.figures import Figure, Target, failed, markdown_comparison, percentile, text_table


def test_postgres_benchmark_uses_a_database_of_its_own():
    url = bench_database_url(
        "small", "postgres://me:secret@db.example:6543/claimdesk?sslmode=require"
    )
    assert url == "postgres://me:secret@db.example:6543/claimdesk_bench_small?sslmode=require"


@pytest.mark.parametrize("base", ["", "sqlite:///db.sqlite3"])
def test_sqlite_benchmark_uses_a_file_under_bench_data(base):
    assert (
        bench_database_url("large", base) == f"sqlite:///{DATA_DIR}/claimdesk-bench-large.sqlite3"
    )


def test_benchmark_database_names_are_plain():
    with pytest.raises(ValueError):
        bench_database_url("small; drop", "")


def test_percentile_interpolates_between_samples():
    assert percentile([4, 1, 3, 2], 0.5) == 2.5
    assert percentile([10, 20], 0.95) == pytest.approx(19.5)
    assert percentile([7], 0.95) == 7


def test_figure_passes_on_its_median():
    figure = Figure("API", "p50", "ms", [70, 30, 40], Target("<", 50, "< 50 ms"))
    assert figure.median == 40
    assert figure.passed is True
    assert Figure("API", "p50", "ms", [70, 60, 40], Target("<", 50, "< 50 ms")).passed is False


def test_failed_measurement_is_reported_as_a_failure():
    figure = failed("Export", "jsonl", RuntimeError("boom"), Target(">=", 0.5, "≥ 0.5"))
    assert figure.passed is False
    table = text_table([figure, Figure("Import", "rate", "articles/s", [12.0, 14.0])])
    assert "FAIL" in table
    assert "boom" in table


def test_comparison_puts_runs_side_by_side_with_their_verdicts():
    target = Target("<", 50, "< 50 ms")
    sqlite = [
        Figure("API", "p50", "ms", [40.0, 44.0, 61.0], target),
        Figure("Import", "rate", "articles/s", [12.0]),
    ]
    postgres = [Figure("API", "p50", "ms", [55.0, 52.0, 58.0], target)]
    table = markdown_comparison([("SQLite", sqlite), ("PostgreSQL", postgres)]).splitlines()
    assert table[0] == "| Figure | Target | SQLite | PostgreSQL |"
    assert table[2] == (
        "| API: p50 | < 50 ms | 44.0 ms (40.0 to 61.0) **pass** | 55.0 ms (52.0 to 58.0) **FAIL** |"
    )
    assert table[3] == "| Import: rate |  | 12.0 articles/s |  |"
    only = markdown_comparison([("SQLite", sqlite)], targets_only=True).splitlines()
    assert len(only) == 3 and only[2].startswith("| API: p50 |")


def test_growth_column_divides_the_last_run_by_the_first_for_times_only():
    small = [
        Figure("Pages", "p50", "ms", [40.0, 44.0, 61.0]),
        Figure("Pages", "SQL queries", "queries", [12]),
    ]
    large = [
        Figure("Pages", "p50", "ms", [66.0, 55.0, 70.0]),
        Figure("Pages", "SQL queries", "queries", [12]),
    ]
    table = markdown_comparison([("small", small), ("large", large)], with_growth=True).splitlines()
    assert table[0] == "| Figure | Target | small | large | growth |"
    assert table[2].endswith("| x 1.5 |")  # 66 / 44
    assert table[3].endswith("| 12 queries | 12 queries |  |")
