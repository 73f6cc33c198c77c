"""Importing a folder of brat standoff files as articles and draft claims.

`read_folder` reads and checks every `<name>.txt` + `<name>.ann` pair first, writing
nothing; `import_folder` then writes everything in one transaction, through the services
the other doors use (`articles.services.article_import`, `actor_create`,
`claim_create`), so a failure anywhere leaves nothing behind. Errors name the file and,
when there is one, the line.

How an attribution (see `annotations.brat.Document.attributions`) becomes a claim:

- **passage**: the content span. A discontinuous content (fragments) becomes the span
  that covers all its fragments (a claim has one passage); the fragments are written in
  the claim's note, so nothing of the annotation is lost. Cue and source mention, when
  discontinuous, are covered the same way.
- **cue** and **source mention**: the `Cue` and `Source` spans.
- **claimant**: the name an `AnnotatorNotes` note gives (what `export_claims --format
  brat` writes), else the source's words. A name is resolved to a registry actor when
  it is, whole, that actor's name or alias as the mention index matches names (a leading
  "the" may be left out); otherwise an actor of kind `other` is created with that name
  (once per import, however many claims name it). A content with no source, or whose
  source is a bare pronoun ("he", "they"), gets the placeholder claimant
  `PLACEHOLDER_CLAIMANT`, resolved or created the same way, for the researcher to
  correct: the summary counts them.
- **certainty**: a `Certainty` attribute with one of the certainties, else `asserted`.
- **statement**: the note's statement, else the content's words (whitespace collapsed).
- **actors in roles**: the note's `actors` (`[[name, role], …]`), resolved as claimants.

The article text is cleaned and normalised as every import is; when that changes the
text, each span is carried to the stored text by the re-anchoring of revisions
(`annotations.anchoring.reanchor`). A span that cannot be found there is an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from annotations import brat
from annotations.anchoring.reanchor import ORPHANED, mapped_spans, reanchor_many
from annotations.anchoring.selection import Anchor, context_around
from annotations.mention_cache import mention_index
from annotations.mentions import match_key
from annotations.models import ActorKind, ActorRole, Certainty
from annotations.roles import can_annotate
from annotations.services.actors import actor_create
from annotations.services.claims import ActorLink, MarkedSpan, claim_create
from articles.importers import looks_like_headline
from articles.services import DuplicateArticle, article_import, check_import_article
from claimdesk import limits
from claimdesk.errors import DomainError
from projects.access import project_for_new_article

PLACEHOLDER_CLAIMANT = "Unattributed source"
PRONOUNS = frozenset(
    {
        *("i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them"),
        *("his", "hers", "its", "their", "theirs", "our", "ours", "one", "who"),
    }
)
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_NOTE = re.compile(r"^#\d*\tAnnotatorNotes (\S+)\t(.*)$")

Span = tuple[int, int]


class BratImportError(Exception):
    """The folder cannot be imported; `errors` lists every problem found, each naming
    its file (and line)."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class PlannedClaim:
    where: str  # "<name>.ann, line N"
    reference: str  # the event's (or lone content's) id
    content: Span
    fragments: brat.Fragments
    cue: Span | None
    source: Span | None
    source_text: str
    certainty: str
    statement: str
    claimant: str  # a name from the note, else ""
    actors: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PlannedFile:
    name: str
    text: str
    claims: tuple[PlannedClaim, ...]


@dataclass
class ImportSummary:
    files: int = 0
    articles: list[tuple[int, str]] = field(default_factory=list)  # (id, file name)
    claims: int = 0
    actors_created: list[str] = field(default_factory=list)
    placeholders: int = 0
    discontinuous: int = 0


# --------------------------------------------------------------------------- reading


def _covering(fragments: brat.Fragments) -> Span | None:
    return (min(a for a, _ in fragments), max(b for _, b in fragments)) if fragments else None


def _words(text: str, fragments: brat.Fragments) -> str:
    return _SPACES.sub(" ", " … ".join(text[a:b].strip() for a, b in fragments)).strip()


def _notes(document: brat.Document) -> dict[str, dict[str, Any]]:
    """The JSON notes (`#` lines) by the annotation they are on; other notes are ignored."""
    notes = {}
    for line in document.other:
        found = _NOTE.match(line)
        if not found:
            continue
        try:
            body = json.loads(found.group(2))
        except ValueError:
            continue
        if isinstance(body, dict):
            notes[found.group(1)] = body
    return notes


