"""CSV: one claim a row, flat columns, safe to open in a spreadsheet.

Columns (`COLUMNS`, in this order):

    id, url, status, version, certainty, statement,
    claimant_id, claimant, claimant_wikidata_id,
    accused, target, supporter, denier, mentioned     names in that role, joined by " | "
    sources                                           "name <url> [locator]" joined by " | "
    article_id, article_title, article_url, outlet, published, language,
    revision, start, end, exact, prefix, suffix, anchor_state,
    author, created, modified, submitted_at, reviewed_at,
    approvals                                         reviewers who approved, joined by " | "
    rating_value, rating_label,
    project                                           the project's slug (last, so that
                                                      readers of the columns by position
                                                      keep working)
    relations                                         "denies claim 12 <url>" (this claim
                                                      denies 12) or "claim 12 denies this
                                                      <url>", joined by " | " (added after
                                                      `project`, for the same reason)
    cue_start, cue_end, cue_exact,                    the reporting words ("said"), and
    source_mention_start, source_mention_end,         where the claimant is named: spans
    source_mention_exact                              of the same revision as the passage,
                                                      empty when the claim has none (last,
                                                      for the same reason)

A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
`@`, a tab or a carriage return) is prefixed with `'`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from annotations.models import ActorRole, Claim, Decision

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
SEPARATOR = " | "

COLUMNS = (
    "id",
    "url",
    "status",
    "version",
    "certainty",
    "statement",
    "claimant_id",
    "claimant",
    "claimant_wikidata_id",
    *ActorRole.values,
    "sources",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
    "published",
    "language",
    "revision",
    *Claim.ANCHOR_FIELDS,
    "author",
    *Claim.TIMESTAMP_FIELDS,
    "approvals",
    "rating_value",
    "rating_label",
    "project",
    "relations",
    *Claim.MARKED_SPAN_FIELDS,
)

_FORMULA_FIRST = frozenset("=+-@\t\r")
_ROLES = tuple(ActorRole.values)  # read once: `values` builds a new list every time
_APPROVE = Decision.APPROVE.value
_NO_RATING: dict[str, Any] = {}
_NO_NAMES = (None,) * len(_ROLES)
_NO_SPAN = (None, None, None)


def _span(span: dict[str, Any] | None) -> tuple[Any, ...]:
    return _NO_SPAN if span is None else (span["start"], span["end"], span["exact"])


def safe_cells(values: Iterable[Any]) -> list[Any]:
    """Neutralise text a spreadsheet would run as a formula; other values pass (the csv
    writer writes None as an empty cell). Runs for every cell of an export: kept to one
    comprehension."""
    return [
        "'" + value if isinstance(value, str) and value[:1] in _FORMULA_FIRST else value
        for value in values
    ]


def _source(source: dict[str, Any]) -> str:
    text = source["name"]
    if source["url"]:
        text += f" <{source['url']}>"
    if source["locator"]:
        text += f" [{source['locator']}]"
    return text


def _relation(relation: dict[str, Any]) -> str:
    other = relation["claim"]
    if relation["direction"] == "outgoing":
        return f"{relation['kind']} claim {other['id']} <{other['url']}>"
    return f"claim {other['id']} {relation['kind']} this <{other['url']}>"


def row(record: dict[str, Any]) -> list[Any]:
    """The record as one CSV row, in `COLUMNS` order, already neutralised (None for an
    empty cell)."""
    actors = record["actors"]
    if actors:
        by_role: dict[str, str | None] = dict.fromkeys(_ROLES)
        for actor in actors:
            role, name, before = actor["role"], actor["name"], by_role[actor["role"]]
            by_role[role] = name if before is None else f"{before}{SEPARATOR}{name}"
        names = by_role.values()  # None: nobody in that role
    else:
        names = _NO_NAMES
    claimant, article, anchor = record["claimant"], record["article"], record["anchor"]
    rating = record["rating"] or _NO_RATING
    values = (
        record["id"],
        record["url"],
        record["status"],
        record["version"],
        record["certainty"],
        record["statement"],
        claimant["id"],
        claimant["name"],
        claimant["wikidata_id"],
        *names,  # one column a role, in `ActorRole` order
        SEPARATOR.join([_source(source) for source in record["sources"]]),
        article["id"],
        article["title"],
        article["url"],
        article["outlet"],
        article["published"],
        article["language"],
        record["revision"]["number"],
        anchor["start"],
        anchor["end"],
        anchor["exact"],
        anchor["prefix"],
        anchor["suffix"],
        anchor["state"],
        record["author"]["username"],
        record["created"],
        record["modified"],
        record["submitted_at"],
        record["reviewed_at"],
        SEPARATOR.join([r["reviewer"] for r in record["reviews"] if r["decision"] == _APPROVE]),
        rating.get("value"),
        rating.get("label"),
        record["project"],
        SEPARATOR.join([_relation(relation) for relation in record.get("relations", ())]),
        *_span(record.get("cue")),
        *_span(record.get("source_mention")),
    )
    return safe_cells(values)


# Rows written a piece (some hundred kilobytes): far fewer writes than one a row.
ROWS_A_PIECE = 100


class _Line:
    """A write-only file that hands back what the csv writer wrote."""

    def __init__(self) -> None:
        self.written: list[str] = []
        self.write = self.written.append

    def take(self) -> bytes:
        text = "".join(self.written)
        self.written.clear()
        return text.encode("utf-8")


def stream(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A header row, then one row per record (RFC 4180, CRLF line ends), `ROWS_A_PIECE`
    rows a piece."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow(COLUMNS)
    yield line.take()
    records = iter(records)
    while True:
        writer.writerows(map(row, islice(records, ROWS_A_PIECE)))
        if not line.written:
            return
        yield line.take()
