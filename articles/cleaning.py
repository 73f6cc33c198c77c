"""Cleaning of imported article text, and normalisation of typed text.

Pure Python: no ORM, no settings. Two entry points:

- `clean_text(raw)` for text that arrives from an import. It repairs mojibake, normalises
  the text (see `normalise_text`) and removes scraping dirt: ad-slot markers, boilerplate
  paragraphs such as "Source link", and paragraphs or blocks of paragraphs repeated
  verbatim. It never changes the wording of what it keeps; the `report` says what went.
- `normalise_text(text)` for text an editor types: normalisation only, nothing removed.

Normalised text (the form in which `Article.text` is stored):

- Unicode NFC; line ends are `\\n`; no leading or trailing blank lines or spaces.
- Within a line, runs of spaces, tabs and other space characters (no-break spaces
  included) become one ASCII space, and lines carry no leading or trailing space.
  Scraped HTML uses `&nbsp;` as an ordinary space, and one kind of space keeps search
  and quote anchoring predictable; no word changes.
- Paragraphs are separated by exactly one blank line. Blocks separated by blank lines
  are paragraphs; single line breaks inside a block are kept as line breaks within the
  paragraph (a dateline, an address, hard-wrapped prose). When the text has no blank
  line at all but several lines (scraped text often has one paragraph per line), each
  line is a paragraph.

What `clean_text` removes, and nothing else:

- `ad_marker`: `[ad]`, `[ad_N]`, `[advertisement]` (any case), alone on a line or
  inline. An inline marker glued between two letters or digits leaves one space, so the
  words on either side stay two words.
- `boilerplate`: a paragraph that is exactly one of `BOILERPLATE_PHRASES` (any case,
  optionally followed by ":" or an ellipsis). Only whole paragraphs: the same words inside
  a sentence are wording.
- `duplicate`: a paragraph, or a block of consecutive paragraphs, that repeats an
  earlier one verbatim (after marker removal and whitespace normalisation). The first
  occurrence stays; later copies go. A repeated unit shorter than
  `MIN_DUPLICATE_CHARS` characters stays (separators such as "***", a repeated short
  subheading).

Every kept paragraph equals a paragraph of the normalised input with the ad markers cut
out. If cleaning leaves a single paragraph with line breaks inside, its lines become
paragraphs (the normalisation rule above) and the removals run once more over them, so
that cleaning is idempotent.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BOILERPLATE_PHRASES",
    "MIN_DUPLICATE_CHARS",
    "REMOVAL_KINDS",
    "REPORT_VERSION",
    "CleanResult",
    "clean_field",
    "clean_text",
    "is_boilerplate_line",
    "normalise_text",
    "repair_encoding",
]

REPORT_VERSION = 1

AD_MARKER = "ad_marker"
BOILERPLATE = "boilerplate"
DUPLICATE = "duplicate"
REMOVAL_KINDS = (AD_MARKER, BOILERPLATE, DUPLICATE)

BOILERPLATE_PHRASES = ("source link", "read more", "advertisement", "continue reading")
MIN_DUPLICATE_CHARS = 20

_AD_MARKER_RE = re.compile(r"\[(?:ad(?:_\d+)?|advertisement)\]", re.IGNORECASE)
_BOILERPLATE_RE = re.compile(
    r"(?:{})(?::|\.\.\.|…)?".format("|".join(re.escape(p) for p in BOILERPLATE_PHRASES)),
    re.IGNORECASE,
)
# Zs space separators plus tab; U+200B (zero-width) is not a space and is left alone.
_HSPACE_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# \v and \f are line breaks in word-processor exports; ftfy would delete \v outright and
# join the words on either side, so line breaks are settled before it runs.
_LINE_BREAK_RE = re.compile(r"\r\n|[\r\v\f\u2028]")
_PARAGRAPH_BREAK = "\n\n"
_SEGMENT_RE = re.compile(r"[^\n]*\n|[^\n]+")


@functools.cache
def _repair():
    """ftfy and its configuration, loaded on the first repair: every process that loads
    the URLs imports this module, and few of them clean a text (ftfy costs a fifth of a
    second to import).

    Encoding repair only. Everything that could change how a word is spelt stays off:
    curly quotes, ligatures (ﬁ), full-width letters and HTML entities are left as they
    are, and mojibake whose bytes were partly lost is left alone rather than turned into
    "�"."""
    import ftfy

    return ftfy, ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=True,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=False,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=True,
        normalization="NFC",
        explain=True,
    )


# ftfy steps that mean the text had been decoded with the wrong encoding.
_MOJIBAKE_ACTIONS = frozenset({"encode", "decode", "transcode"})
_MOJIBAKE_APPLIED = frozenset({"decode_inconsistent_utf8", "fix_c1_controls"})


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CleanResult:
    """What `clean_text` produced.

    `text` is the cleaned, normalised text. `normalised` is the input after encoding
    repair and normalisation, before anything was removed: the `start`/`end` offsets of
    the report's removals (Unicode code points) point into it. `report` is plain JSON:

        {
          "version": 1,
          "input_chars": int,            # len(raw)
          "normalised_chars": int,       # len(normalised)
          "output_chars": int,           # len(text)
          "repaired_mojibake": bool,
          "repairs": [str],              # ftfy steps applied, e.g. "encode:latin-1"
          "paragraphs": {"input": int, "output": int},
          "counts": {"ad_marker": int, "boilerplate": int, "duplicate": int},
          "removed": [                   # sorted by start, never overlapping
            {"kind": "ad_marker" | "boilerplate" | "duplicate",
             "text": str,                # normalised[start:end]
             "paragraph": int,           # index of the input paragraph it was in
             "start": int, "end": int,
             # duplicates only:
             "duplicate_of": {"paragraph": int, "start": int, "end": int},
             "block_size": int}          # paragraphs in the repeated block
          ]
        }

    A removed paragraph is one entry, markers inside it included.
    """

    text: str
    report: dict[str, Any]
    normalised: str = field(repr=False)

    @property
    def removed(self) -> list[dict[str, Any]]:
        return self.report["removed"]

    def segments(self) -> list[tuple[str, str | None]]:
        """`normalised` cut into kept `(text, None)` and removed `(text, kind)` pieces.

        The pieces concatenate to `normalised`, so the import page can show the text with
        what cleaning removes marked in place.
        """
        pieces: list[tuple[str, str | None]] = []
        pos = 0
        for entry in self.report["removed"]:
            if entry["start"] > pos:
                pieces.append((self.normalised[pos : entry["start"]], None))
            pieces.append((self.normalised[entry["start"] : entry["end"]], entry["kind"]))
            pos = entry["end"]
        if pos < len(self.normalised):
            pieces.append((self.normalised[pos:], None))
        return pieces


# --------------------------------------------------------------------------- public API


def normalise_text(text: str) -> str:
    """Normalise text without removing anything (see the module docstring).

    Used for text an editor types. Idempotent; never changes a word.
    """
    lines = _normalised_lines(unicodedata.normalize("NFC", _unify_line_breaks(text)))
    blocks = _blocks(lines)
    return unicodedata.normalize("NFC", _PARAGRAPH_BREAK.join("\n".join(b) for b in blocks))


def repair_encoding(text: str) -> tuple[str, list[str]]:
    """Repair mojibake with ftfy, NFC-normalise, and list the ftfy steps applied.

    Line by line, as `ftfy.fix_text` does, so that a damaged line does not decide the
    repair of a sound one. Line breaks are unified to `\\n` first.
    """
    text = _unify_line_breaks(text)
    steps: list[str] = []
    out: list[str] = []
    ftfy, config = _repair()
    for segment in _SEGMENT_RE.findall(text):
        fixed, explanation = ftfy.fix_and_explain(segment, config)
        out.append(fixed)
        for step in explanation or ():
            name = f"{step.action}:{step.parameter}"
            if name not in steps:
                steps.append(name)
    return unicodedata.normalize("NFC", "".join(out)), steps


def clean_field(value: str) -> str:
    """A one-line metadata value (title, byline, outlet): repaired, NFC, spaces collapsed."""
    repaired, _ = repair_encoding(value)
    return " ".join(_HSPACE_RE.sub(" ", repaired).split())


def is_boilerplate_line(line: str) -> bool:
    """True when a line holds nothing but ad markers or a boilerplate phrase."""
    rest = _HSPACE_RE.sub(" ", _AD_MARKER_RE.sub(" ", line)).strip()
    return not rest or _BOILERPLATE_RE.fullmatch(rest) is not None


def clean_text(raw: str) -> CleanResult:
    """Repair, normalise and de-clutter imported text (see the module docstring)."""
    repaired, repairs = repair_encoding(raw)
    normalised = normalise_text(repaired)
    paragraphs = _split_paragraphs(normalised)

    markers: list[_Removal] = []
    units: list[_Unit] = []
    for paragraph in paragraphs:
        markers.extend(paragraph.markers)
        if paragraph.residual:
            units.append(paragraph.as_unit())

    removals = _remove_repeats_and_boilerplate(units, normalised)
    kept = [u for u in units if not u.removed]
    if len(kept) == 1 and "\n" in kept[0].residual:
        # A lone paragraph with line breaks is not a fixed point of normalisation: its
        # lines become paragraphs, and those are cleaned again.
        paragraph = paragraphs[kept[0].paragraph]
        units = paragraph.line_units()
        removals += _remove_repeats_and_boilerplate(units, normalised)
        kept = [u for u in units if not u.removed]

    # A removed paragraph is reported once, with any markers inside it.
    markers = [m for m in markers if not any(r.start <= m.start < r.end for r in removals)]
    entries = sorted(markers + removals, key=lambda r: r.start)
    text = _PARAGRAPH_BREAK.join(u.residual for u in kept)
    report = {
        "version": REPORT_VERSION,
        "input_chars": len(raw),
        "normalised_chars": len(normalised),
        "output_chars": len(text),
        "repaired_mojibake": _is_mojibake_repair(repairs),
        "repairs": repairs,
        "paragraphs": {"input": len(paragraphs), "output": len(kept)},
        "counts": {kind: sum(e.kind == kind for e in entries) for kind in REMOVAL_KINDS},
        "removed": [entry.as_dict() for entry in entries],
    }
    return CleanResult(text=text, report=report, normalised=normalised)


# --------------------------------------------------------------------------- internals


@dataclass
class _Removal:
    kind: str
    paragraph: int
    start: int
    end: int
    text: str
    duplicate_of: dict[str, int] | None = None
    block_size: int | None = None

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
        }
        if self.duplicate_of is not None:
            entry["duplicate_of"] = self.duplicate_of
            entry["block_size"] = self.block_size
        return entry


@dataclass
class _Unit:
    """A paragraph (or, once exploded, a line) that cleaning may keep or remove."""

    paragraph: int
    start: int
    end: int
    residual: str  # the text without ad markers, whitespace-normalised
    removed: bool = False


@dataclass
class _Line:
    start: int
    end: int
    residual: str


@dataclass
class _Paragraph:
    index: int
    start: int
    end: int
    lines: list[_Line]
    markers: list[_Removal]

    @property
    def residual(self) -> str:
        return "\n".join(line.residual for line in self.lines if line.residual)

    def as_unit(self) -> _Unit:
        return _Unit(self.index, self.start, self.end, self.residual)

    def line_units(self) -> list[_Unit]:
        return [
            _Unit(self.index, line.start, line.end, line.residual)
            for line in self.lines
            if line.residual
        ]


def _unify_line_breaks(text: str) -> str:
    text = text.removeprefix("\ufeff")
    return _LINE_BREAK_RE.sub("\n", text.replace("\u2029", "\n\n"))


def _normalised_lines(text: str) -> list[str]:
    return [_HSPACE_RE.sub(" ", line).strip(" ") for line in text.split("\n")]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    if len(blocks) == 1 and len(blocks[0]) > 1:
        blocks = [[line] for line in blocks[0]]
    return blocks


def _split_paragraphs(normalised: str) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    if not normalised:
        return paragraphs
    start = 0
    for index, chunk in enumerate(normalised.split(_PARAGRAPH_BREAK)):
        end = start + len(chunk)
        lines: list[_Line] = []
        markers: list[_Removal] = []
        line_start = start
        for line in chunk.split("\n"):
            line_end = line_start + len(line)
            found = [
                _Removal(AD_MARKER, index, m.start(), m.end(), m.group())
                for m in _AD_MARKER_RE.finditer(normalised, line_start, line_end)
            ]
            markers.extend(found)
            residual = _cut(normalised, line_start, line_end, found)
            lines.append(_Line(line_start, line_end, residual))
            line_start = line_end + 1
        paragraphs.append(_Paragraph(index, start, end, lines, markers))
        start = end + len(_PARAGRAPH_BREAK)
    return paragraphs


def _cut(text: str, start: int, end: int, spans: list[_Removal]) -> str:
    """text[start:end] without the spans, whitespace-normalised.

    Where a cut would glue two letters or digits together, a space is left between them.
    """
    if not spans:
        return text[start:end]
    bounds = [start, *(p for span in spans for p in (span.start, span.end)), end]
    out = ""
    for piece_start, piece_end in zip(bounds[::2], bounds[1::2], strict=True):
        piece = text[piece_start:piece_end]
        if out[-1:].isalnum() and piece[:1].isalnum():
            out += " "
        out += piece
    return _HSPACE_RE.sub(" ", out).strip(" ")


def _remove_repeats_and_boilerplate(units: list[_Unit], normalised: str) -> list[_Removal]:
    """Mark boilerplate and repeated units as removed; return what was removed.

    Repeats are searched again over the survivors until none is found, so that a block
    whose copies were interleaved with other repeats is caught as well.
    """
    removals: list[_Removal] = []
    for unit in units:
        if _BOILERPLATE_RE.fullmatch(unit.residual):
            unit.removed = True
            removals.append(_removal(BOILERPLATE, unit, normalised))
    while True:
        found = _find_repeats([u for u in units if not u.removed], normalised)
        if not found:
            return removals
        removals.extend(found)


def _find_repeats(units: list[_Unit], normalised: str) -> list[_Removal]:
    """One left-to-right pass: the longest earlier copy of the block starting at each unit."""
    removals: list[_Removal] = []
    seen: dict[str, list[int]] = {}
    i = 0
    while i < len(units):
        best_size, best_origin = 0, -1
        for j in seen.get(units[i].residual, ()):
            size = 0
            while (
                i + size < len(units)
                and j + size < i
                and not units[j + size].removed
                and units[j + size].residual == units[i + size].residual
            ):
                size += 1
            if size > best_size:
                best_size, best_origin = size, j
        block = units[i : i + best_size]
        if best_size and sum(len(u.residual) for u in block) >= MIN_DUPLICATE_CHARS:
            for offset, unit in enumerate(block):
                origin = units[best_origin + offset]
                unit.removed = True
                removal = _removal(DUPLICATE, unit, normalised)
                removal.duplicate_of = {
                    "paragraph": origin.paragraph,
                    "start": origin.start,
                    "end": origin.end,
                }
                removal.block_size = best_size
                removals.append(removal)
            i += best_size
        else:
            seen.setdefault(units[i].residual, []).append(i)
            i += 1
    return removals


def _removal(kind: str, unit: _Unit, normalised: str) -> _Removal:
    return _Removal(kind, unit.paragraph, unit.start, unit.end, normalised[unit.start : unit.end])


def _is_mojibake_repair(steps: list[str]) -> bool:
    for step in steps:
        action, _, parameter = step.partition(":")
        if action in _MOJIBAKE_ACTIONS or (action == "apply" and parameter in _MOJIBAKE_APPLIED):
            return True
    return False