def _plan_claim(
    text: str, item: brat.Attribution, note: dict[str, Any], where: str
) -> PlannedClaim:
    for fragments in (item.content, item.cue, item.source):
        for start, end in fragments:
            if start >= end:
                raise ValueError(f"{where}: the span {start} {end} is empty")
    values = dict(item.attributes)
    certainty = values.get("Certainty", "")
    actors = note.get("actors") or []
    if not isinstance(actors, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        for pair in actors
    ):
        raise ValueError(f"{where}: the note's actors must be a list of [name, role] pairs")
    for name, role in actors:
        if role not in ActorRole.values:
            raise ValueError(
                f"{where}: unknown role {role!r} for {name!r} (roles: "
                f"{', '.join(ActorRole.values)})"
            )
    statement = note.get("statement")
    claimant = note.get("claimant")
    return PlannedClaim(
        where=where,
        reference=item.id,
        content=_covering(item.content),
        fragments=item.content,
        cue=_covering(item.cue),
        source=_covering(item.source),
        source_text=_words(text, item.source),
        certainty=certainty if certainty in Certainty.values else Certainty.ASSERTED,
        statement=(statement if isinstance(statement, str) and statement.strip() else "")
        or _words(text, item.content)[: limits.STATEMENT],
        claimant=claimant.strip() if isinstance(claimant, str) else "",
        actors=tuple((name, role) for name, role in actors),
    )


def _read_file(txt: Path) -> PlannedFile:
    text, document = brat.read_pair(txt)
    ann = txt.with_suffix(".ann").name
    lines = {span.id: span.line for span in document.spans.values()}
    lines.update({event.id: event.line for event in document.events})
    notes = _notes(document)
    claims = []
    for item in document.attributions():
        where = f"{ann}, line {lines.get(item.id, 0)}"
        claims.append(_plan_claim(text, item, notes.get(item.id, {}), where))
    return PlannedFile(name=txt.stem, text=text, claims=tuple(claims))


def read_folder(directory: Path) -> list[PlannedFile]:
    """Read and check every pair of files in `directory`, in name order; writes nothing.

    Raises BratImportError listing every problem: no such folder, no files, a `.txt`
    or `.ann` without the other, a line the brat reader refuses (bad offsets, text that
    does not match, an unknown id), an empty span, a note naming an unknown role.
    """
    if not directory.is_dir():
        raise BratImportError([f"{directory}: no such folder"])
    stems = {path.stem for path in directory.iterdir() if path.suffix in (".txt", ".ann")}
    if not stems:
        raise BratImportError([f"{directory}: no .txt or .ann files"])
    errors, planned = [], []
    for stem in sorted(stems):
        missing = [
            f"{stem}{want}: the file is missing (beside {stem}{have})"
            for have, want in ((".ann", ".txt"), (".txt", ".ann"))
            if not (directory / f"{stem}{want}").is_file()
        ]
        if missing:
            errors += missing
            continue
        try:
            planned.append(_read_file(directory / f"{stem}.txt"))
        except brat.BratError as exc:
            where = f"{exc.filename}, line {exc.line}" if exc.line else exc.filename
            errors.append(f"{where}: {exc.message}")
        except ValueError as exc:
            errors.append(str(exc))
    if errors:
        raise BratImportError(errors)
    return planned


# --------------------------------------------------------------------------- writing


class _Claimants:
    """Names to registry actors: the mention index for the registry as it was, and the
    actors this import created (the index learns of them only after the commit)."""

    def __init__(self, user, summary: ImportSummary) -> None:
        self.user = user
        self.summary = summary
        self.index = mention_index()
        self.created: dict[str, int] = {}

    def _known(self, name: str) -> int | None:
        for candidate in (name, _LEADING_THE.sub("", name)):
            key = match_key(candidate)
            if key in self.created:
                return self.created[key]
            for mention in self.index.find(candidate):
                if mention.start == 0 and mention.end == len(candidate):
                    return mention.actor_id
        return None

    def actor_id(self, name: str) -> int:
        name = _SPACES.sub(" ", name).strip()
        found = self._known(name)
        if found is None:
            actor = actor_create(user=self.user, name=name, kind=ActorKind.OTHER)
            self.created[match_key(name)] = found = actor.pk
            self.summary.actors_created.append(actor.name)
        return found

    def claimant_id(self, claim: PlannedClaim) -> int:
        name = claim.claimant or claim.source_text
        if not name or name.lower() in PRONOUNS:
            self.summary.placeholders += 1
            name = PLACEHOLDER_CLAIMANT
        return self.actor_id(name)


