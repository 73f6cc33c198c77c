"""Reading article files into records: plain text, HTML pages, JSON Lines and CSV.

Pure Python: no ORM. `read_path` yields one `ArticleInput` per article, or an
`ImportFailure` for a record or a file that cannot be read; a failure never stops the
rest. The records are not cleaned: the import service passes `text` to
`articles.cleaning.clean_text` and keeps `raw` for provenance. One-line fields (title,
byline, outlet) are repaired and whitespace-collapsed with `cleaning.clean_field`.

Bytes are decoded as UTF-8 (a byte-order mark is dropped; a UTF-16 byte-order mark
selects UTF-16). A file that is not valid UTF-8 is decoded as cp1252 instead, and each of
its records says so in `encoding` and `notes`; a file that is neither is a failure.

Formats:

- `text`: the whole file is one article. Its title is the first line when that line looks
  like a headline (see `looks_like_headline`; lines holding only ad markers or
  boilerplate are passed over), and that line is then not part of the text; otherwise
  the `title` argument, otherwise the file name (stem, `_` and `-` read as spaces).
- `html`: the page goes through trafilatura, an extractor made for news pages: main
  text without comments, and from the page's metadata the title, date, author (byline),
  canonical url and site name (outlet). The title falls back as for text files. A first
  line of text that repeats the title (the page's `<h1>`) is dropped.
- `jsonl`: one JSON object a line; `csv`: a header row, then one article a row (comma,
  semicolon or tab separated, from the header). Fields: `title` and `text` (required),
  `url`, `published` (ISO date, or ISO date-time whose date is taken), `outlet`,
  `byline`, `language`; others are ignored. A bad record is a failure naming its line.

`language` is the primary language subtag, lower case ("en-GB" → "en"), taken from the
record or the page's `<html lang>`; `DEFAULT_LANGUAGE` when there is none. CSV fields
are limited to the csv module's field size (131,072 characters); a longer one fails
its row.

`origin` is the file path, and for JSON Lines and CSV `path:line` (the line the record
starts on, counting from 1).
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from articles.cleaning import clean_field, is_boilerplate_line

__all__ = [
    "DEFAULT_LANGUAGE",
    "FORMATS",
    "ArticleInput",
    "ImportFailure",
    "UnsupportedFormat",
    "detect_format",
    "iter_files",
    "looks_like_headline",
    "read_path",
]

FORMATS = ("text", "html", "jsonl", "csv")
DEFAULT_LANGUAGE = "en"
HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 20
RECORD_FIELDS = ("title", "text", "url", "published", "outlet", "byline", "language")

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
}
_PEEK_BYTES = 65536
_HTML_START_RE = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p|div)\b", re.IGNORECASE)
_HTML_LANG_RE = re.compile(
    r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?![A-Za-z])", re.IGNORECASE
)
_LANGUAGE_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
_HEADLINE_END = (".", ":", ";", ",")
# Metadata only: htmldate's extensive search would guess a date from the body text.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


@dataclass(frozen=True, kw_only=True)
class ArticleInput:
    """One article as read from a file, before cleaning."""

    title: str
    text: str
    url: str = ""
    published: date | None = None
    outlet: str = ""
    byline: str = ""
    language: str = DEFAULT_LANGUAGE
    raw: str  # what was read: the file, the JSON line, the CSV row's lines
    origin: str  # "path" or "path:line"
    format: str
    encoding: str = "utf-8"  # how the bytes were decoded
    notes: tuple[str, ...] = ()  # e.g. the cp1252 fallback


@dataclass(frozen=True)
class ImportFailure:
    """A record or file that could not be read; `reason` is for people."""

    origin: str
    reason: str


class UnsupportedFormat(ValueError):
    """The format of a file cannot be told, or is not one we read."""


class _DecodeError(ValueError):
    pass


@dataclass(frozen=True)
class _Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...]


# --------------------------------------------------------------------------- files


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named, and files found in folders named, in a stable order.

    Folders are walked recursively, sorted by path, skipping hidden files and folders
    (a name starting with "."). Paths that are not folders are yielded as given, even if
    they do not exist: `read_path` reports those.
    """
    for item in paths:
        path = Path(item)
        if not path.is_dir():
            yield path
            continue
        found: list[Path] = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(Path(root, name) for name in files if not name.startswith("."))
        yield from sorted(found, key=lambda f: f.relative_to(path).parts)


