"""brat standoff export: a folder of `article-<id>.txt` + `article-<id>.ann` per article.

Each `.txt` is the article's current revision text, byte for byte (UTF-8, `\\n` line
ends), so that the `.ann` offsets (code points) count in it. Each claim anchored on that
revision becomes one attribution (`annotations.brat.dumps`):

- its passage a `Content` span, its cue a `Cue` span and its source mention a `Source`
  span, tied by an `E` line `Attribution:T… Source:T… Cue:T… Content:T…` (a claim with
  neither cue nor source mention is a lone `Content` span, as brat corpora have it);
- `Certainty` and `Status` as `A` attributes of the event (of the content when alone);
- the rest as one `AnnotatorNotes` note (`#` line) on the same annotation, holding a JSON
  object: `{"claim": id, "claimant": name, "actors": [[name, role], …], "statement": …}`.
  brat shows the note as text; `import_annotations --format brat` reads it back, so a
  folder exported here imports with the same claimants, roles and statements.

Claims whose passage is orphaned (still on an older revision) have no place in the
current text: they are left out and counted (`BratExport.skipped`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Max, QuerySet

from annotations import brat
from annotations.exports.records import Links, iter_records
from articles.models import Article

NOTE = "AnnotatorNotes"
# Articles whose texts are read with one query (and whose claims are read together).
ARTICLES_A_BATCH = 200


@dataclass
class BratExport:
    articles: int = 0
    claims: int = 0
    skipped: int = 0


def file_stem(article_id: int) -> str:
    return f"article-{article_id}"


def _span(span: dict[str, Any] | None) -> brat.Fragments:
    return () if span is None else ((span["start"], span["end"]),)


def attribution(record: dict[str, Any]) -> brat.Attribution:
    """A claim record (see `annotations.exports.records`) as a brat attribution."""
    anchor = record["anchor"]
    return brat.Attribution(
        content=((anchor["start"], anchor["end"]),),
        cue=_span(record.get("cue")),
        source=_span(record.get("source_mention")),
        attributes=(("Certainty", record["certainty"]), ("Status", record["status"])),
    )


def note(record: dict[str, Any]) -> dict[str, Any]:
    """What a brat attribution cannot say of a claim, for its `AnnotatorNotes`."""
    return {
        "claim": record["id"],
        "claimant": record["claimant"]["name"],
        "actors": [[actor["name"], actor["role"]] for actor in record["actors"]],
        "statement": record["statement"],
    }


def ann_for(text: str, records: list[dict[str, Any]]) -> str:
    """The `.ann` of one article's claims (records in the order to write them)."""
    attributions = [attribution(record) for record in records]
    written = brat.dumps(attributions, text)
    document = brat.parse(written, text=text)
    events = iter(document.events)
    lone = {span.fragments: span.id for span in document.spans.values() if span.label == "Content"}
    notes = []
    for number, (item, record) in enumerate(zip(attributions, records, strict=True), start=1):
        target = next(events).id if item.cue or item.source else lone[item.content]
        # ASCII only: a raw U+2028 in a name would break the line for `splitlines`.
        body = json.dumps(note(record), ensure_ascii=True)
        notes.append(f"#{number}\t{NOTE} {target}\t{body}\n")
    return written + "".join(notes)


def _write(path: Path, content: str) -> None:
    # Through a temporary name: a failed export leaves no half file under the real name.
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as out:
        out.write(content)
    os.replace(partial, path)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for begin in range(0, len(ids), ARTICLES_A_BATCH):
        yield ids[begin : begin + ARTICLES_A_BATCH]


def export_brat(
    queryset: QuerySet,
    directory: Path,
    links: Links,
    *,
    progress: Callable[[int], Any] | None = None,
) -> BratExport:
    """Write the claims of `queryset` into `directory` (created when missing), one pair of
    files per article that has claims on its current text.

    Reads the articles a batch at a time: one query for the batch's texts and the
    claims' few queries (`iter_records`), so the queries grow with the batches, not
    with the claims. `progress` is told of every claim read (a progress bar's `update`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    summary = BratExport()
    article_ids = sorted(set(queryset.order_by().values_list("article_id", flat=True)))
    for batch in _batches(article_ids):
        texts = {
            pk: (text, current)
            for pk, text, current in Article.objects.filter(pk__in=batch)
            .annotate(current=Max("revisions__number"))
            .values_list("pk", "text", "current")
        }
        by_article: dict[int, list[dict[str, Any]]] = {}
        claims = queryset.filter(article_id__in=batch).order_by("article_id", "start", "id")
        for record in iter_records(claims, links):
            if progress is not None:
                progress(1)
            text, current = texts[record["article"]["id"]]
            if record["revision"]["number"] != current:
                summary.skipped += 1
                continue
            by_article.setdefault(record["article"]["id"], []).append(record)
        for article_id, records in by_article.items():
            text = texts[article_id][0]
            stem = file_stem(article_id)
            _write(directory / f"{stem}.txt", text)
            _write(directory / f"{stem}.ann", ann_for(text, records))
            summary.articles += 1
            summary.claims += len(records)
    return summary