def _carry(text: str, stored: str, spans: list[Span]) -> list[Span | None]:
    """Where each span of `text` lies in `stored` (the text as the import cleaned it),
    None where it cannot be found.

    Re-anchoring finds the words themselves; where normalising changed them (a
    no-break space made a space, which a short cue cannot absorb as a fuzzy match), the
    diff says where they went, taken when they read the same but for white space.
    """
    if text == stored:
        return list(spans)
    anchors = [Anchor(a, b, text[a:b], *context_around(text, a, b)) for a, b in spans]
    found = reanchor_many(anchors=anchors, old_text=text, text=stored)
    mapped = mapped_spans(spans=spans, old_text=text, text=stored)
    out: list[Span | None] = []
    for (a, b), result, (x, y) in zip(spans, found, mapped, strict=True):
        if result.state != ORPHANED:
            out.append((result.start, result.end))
        elif y > x and _loose(stored[x:y]) == _loose(text[a:b]):
            out.append((x, y))
        else:
            out.append(None)
    return out


def _loose(words: str) -> str:
    return _SPACES.sub(" ", words).strip()


def _title(file: PlannedFile) -> str:
    first = file.text.strip().split("\n", 1)[0].strip()
    return first if looks_like_headline(first) else file.name


def _claim_note(file: PlannedFile, claim: PlannedClaim) -> str:
    note = f"Imported from brat: {file.name}.ann, {claim.reference}."
    if len(claim.fragments) > 1:
        pieces = ", ".join(f"{a}-{b}" for a, b in claim.fragments)
        note += f" Discontinuous content, fragments (offsets in the .txt): {pieces}."
    return note


def _import_file(
    file: PlannedFile, *, user, project, claimants: _Claimants, summary: ImportSummary
) -> None:
    try:
        article = article_import(
            user=user,
            title=_title(file),
            text=file.text,
            note=f"Imported from {file.name}.txt",
            project=project,
        )
    except DuplicateArticle as exc:
        raise BratImportError(
            [f"{file.name}.txt: already imported as article {exc.existing.pk} (same {exc.why})"]
        ) from exc
    except ValidationError as exc:
        detail = "; ".join(" ".join(m) for m in exc.message_dict.values())
        raise BratImportError([f"{file.name}.txt: {detail}"]) from exc
    summary.articles.append((article.pk, file.name))
    stored = article.current_revision.text
    wanted: list[Span] = []
    for claim in file.claims:
        wanted += [span for span in (claim.content, claim.cue, claim.source) if span]
    carried = iter(_carry(file.text, stored, wanted))
    for claim in file.claims:
        content, cue, source = (
            next(carried) if span else None for span in (claim.content, claim.cue, claim.source)
        )
        lost = [
            role
            for role, before, after in (
                ("content", claim.content, content),
                ("cue", claim.cue, cue),
                ("source", claim.source, source),
            )
            if before and not after
        ]
        if lost:
            raise BratImportError(
                [f"{claim.where}: the {lost[0]} is not in the text once cleaned for import"]
            )
        try:
            claim_create(
                user=user,
                article=article,
                start=content[0],
                end=content[1],
                exact=stored[content[0] : content[1]],
                statement=claim.statement,
                claimant_id=claimants.claimant_id(claim),
                certainty=claim.certainty,
                actors=[
                    ActorLink(actor_id=claimants.actor_id(name), role=role)
                    for name, role in dict.fromkeys(claim.actors)
                ],
                note=_claim_note(file, claim),
                cue=MarkedSpan(*cue) if cue else None,
                source_mention=MarkedSpan(*source) if source else None,
            )
        except DomainError as exc:
            field = f" ({exc.field})" if exc.field else ""
            raise BratImportError([f"{claim.where}: {exc.detail}{field}"]) from exc
        summary.claims += 1
        summary.discontinuous += len(claim.fragments) > 1


@transaction.atomic
def import_folder(
    *,
    user,
    directory: Path,
    project=None,
    progress: Callable[[int], Any] | None = None,
) -> ImportSummary:
    """Import every pair of files of `directory` as an article and its draft claims,
    authored by `user`, in `project` (by default the only project `user` imports into).

    One transaction: raises BratImportError (every problem of the folder when reading
    it, else the first that stopped the writing) and nothing is written. `progress` is
    told of every file imported.
    """
    planned = read_folder(directory)
    try:
        check_import_article(user=user)
        project = project_for_new_article(user, project)
    except PermissionDenied as exc:
        raise BratImportError([str(exc)]) from exc
    if not can_annotate(user, project.pk):
        raise BratImportError([f"{user} is not a researcher of the project {project.slug!r}."])
    summary = ImportSummary(files=len(planned))
    claimants = _Claimants(user, summary)
    for file in planned:
        _import_file(file, user=user, project=project, claimants=claimants, summary=summary)
        if progress is not None:
            progress(1)
    return summary