def detect_format(path: str | os.PathLike[str]) -> str:
    """One of `FORMATS`, from the extension or, for others, from the first bytes.

    Raises `UnsupportedFormat` for binary content and JSON that is not JSON Lines, and
    `OSError` when an unknown-extension file cannot be read.
    """
    path = Path(path)
    by_extension = _EXTENSIONS.get(path.suffix.lower())
    if by_extension:
        return by_extension
    with path.open("rb") as handle:
        head = handle.read(_PEEK_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = head.decode("utf-16", errors="replace")
    elif b"\x00" in head:
        raise UnsupportedFormat("binary content")
    else:
        sample = head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
    sample = sample.lstrip()
    first_line = sample.split("\n", 1)[0].strip()
    if sample.startswith("<") and _HTML_START_RE.search(sample):
        return "html"
    if first_line.startswith("{"):
        return "jsonl"
    if first_line.startswith("["):
        raise UnsupportedFormat("a JSON array; expected JSON Lines (one object a line)")
    if {"title", "text"} <= set(_header_names(first_line)):
        return "csv"
    return "text"


def read_path(
    path: str | os.PathLike[str], *, fmt: str = "auto", title: str | None = None
) -> Iterator[ArticleInput | ImportFailure]:
    """Read one file: its articles, and a failure for each record or file that fails.

    `fmt` is "auto" (see `detect_format`) or one of `FORMATS`; anything else raises
    `ValueError` at once. `title` is the fallback title of a text or HTML file without
    one; JSON Lines and CSV records must carry their own.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected 'auto' or one of {FORMATS}")
    return _read_path(Path(path), fmt, title)


def looks_like_headline(line: str) -> bool:
    """Short (<= 200 characters, <= 20 words), has a letter, no closing full stop.

    A line ending in ":", ";" or "," is a sentence going on, not a headline either.
    """
    line = line.strip()
    return (
        bool(line)
        and len(line) <= HEADLINE_MAX_CHARS
        and len(line.split()) <= HEADLINE_MAX_WORDS
        and not line.endswith(_HEADLINE_END)
        and any(char.isalpha() for char in line)
    )


# --------------------------------------------------------------------------- readers


def _read_path(path: Path, fmt: str, title: str | None) -> Iterator[ArticleInput | ImportFailure]:
    origin = str(path)
    try:
        if fmt == "auto":
            fmt = detect_format(path)
        decoded = _decode(path.read_bytes())
    except OSError as exc:
        yield ImportFailure(origin, f"cannot read the file: {exc.strerror or exc}")
        return
    except ValueError as exc:  # UnsupportedFormat, _DecodeError
        yield ImportFailure(origin, str(exc))
        return
    yield from _READERS[fmt](path, decoded, title)


def _read_text(
    path: Path, decoded: _Decoded, title: str | None
) -> Iterator[ArticleInput | ImportFailure]:
    text = decoded.text
    headline, text = _split_headline(text)
    if not text.strip():
        yield ImportFailure(str(path), "no text")
        return
    yield ArticleInput(
        title=headline or _fallback_title(path, title),
        text=text,
        raw=decoded.text,
        origin=str(path),
        format="text",
        encoding=decoded.encoding,
        notes=decoded.notes,
    )


def _read_html(
    path: Path, decoded: _Decoded, title: str | None
) -> Iterator[ArticleInput | ImportFailure]:
    origin = str(path)
    try:
        # Imported here: trafilatura is heavy, and only HTML needs it.
        import trafilatura

        document = trafilatura.bare_extraction(
            decoded.text,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as exc:  # a third-party parser: one page must not stop the import
        yield ImportFailure(origin, f"HTML extraction failed: {type(exc).__name__}: {exc}")
        return
    body = (document.text or "") if document is not None else ""
    if not body.strip():
        yield ImportFailure(origin, "no article text found in the HTML page")
        return
    notes = list(decoded.notes)
    page_title = clean_field(document.title or "")
    first, _, rest = body.lstrip().partition("\n")
    if page_title and clean_field(first) == page_title and rest.strip():
        body = rest
    published = None
    if document.date:
        try:
            published = _parse_date(document.date)
        except ValueError:
            notes.append(f"unreadable date in the page metadata: {document.date!r}")
    language_match = _HTML_LANG_RE.search(decoded.text)
    yield ArticleInput(
        title=page_title or _fallback_title(path, title),
        text=body,
        url=(document.url or "").strip(),
        published=published,
        outlet=clean_field(document.sitename or ""),
        byline=clean_field(document.author or ""),
        language=language_match.group(1).lower() if language_match else DEFAULT_LANGUAGE,
        raw=decoded.text,
        origin=origin,
        format="html",
        encoding=decoded.encoding,
        notes=tuple(notes),
    )


def _read_jsonl(
    path: Path, decoded: _Decoded, title: str | None
) -> Iterator[ArticleInput | ImportFailure]:
    # Split on "\n" only: JSON strings may hold U+2028, which str.splitlines() breaks on.
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        origin = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ImportFailure(origin, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield ImportFailure(origin, f"expected a JSON object, got {type(record).__name__}")
            continue
        yield _from_record(record, origin=origin, raw=line, fmt="jsonl", decoded=decoded)


def _read_csv(
    path: Path, decoded: _Decoded, title: str | None
) -> Iterator[ArticleInput | ImportFailure]:
    lines = re.findall(r"[^\n]*\n|[^\n]+", decoded.text)
    consumed: list[tuple[int, str]] = []

    def feed() -> Iterator[str]:
        for number, line in enumerate(lines, start=1):
            consumed.append((number, line))
            yield line

    header_line = next((line for line in lines if line.strip()), "")
    delimiter = max(",;\t", key=lambda d: (header_line.count(d), d == ","))
    reader = csv.reader(feed(), delimiter=delimiter)
    header: list[str] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                header = [cell.strip().lower() for cell in row]
                break
    except csv.Error as exc:
        yield ImportFailure(str(path), f"unreadable CSV header: {exc}")
        return
    missing = [name for name in ("title", "text") if name not in header]
    if missing:
        yield ImportFailure(str(path), f"CSV header lacks the column(s): {', '.join(missing)}")
        return
    while True:
        consumed.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            start = consumed[0][0] if consumed else reader.line_num
            yield ImportFailure(f"{path}:{start}", f"unreadable CSV row: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        origin = f"{path}:{consumed[0][0]}"
        if len(row) > len(header):
            yield ImportFailure(origin, f"row has {len(row)} fields, the header {len(header)}")
            continue
        record = dict(zip(header, row, strict=False))
        raw = "".join(line for _, line in consumed).rstrip("\r\n")
        yield _from_record(record, origin=origin, raw=raw, fmt="csv", decoded=decoded)


_READERS: dict[
    str, Callable[[Path, _Decoded, str | None], Iterator[ArticleInput | ImportFailure]]
] = {
    "text": _read_text,
    "html": _read_html,
    "jsonl": _read_jsonl,
    "csv": _read_csv,
}


# --------------------------------------------------------------------------- helpers


def _decode(data: bytes) -> _Decoded:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _Decoded(_no_nul(data.decode("utf-16")), "utf-16", ())
        except UnicodeDecodeError as exc:
            raise _DecodeError(f"not valid UTF-16 despite its byte-order mark: {exc}") from exc
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return _Decoded(_no_nul(data.decode("utf-8")), "utf-8", ())
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _DecodeError(
                f"neither UTF-8 nor cp1252 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from exc
        note = (
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset "
            f"{utf8_error.start}); decoded as cp1252"
        )
        return _Decoded(_no_nul(text), "cp1252", (note,))


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise _DecodeError("binary content (NUL characters)")
    return text


def split_headline(text: str) -> tuple[str, str]:
    """`(headline, text without it)` when the text's first line looks like a headline
    (what a plain-text file's import takes as its title), else `("", text)`."""
    return _split_headline(text)


def _split_headline(text: str) -> tuple[str, str]:
    """`(headline, text without the headline line)`, or `("", text)` when there is none."""
    position = 0
    for line in re.findall(r"[^\n]*\n|[^\n]+", text):
        if is_boilerplate_line(line):  # blank, or nothing but ad markers / boilerplate
            position += len(line)
            continue
        rest = text[:position] + text[position + len(line) :]
        if looks_like_headline(line) and not all(map(is_boilerplate_line, rest.split("\n"))):
            return clean_field(line), rest
        break
    return "", text


def _fallback_title(path: Path, title: str | None) -> str:
    given = clean_field(title or "")
    if given:
        return given
    return clean_field(re.sub(r"[_-]+", " ", path.stem)) or path.name


def _parse_date(value: str) -> date | None:
    """ISO date, or the date of an ISO date-time; None for blank. Raises ValueError."""
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return datetime.fromisoformat(value).date()


def _from_record(
    record: Mapping[str, Any], *, origin: str, raw: str, fmt: str, decoded: _Decoded
) -> ArticleInput | ImportFailure:
    values: dict[str, str] = {}
    for name in RECORD_FIELDS:
        value = record.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            return ImportFailure(origin, f"{name}: expected text, got {type(value).__name__}")
        values[name] = value
    title = clean_field(values["title"])
    if not title:
        return ImportFailure(origin, "missing title")
    if not values["text"].strip():
        return ImportFailure(origin, "missing text")
    try:
        published = _parse_date(values["published"])
    except ValueError:
        return ImportFailure(origin, f"published: not an ISO date: {values['published']!r}")
    language = values["language"].strip().lower().replace("_", "-") or DEFAULT_LANGUAGE
    if not _LANGUAGE_RE.fullmatch(language):
        return ImportFailure(origin, f"language: not a language code: {values['language']!r}")
    language = language.split("-")[0]
    return ArticleInput(
        title=title,
        text=values["text"],
        url=values["url"].strip(),
        published=published,
        outlet=clean_field(values["outlet"]),
        byline=clean_field(values["byline"]),
        language=language,
        raw=raw,
        origin=origin,
        format=fmt,
        encoding=decoded.encoding,
        notes=decoded.notes,
    )


def _header_names(line: str) -> list[str]:
    delimiter = max(",;\t", key=lambda d: (line.count(d), d == ","))
    try:
        row = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [cell.strip().lower() for cell in row]
