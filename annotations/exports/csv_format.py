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
    rating_value, rating_label

A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
`@`, a tab or a carriage return) is prefixed with `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from annotations.models import ActorRole, Decision

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
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "anchor_state",
    "author",
    "created",
    "modified",
    "submitted_at",
    "reviewed_at",
    "approvals",
    "rating_value",
    "rating_label",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; other values pass."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _source(source: dict[str, Any]) -> str:
    text = source["name"]
    if source["url"]:
        text += f" <{source['url']}>"
    if source["locator"]:
        text += f" [{source['locator']}]"
    return text


def row(record: dict[str, Any]) -> list[Any]:
    """The record as one CSV row, in `COLUMNS` order, already neutralised."""
    by_role = {role: [] for role in ActorRole.values}
    for actor in record["actors"]:
        by_role[actor["role"]].append(actor["name"])
    rating = record["rating"] or {}
    values = {
        "id": record["id"],
        "url": record["url"],
        "status": record["status"],
        "version": record["version"],
        "certainty": record["certainty"],
        "statement": record["statement"],
        "claimant_id": record["claimant"]["id"],
        "claimant": record["claimant"]["name"],
        "claimant_wikidata_id": record["claimant"]["wikidata_id"],
        **{role: SEPARATOR.join(names) for role, names in by_role.items()},
        "sources": SEPARATOR.join(_source(s) for s in record["sources"]),
        "article_id": record["article"]["id"],
        "article_title": record["article"]["title"],
        "article_url": record["article"]["url"],
        "outlet": record["article"]["outlet"],
        "published": record["article"]["published"],
        "language": record["article"]["language"],
        "revision": record["revision"]["number"],
        "start": record["anchor"]["start"],
        "end": record["anchor"]["end"],
        "exact": record["anchor"]["exact"],
        "prefix": record["anchor"]["prefix"],
        "suffix": record["anchor"]["suffix"],
        "anchor_state": record["anchor"]["state"],
        "author": record["author"]["username"],
        "created": record["created"],
        "modified": record["modified"],
        "submitted_at": record["submitted_at"],
        "reviewed_at": record["reviewed_at"],
        "approvals": SEPARATOR.join(
            r["reviewer"] for r in record["reviews"] if r["decision"] == Decision.APPROVE
        ),
        "rating_value": rating.get("value"),
        "rating_label": rating.get("label"),
    }
    return [safe_cell(values[column]) for column in COLUMNS]


class _Line:
    """A write-only file that hands back what the csv writer wrote."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def take(self) -> bytes:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode("utf-8")


def stream(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A header row, then one row per record (RFC 4180, CRLF line ends)."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow(COLUMNS)
    yield line.take()
    for record in records:
        writer.writerow(row(record))
        yield line.take()
