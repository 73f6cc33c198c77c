"""Read and write brat standoff annotations (`<name>.ann` beside `<name>.txt`).

Pure module: no ORM, no settings. Annotated attribution corpora (PARC-style: source, cue,
content) come in this format, and the suggestion engine's predictions are written in it
so they can be scored against such a corpus.

What a `.ann` holds, one annotation a line, fields separated by tabs:

- `T` lines are spans: `T7<TAB>Content 91 186;209 236<TAB>covered text`. The label, then
  code-point offsets into the `.txt` (`START END`, end exclusive), fragments of a
  discontinuous span separated by `;`, then the covered text, fragments joined by a space.
- `E` lines are events: `E2<TAB>Attribution:T8 Cue:T6 Source:T5 Content:T7`. The first
  argument is the trigger (a span labelled like the event type); the others name a role
  and a span. An attribution event ties a cue, a source and one or more contents.
- `A`/`M` lines are attributes of a span or event (`A1<TAB>Certainty E2 alleged`).
- `R`, `*`, `N` and `#` lines (relations, equivalences, normalisations, notes) are kept as
  they are and otherwise ignored.

Errors are `BratError`, which names the file and the line. Reading a span's role follows
the usual scoring convention: a span labelled `Cue`, `Source` or `Content` has that role;
a span with another label takes the role its event gives it, trailing digits dropped
(`Content2:T9` is content). A `Content` span no event uses is an attribution of its own,
with no cue and no source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ROLES",
    "Attribute",
    "Attribution",
    "BratError",
    "Document",
    "Event",
    "Span",
    "covered_text",
    "dumps",
    "parse",
    "read_pair",
]

CUE, SOURCE, CONTENT = "Cue", "Source", "Content"
ROLES = (CUE, SOURCE, CONTENT)
# The event type (and trigger label) written for an attribution, as PARC-style corpora do.
ATTRIBUTION = "Attribution"

Fragments = tuple[tuple[int, int], ...]

_ID = re.compile(r"^([TEARMN*#])(\d*)$")
_TYPE = re.compile(r"^[^\s:;]+$")
_FRAGMENT = re.compile(r"^(\d+) (\d+)$")
_ROLE_DIGITS = re.compile(r"\d+$")
# Characters `str.splitlines` breaks on: a covered text must not hold any of them.
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"\s+")


class BratError(ValueError):
    """A `.ann` file that cannot be read: names the file and the (1-based) line."""

    def __init__(self, filename: str, line: int, message: str) -> None:
        self.filename = filename
        self.line = line
        self.message = message
        super().__init__(f"{filename}, line {line}: {message}")


@dataclass(frozen=True, slots=True)
class Span:
    """A `T` line: a labelled span of one or more fragments, in the file's order."""

    id: str
    label: str
    fragments: Fragments
    text: str
    line: int = 0

    @property
    def start(self) -> int:
        return min(a for a, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(b for _, b in self.fragments)


@dataclass(frozen=True, slots=True)
class Event:
    """An `E` line: a trigger span and `(role, span id)` arguments, in the file's order."""

    id: str
    type: str
    trigger: str
    arguments: tuple[tuple[str, str], ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Attribute:
    """An `A` (or `M`) line: a named value (None for a flag) on a span or an event."""

    id: str
    name: str
    target: str
    value: str | None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who (source) says what (content) with which words (cue): fragments per role.

    `content` is sorted in text order; `cue` and `source` may be empty. `attributes` are
    `(name, value)` pairs written as `A` lines on the event ("Certainty", "alleged").
    `id` is the event's id when read from a file, empty otherwise.
    """

    content: Fragments
    cue: Fragments = ()
    source: Fragments = ()
    attributes: tuple[tuple[str, str], ...] = ()
    id: str = ""


@dataclass
class Document:
    """Everything a `.ann` holds, by kind, in the file's order."""

    spans: dict[str, Span] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    def attributions(self) -> list[Attribution]:
        """The attributions: one per event with at least one content, then one per
        `Content` span no event used (no cue, no source)."""
        by_target: dict[str, list[tuple[str, str]]] = {}
        for attribute in self.attributes:
            value = attribute.value if attribute.value is not None else "true"
            by_target.setdefault(attribute.target, []).append((attribute.name, value))
        found: list[Attribution] = []
        used: set[str] = set()
        for event in self.events:
            parts: dict[str, list[tuple[int, int]]] = {CUE: [], SOURCE: [], CONTENT: []}
            contents: list[str] = []
            for role, ref in event.arguments:
                span = self.spans[ref]
                kind = span.label if span.label in ROLES else _ROLE_DIGITS.sub("", role)
                if kind not in parts:
                    continue
                parts[kind].extend(span.fragments)
                if kind == CONTENT:
                    contents.append(ref)
            if not parts[CONTENT]:
                continue
            used.update(contents)
            found.append(
                Attribution(
                    content=_ordered(parts[CONTENT]),
                    cue=_ordered(parts[CUE]),
                    source=_ordered(parts[SOURCE]),
                    attributes=tuple(by_target.get(event.id, ())),
                    id=event.id,
                )
            )
        for span in self.spans.values():
            if span.label == CONTENT and span.id not in used:
                found.append(Attribution(content=_ordered(span.fragments), id=span.id))
        return found


def _ordered(fragments: Iterable[tuple[int, int]]) -> Fragments:
    return tuple(sorted(set(fragments)))


def covered_text(text: str, fragments: Sequence[tuple[int, int]]) -> str:
    """The words a span covers as a `.ann` writes them: fragments joined by a space, line
    breaks turned into spaces (a `.ann` holds one annotation a line)."""
    return _LINE_BREAKS.sub(" ", " ".join(text[a:b] for a, b in fragments))


# --------------------------------------------------------------------------- reading


def parse(ann: str, *, text: str | None = None, filename: str = "<ann>") -> Document:
    """Read a `.ann`. With the article's `text`, offsets must lie inside it and each span's
    covered text must match the text's words (white space compared loosely, as tools
    differ in how they write line breaks). Raises `BratError`."""
    document = Document()
    lines = ann.splitlines()
    last_span: str | None = None
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            last_span = None
            continue
        head, tab, rest = line.partition("\t")
        match = _ID.match(head)
        if not tab or not match:
            span = document.spans[last_span] if last_span is not None else None
            if span is not None and (text is None or _breaks_line(span, text)):
                # A covered text holding a line break goes on over the next line.
                document.spans[last_span] = _replace_text(span, span.text + "\n" + line)
                continue
            raise BratError(
                filename,
                number,
                "expected an annotation id (T1, E1, A1, R1, #1…) and a tab at the start "
                f"of the line, found {line[:40]!r}",
            )
        kind = match.group(1)
        if kind != "#" and kind != "*":
            if not match.group(2):
                raise BratError(filename, number, f"the id {head!r} has no number")
            if head in seen:
                raise BratError(
                    filename, number, f"the id {head} is used twice (first on line {seen[head]})"
                )
            seen[head] = number
        last_span = None
        if kind == "T":
            span = _parse_span(head, rest, number, filename)
            if text is not None:
                _check_bounds(span, text, filename)
            document.spans[head] = span
            last_span = head
        elif kind == "E":
            document.events.append(_parse_event(head, rest, number, filename))
        elif kind in "AM":
            document.attributes.append(_parse_attribute(head, rest, number, filename))
        else:
            document.other.append(line)
    if text is not None:
        for span in document.spans.values():
            _check_text(span, text, filename)
    _check_references(document, seen, filename)
    return document


def _breaks_line(span: Span, text: str) -> bool:
    return any(_LINE_BREAKS.search(text, a, b) for a, b in span.fragments)


def _replace_text(span: Span, new_text: str) -> Span:
    return Span(span.id, span.label, span.fragments, new_text, span.line)


def _parse_span(sid: str, rest: str, number: int, filename: str) -> Span:
    spec, _, covered = rest.partition("\t")
    label, _, offsets = spec.partition(" ")
    if not label or not _TYPE.match(label):
        raise BratError(filename, number, f"span {sid} has no label")
    if not offsets:
        raise BratError(filename, number, f"span {sid} has no offsets (expected START END)")
    fragments = []
    for piece in offsets.split(";"):
        found = _FRAGMENT.match(piece.strip())
        if not found:
            raise BratError(
                filename,
                number,
                f"span {sid}: {piece!r} is not a fragment (expected START END, "
                "fragments separated by ';')",
            )
        start, end = int(found.group(1)), int(found.group(2))
        if start > end:
            raise BratError(
                filename, number, f"span {sid}: fragment {start} {end} ends before it starts"
            )
        fragments.append((start, end))
    return Span(sid, label, tuple(fragments), covered, number)


def _check_bounds(span: Span, text: str, filename: str) -> None:
    for start, end in span.fragments:
        if end > len(text):
            raise BratError(
                filename,
                span.line,
                f"span {span.id}: fragment {start} {end} lies outside the text "
                f"({len(text)} characters)",
            )


def _check_text(span: Span, text: str, filename: str) -> None:
    expected = " ".join(text[a:b] for a, b in span.fragments)
    if span.text and _SPACES.sub(" ", span.text).strip() != _SPACES.sub(" ", expected).strip():
        raise BratError(
            filename,
            span.line,
            f"span {span.id}: the file says {span.text[:60]!r} but the text there reads "
            f"{expected[:60]!r}",
        )


def _parse_event(eid: str, rest: str, number: int, filename: str) -> Event:
    items = rest.split()
    if not items:
        raise BratError(filename, number, f"event {eid} is empty (expected TYPE:TRIGGER ROLE:ID…)")
    pairs = []
    for item in items:
        role, colon, ref = item.partition(":")
        if not colon or not role or not ref:
            raise BratError(
                filename, number, f"event {eid}: {item!r} is not ROLE:ID (for example Cue:T4)"
            )
        pairs.append((role, ref))
    event_type, trigger = pairs[0]
    return Event(eid, event_type, trigger, tuple(pairs[1:]), number)


def _parse_attribute(aid: str, rest: str, number: int, filename: str) -> Attribute:
    parts = rest.split()
    if len(parts) not in (2, 3):
        raise BratError(
            filename, number, f"attribute {aid}: expected NAME TARGET [VALUE], found {rest!r}"
        )
    return Attribute(aid, parts[0], parts[1], parts[2] if len(parts) == 3 else None, number)


def _check_references(document: Document, seen: dict[str, int], filename: str) -> None:
    for event in document.events:
        for role, ref in ((event.type, event.trigger), *event.arguments):
            if ref not in document.spans:
                raise BratError(
                    filename,
                    event.line,
                    f"event {event.id}: {role}:{ref} names no span"
                    + (" (it is not a T line)" if ref in seen else ""),
                )
    events = {event.id for event in document.events}
    for attribute in document.attributes:
        if attribute.target not in document.spans and attribute.target not in events:
            raise BratError(
                filename,
                attribute.line,
                f"attribute {attribute.id}: {attribute.target} names no span or event",
            )


def read_pair(txt_path: Path | str) -> tuple[str, Document]:
    """Read `<name>.txt` and its `<name>.ann` (checked against the text). Raises
    `BratError` naming the `.ann` (or the missing file)."""
    txt = Path(txt_path)
    ann = txt.with_suffix(".ann")
    for path in (txt, ann):
        if not path.is_file():
            raise BratError(path.name, 0, "the file is missing")
    texts = []
    for path in (txt, ann):
        try:
            # Bytes, decoded: "\r\n" stays two code points, as brat counts them.
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise BratError(path.name, 0, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    text, annotations = texts
    return text, parse(annotations, text=text, filename=ann.name)


# --------------------------------------------------------------------------- writing


def dumps(attributions: Iterable[Attribution], text: str) -> str:
    """Write attributions as a `.ann` for `text`.

    Ids are stable: spans are numbered in the order the attributions come (source, cue,
    content, then the trigger), and a span already written (same label and fragments, a
    source serving several attributions) is reused. An attribution with a cue or a source
    gets an `Attribution` event whose trigger repeats the cue (the source when there is no
    cue); one with neither is a lone `Content` span. Raises ValueError for a fragment
    outside the text or an empty content.
    """
    lines: list[str] = []
    ids: dict[tuple[str, Fragments], str] = {}
    counters = {"T": 0, "E": 0, "A": 0}

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    def span(label: str, fragments: Fragments) -> str:
        key = (label, fragments)
        if key not in ids:
            for start, end in fragments:
                if not 0 <= start < end <= len(text):
                    raise ValueError(
                        f"fragment {start} {end} is empty or outside the text "
                        f"({len(text)} characters)"
                    )
            sid = ids[key] = next_id("T")
            offsets = ";".join(f"{a} {b}" for a, b in fragments)
            lines.append(f"{sid}\t{label} {offsets}\t{covered_text(text, fragments)}")
        return ids[key]

    for attribution in attributions:
        if not attribution.content:
            raise ValueError("an attribution needs a content")
        roles = []
        if attribution.source:
            roles.append(f"{SOURCE}:{span(SOURCE, tuple(attribution.source))}")
        if attribution.cue:
            roles.append(f"{CUE}:{span(CUE, tuple(attribution.cue))}")
        content = span(CONTENT, tuple(attribution.content))
        roles.append(f"{CONTENT}:{content}")
        target = content
        if attribution.cue or attribution.source:
            trigger = span(ATTRIBUTION, tuple(attribution.cue or attribution.source))
            target = next_id("E")
            lines.append(f"{target}\t{ATTRIBUTION}:{trigger} " + " ".join(roles))
        for name, value in attribution.attributes:
            if not _TYPE.match(name) or not _TYPE.match(value):
                raise ValueError(f"attribute {name}={value!r} must be single words")
            lines.append(f"{next_id('A')}\t{name} {target} {value}")
    return "".join(line + "\n" for line in lines)
