"""`python manage.py import_actors FILE`: load actors from CSV or JSON.

Each record has `name` (required), `kind` (person, organisation, state, group, other;
default other), `aliases`, `wikidata_id`, `parent` and `description`.
- CSV: a header row names the columns (any order, unknown columns ignored); `aliases`
  separates names with `|` or `;`. Errors name the line of the file.
- JSON: a list of objects, or `{"actors": [...]}`; `aliases` is a list of names (or one
  string separated as in CSV). Errors name the item's index in the list, from 0.
`parent` is the id of an actor already in the registry, a Wikidata id (`Q…`), or a name
or alias: names in the same file first (a parent may come after its children), then the
registry.

Importing the same file twice changes nothing the second time: a record updates the
actor with its Wikidata id, else the one actor with its name (folded), and adds its
aliases to those the actor already has. A failed record is reported with its reason and
the others are still imported; the command then exits with status 1.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.management.progress import CommandStream
from annotations.models import Actor, ActorKind
from annotations.selectors.actors import resolve_actor
from annotations.services.actors import actor_create, actor_update
from annotations.text import fold
from claimdesk.errors import DomainError

COLUMNS = ("name", "kind", "aliases", "wikidata_id", "parent", "description")
ALIAS_SEPARATOR = re.compile(r"[|;]")
KIND_WORDS = {**{value: value for value in ActorKind.values}, "organization": "organisation"}


@dataclass
class Record:
    where: str  # "line 4" or "item 3"
    name: str
    kind: str  # "" when not given: other for a new actor, unchanged for a known one
    aliases: list[str]
    wikidata_id: str
    parent: str
    description: str
    actor_id: int | None = None
    errors: list[str] = field(default_factory=list)


class RecordError(Exception):
    pass


class _NumberedLines:
    """The lines of a file for `csv.reader`, remembering the number of the first line
    read since `first` was reset: the line a (possibly multi-line) row starts on."""

    def __init__(self, handle) -> None:
        self._handle = handle
        self.number = 0
        self.first: int | None = None

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._handle)
        self.number += 1
        if self.first is None:
            self.first = self.number
        return line


def _text(value, what: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RecordError(f"{what} must be text")
    return str(value).strip()


def _aliases(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [alias.strip() for alias in ALIAS_SEPARATOR.split(value) if alias.strip()]
    if isinstance(value, list) and all(isinstance(alias, str) for alias in value):
        return [alias.strip() for alias in value if alias.strip()]
    raise RecordError("aliases must be a list of names or a text separated by | or ;")


def _record(where: str, data: dict) -> Record:
    name = _text(data.get("name"), "name")
    if not name:
        raise RecordError("the name is missing")
    kind = _text(data.get("kind"), "kind").lower()
    if kind and kind not in KIND_WORDS:
        raise RecordError(f"unknown kind {kind!r} (use one of {', '.join(ActorKind.values)})")
    return Record(
        where=where,
        name=name,
        kind=KIND_WORDS.get(kind, ""),
        aliases=_aliases(data.get("aliases")),
        # Also accepted: the entity's URL, and a lower-case q.
        wikidata_id=_text(data.get("wikidata_id"), "wikidata_id").rsplit("/", 1)[-1].upper(),
        parent=_text(data.get("parent"), "parent"),
        description=_text(data.get("description"), "description"),
    )


class Command(BaseCommand):
    help = (
        "Import actors from a CSV or JSON file (columns or keys: name, kind, aliases, "
        "wikidata_id, parent, description). CSV aliases are separated by | or ;. "
        "Re-importing updates actors matched by Wikidata id, else by name."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a .csv or .json file")
        parser.add_argument(
            "--format",
            choices=["auto", "csv", "json"],
            default="auto",
            help="the file's format (default: from its extension)",
        )
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")

    def handle(self, *args, file: Path, format: str, no_progress: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if format == "auto":
            format = "json" if file.suffix.lower() in {".json", ".jsonl"} else "csv"
        records, failed = self._read_json(file) if format == "json" else self._read_csv(file)

        bar = CommandStream(self.stderr)
        outcomes: Counter[str] = Counter()
        by_name: dict[str, Record] = {}
        for record in tqdm(
            records, desc="actors", unit="actor", file=bar, disable=no_progress, leave=False
        ):
            try:
                outcomes[self._upsert(record)] += 1
            except RecordError as exc:
                record.errors.append(str(exc))
                continue
            by_name.setdefault(fold(record.name), record)
            for alias in record.aliases:
                by_name.setdefault(fold(alias), record)

        # Parents last: a parent may be defined further down the file.
        for record in records:
            if record.actor_id is None or not record.parent:
                continue
            try:
                self._set_parent(record, by_name)
            except RecordError as exc:
                record.errors.append(f"imported, but its parent is not set: {exc}")

        failed += [(record.where, error) for record in records for error in record.errors]
        for where, error in failed:
            self.stderr.write(f"{where}: {error}")
        self.stdout.write(
            f"{outcomes['created']} actor(s) created, {outcomes['updated']} updated, "
            f"{outcomes['unchanged']} unchanged, {len(failed)} error(s)."
        )
        if failed:
            raise CommandError(f"{len(failed)} record(s) could not be imported; see above.")

    # --- Reading ----------------------------------------------------------------------------

    def _read_csv(self, file: Path) -> tuple[list[Record], list[tuple[str, str]]]:
        records, failed = [], []
        with file.open(newline="", encoding="utf-8-sig") as handle:
            lines = _NumberedLines(handle)
            reader = csv.reader(lines)
            try:
                header = next(reader, None)
                columns = [column.strip().lower() for column in header or []]
                if "name" not in columns:
                    raise CommandError(
                        "The CSV file needs a header row with at least a name column."
                    )
                while True:
                    lines.first = None
                    row = next(reader, None)
                    if row is None:
                        break
                    if not any(value.strip() for value in row):
                        continue
                    where = f"line {lines.first}"
                    if len(row) > len(columns):
                        failed.append((where, f"{len(row)} fields for {len(columns)} columns"))
                        continue
                    try:
                        records.append(_record(where, dict(zip(columns, row, strict=False))))
                    except RecordError as exc:
                        failed.append((where, str(exc)))
            except (csv.Error, UnicodeDecodeError) as exc:
                raise CommandError(f"line {lines.number}: {exc}") from exc
        return records, failed

    def _read_json(self, file: Path) -> tuple[list[Record], list[tuple[str, str]]]:
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not valid JSON: {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("actors"), list):
            data = data["actors"]
        if not isinstance(data, list):
            raise CommandError('The JSON file must hold a list of actors, or {"actors": [...]}.')
        records, failed = [], []
        for index, item in enumerate(data):
            where = f"item {index}"
            if not isinstance(item, dict):
                failed.append((where, "an actor is an object with a name"))
                continue
            try:
                records.append(_record(where, item))
            except RecordError as exc:
                failed.append((where, str(exc)))
        return records, failed

    # --- Writing ----------------------------------------------------------------------------

    def _existing(self, record: Record) -> Actor | None:
        if record.wikidata_id:
            found = Actor.objects.filter(wikidata_id__iexact=record.wikidata_id).first()
            if found is not None:
                return found
        named = list(Actor.objects.filter(folded=fold(record.name)).order_by("pk")[:3])
        if record.wikidata_id:
            # Another Wikidata id means another actor of the same name.
            named = [actor for actor in named if not actor.wikidata_id]
        if len(named) > 1:
            ids = ", ".join(str(actor.pk) for actor in named)
            raise RecordError(
                f"several actors are named {record.name!r} (ids {ids}); give a wikidata_id"
            )
        return named[0] if named else None

    def _upsert(self, record: Record) -> str:
        """Create or update the record's actor (without its parent): "created",
        "updated" or "unchanged"."""
        existing = self._existing(record)
        try:
            if existing is None:
                actor = actor_create(
                    user=None,
                    name=record.name,
                    kind=record.kind or ActorKind.OTHER,
                    aliases=record.aliases,
                    wikidata_id=record.wikidata_id,
                    description=record.description,
                )
                record.actor_id = actor.pk
                return "created"
            record.actor_id = existing.pk
            known = list(existing.aliases.order_by("pk").values_list("name", flat=True))
            known_folded = {fold(name) for name in known} | {existing.folded}
            fields = {}
            if record.name != existing.name:
                fields["name"] = record.name
            if record.kind and record.kind != existing.kind:
                fields["kind"] = record.kind
            if record.wikidata_id and record.wikidata_id.upper() != existing.wikidata_id:
                fields["wikidata_id"] = record.wikidata_id
            if record.description and record.description != existing.description:
                fields["description"] = record.description
            if any(fold(alias) not in known_folded for alias in record.aliases):
                fields["aliases"] = [*known, *record.aliases]
            if not fields:
                return "unchanged"
            actor_update(user=None, actor_id=existing.pk, **fields)
            return "updated"
        except DomainError as exc:
            field = exc.errors[0]["field"] if exc.errors else None
            raise RecordError(f"{field}: {exc.detail}" if field else exc.detail) from exc

    def _set_parent(self, record: Record, by_name: dict[str, Record]) -> None:
        reference = record.parent
        in_file = by_name.get(fold(reference))
        if in_file is not None and not reference.isdigit():
            parent_id = in_file.actor_id
        else:
            try:
                parent_id = resolve_actor(reference).pk
            except Actor.DoesNotExist:
                raise RecordError(f"no actor {reference!r} in the file or the registry") from None
            except Actor.MultipleObjectsReturned as exc:
                raise RecordError(str(exc)) from None
        if Actor.objects.filter(pk=record.actor_id, parent_id=parent_id).exists():
            return
        try:
            actor_update(user=None, actor_id=record.actor_id, parent_id=parent_id)
        except DomainError as exc:
            raise RecordError(exc.detail) from exc
