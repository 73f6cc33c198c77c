"""Figures, targets, and the table and JSON they are reported in."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Target:
    """A limit on a figure's median: `op` is one of "<", "<=", ">=", "=="."""

    op: str
    limit: float
    label: str

    def check(self, value: float) -> bool:
        return {
            "<": value < self.limit,
            "<=": value <= self.limit,
            ">=": value >= self.limit,
            "==": value == self.limit,
        }[self.op]


@dataclass
class Figure:
    """One measured quantity: a value per run, summarised by median, min and max.

    `text` replaces the median in the table when a figure reads better as words
    ("14 → 14 queries"); `available` is False (with the reason in `note`) when the
    feature it measures does not exist.
    """

    section: str
    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    target: Target | None = None
    note: str = ""
    text: str | None = None
    available: bool = True
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def passed(self) -> bool | None:
        if self.error:
            return False
        if self.target is None or self.median is None:
            return None
        return self.target.check(self.median)

    def as_dict(self) -> dict:
        return {
            "section": self.section,
            "name": self.name,
            "unit": self.unit,
            "values": self.values,
            "median": self.median,
            "min": min(self.values) if self.values else None,
            "max": max(self.values) if self.values else None,
            "target": None if self.target is None else asdict(self.target),
            "passed": self.passed,
            "note": self.note,
            "text": self.text,
            "available": self.available,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Figure:
        target = data.get("target")
        return cls(
            section=data["section"],
            name=data["name"],
            unit=data["unit"],
            values=list(data.get("values") or []),
            target=Target(**target) if target else None,
            note=data.get("note", ""),
            text=data.get("text"),
            available=data.get("available", True),
            error=data.get("error", ""),
        )


def not_available(section: str, name: str, reason: str) -> Figure:
    return Figure(section, name, "", available=False, note=f"not available: {reason}")


def failed(section: str, name: str, exc: BaseException, target: Target | None = None) -> Figure:
    """A figure whose measurement raised: reported as a failure with the reason."""
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    if len(text) > 400:
        text = text[:400] + "…"
    return Figure(section, name, "", target=target, error=text, note=f"failed: {text}")


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0.5 = median), interpolated between the nearest samples."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit == "queries":
        return f"{value:,.0f}"
    if unit in ("ms", "s", "MB", "x") or abs(value) < 100:
        if unit == "x" or abs(value) < 10:
            return f"{value:,.2f}"
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def verdict(figure: Figure) -> str:
    if not figure.available:
        return ""
    return {True: "pass", False: "FAIL", None: ""}[figure.passed]


def rows(figures: Sequence[Figure]) -> list[list[str]]:
    out = []
    for figure in figures:
        if not figure.available:
            out.append([figure.section, figure.name, "not available", "", "", "", "", ""])
            continue
        if figure.error:
            target = figure.target.label if figure.target else ""
            out.append([figure.section, figure.name, "error", "", "", "", target, "FAIL"])
            continue
        values = figure.values
        median = figure.text or number(figure.median, figure.unit)
        out.append(
            [
                figure.section,
                figure.name,
                median,
                number(min(values), figure.unit) if len(values) > 1 else "",
                number(max(values), figure.unit) if len(values) > 1 else "",
                figure.unit,
                figure.target.label if figure.target else "",
                verdict(figure),
            ]
        )
    return out


HEADERS = ["section", "figure", "median", "min", "max", "unit", "target", "result"]


def text_table(figures: Sequence[Figure]) -> str:
    table = rows(figures)
    widths = [
        max(len(HEADERS[i]), *(len(row[i]) for row in table)) if table else len(HEADERS[i])
        for i in range(len(HEADERS))
    ]
    right = {2, 3, 4}

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    out = [line(HEADERS), line(["-" * w for w in widths])]
    section = None
    for row in table:
        if row[0] != section and section is not None:
            out.append("")
        section = row[0]
        out.append(line(row))
    notes = [f"- {f.section} / {f.name}: {f.note}" for f in figures if f.note]
    if notes:
        out += ["", "Notes:", *notes]
    return "\n".join(out)


def markdown_table(figures: Sequence[Figure]) -> str:
    out = [
        "| Figure | Median | Min - max | Target | Result |",
        "|---|---:|---:|---|---|",
    ]
    for row in rows(figures):
        section, name, median, low, high, unit, target, result = row
        spread = f"{low} - {high}" if low else ""
        value = f"{median} {unit}".strip() if median != "not available" else median
        out.append(f"| {section}: {name} | {value} | {spread} | {target} | {result} |")
    return "\n".join(out)


def _cell(figure: Figure | None) -> str:
    """One run's figure in a comparison: the median, the spread, and the verdict."""
    if figure is None:
        return ""
    if not figure.available:
        return "not available"
    if figure.error:
        return "error: FAIL"
    median = figure.text or number(figure.median, figure.unit)
    unit = "" if figure.text else f" {figure.unit}"
    spread = ""
    if len(figure.values) > 1 and not figure.text:
        low, high = number(min(figure.values), figure.unit), number(max(figure.values), figure.unit)
        spread = f" ({low} to {high})"
    result = verdict(figure)
    return f"{median}{unit}{spread}" + (f" **{result}**" if result else "")


GROWING_UNITS = ("ms", "s", "MB")


def growth(first: Figure | None, last: Figure | None) -> str:
    """How many times a time or a size grew from the first run to the last (small to
    large): "x 1.3"; blank for counts, ratios and what one run lacks."""
    if first is None or last is None or first.unit not in GROWING_UNITS:
        return ""
    if not first.median or last.median is None or first.error or last.error:
        return ""
    return f"x {last.median / first.median:,.1f}"


def markdown_comparison(
    runs: Sequence[tuple[str, Sequence[Figure]]],
    *,
    targets_only: bool = False,
    with_growth: bool = False,
) -> str:
    """Several runs side by side, one column each (`runs` = (heading, figures)): every
    figure any run has, in the order they first appear, with its target. With
    `targets_only`, the figures that have a target (the table of what must hold); with
    `with_growth`, a last column with the growth from the first run to the last."""
    keys: list[tuple[str, str]] = []
    found: list[dict[tuple[str, str], Figure]] = []
    targets: dict[tuple[str, str], str] = {}
    for _, figures in runs:
        by_key = {}
        for figure in figures:
            key = (figure.section, figure.name)
            by_key[key] = figure
            if key not in keys:
                keys.append(key)
            if figure.target is not None:
                targets[key] = figure.target.label
        found.append(by_key)
    if targets_only:
        keys = [key for key in keys if key in targets]
    headings = [heading for heading, _ in runs] + (["growth"] if with_growth else [])
    out = [
        "| Figure | Target | " + " | ".join(headings) + " |",
        "|---|---|" + "---:|" * len(headings),
    ]
    for key in keys:
        cells = [_cell(by_key.get(key)) for by_key in found]
        if with_growth:
            cells.append(growth(found[0].get(key), found[-1].get(key)))
        out.append(f"| {key[0]}: {key[1]} | {targets.get(key, '')} | " + " | ".join(cells) + " |")
    return "\n".join(out)
