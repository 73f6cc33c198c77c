"""The export formats by name, with one way to run any of them.

`export_stream` is what the API's export endpoint and the `export_claims` command call:
it shapes the query for the format, reads the claims in chunks and yields the encoded
document piece by piece.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from annotations.exports import claimreview, csv_format, jsonl, webannotation
from annotations.exports.records import (
    CHUNK_SIZE,
    LINKS,
    RATING,
    Links,
    export_claims_queryset,
    iter_records,
)
from annotations.models import Claim, ClaimStatus
from projects.models import Project

# The filters that name the container of a webannotation export (see
# `webannotation.Container`): those of the claim list.
FILTER_NAMES = (
    "status",
    "article",
    "project",
    "actor",
    "claimant",
    "role",
    "source",
    "certainty",
    "anchor_state",
    "created_after",
    "created_before",
    "reviewed_after",
    "q",
    "related_to",
)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    content_type: str
    extension: str
    description: str
    # The links of a claim the format shows (see `records.iter_records`): the others
    # are not read.
    reads: tuple[str, ...] = LINKS


FORMATS: dict[str, ExportFormat] = {
    "jsonl": ExportFormat(
        "jsonl", jsonl.CONTENT_TYPE, jsonl.EXTENSION, "JSON Lines: one claim record a line."
    ),
    "csv": ExportFormat(
        "csv", csv_format.CONTENT_TYPE, csv_format.EXTENSION, "CSV: one claim a row."
    ),
    "webannotation": ExportFormat(
        "webannotation",
        webannotation.CONTENT_TYPE,
        webannotation.EXTENSION,
        "W3C Web Annotation JSON-LD: the AnnotationCollection and all its pages.",
    ),
    "claimreview": ExportFormat(
        "claimreview",
        claimreview.CONTENT_TYPE,
        claimreview.EXTENSION,
        "schema.org ClaimReview JSON-LD feed: approved claims with a rating.",
        reads=(RATING,),
    ),
}


def container_query(filters: Mapping | None) -> dict[str, list[str]]:
    """The claim filters present in `filters`, as lists of strings. A blank value is no
    filter: a form sends its empty fields (`actor=&q=`), and they filter nothing."""
    if not filters:
        return {}
    out = {}
    for name in FILTER_NAMES:
        values = filters.getlist(name) if hasattr(filters, "getlist") else filters.get(name)
        if values is None:
            continue
        listed = values if isinstance(values, list | tuple) else [values]
        present = [str(v) for v in listed if str(v).strip()]
        if present:
            out[name] = present
    return out


@dataclass
class Export:
    """One export run: the claims it holds and how to write them.

    Build it with `Export.prepare` (which validates the filters, raising InvalidInput),
    then iterate `stream()`; `count()` answers how many claims it will hold.
    """

    format: ExportFormat
    queryset: QuerySet[Claim]
    links: Links
    filters: Mapping | None = None
    chunk_size: int = CHUNK_SIZE
    publisher: claimreview.Publisher | None = None
    project: Project | None = None

    @classmethod
    def prepare(
        cls,
        *,
        format_name: str,
        user,
        links: Links,
        filters: Mapping | None = None,
        chunk_size: int = CHUNK_SIZE,
        publisher: claimreview.Publisher | None = None,
        without_drafts: bool = False,
        project: Project | None = None,
    ) -> Export:
        """`project` limits the export to that project's claims (and names the
        webannotation container after it); without it, every project the user reads."""
        fmt = FORMATS[format_name]
        # Records are read as plain rows (see `records`): the instances' joins and
        # prefetches of the claim selector would only cost time to build.
        queryset = (
            export_claims_queryset(user=user, filters=filters)
            .select_related(None)
            .prefetch_related(None)
        )
        if without_drafts:
            queryset = queryset.exclude(status=ClaimStatus.DRAFT)
        if project is not None:
            queryset = queryset.filter(project=project)
        # Build the SQL now: a value the database cannot take fails here, before the
        # answer starts, rather than halfway through a download.
        with contextlib.suppress(EmptyResultSet):  # nothing to export: fine
            queryset.query.sql_with_params()
        if fmt.name == "claimreview":
            queryset = claimreview.rated_claims(queryset)
        return cls(fmt, queryset, links, filters, chunk_size, publisher, project)

    def count(self) -> int:
        return self.queryset.count()

    def records(self) -> Iterator[dict[str, Any]]:
        return iter_records(
            self.queryset, self.links, chunk_size=self.chunk_size, read=self.format.reads
        )

    def stream(
        self,
        *,
        total: int | None = None,
        wrap: Callable[[Iterator[dict[str, Any]]], Iterable[dict[str, Any]]] | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> Iterator[bytes]:
        """The encoded export. `wrap` may wrap the records (a progress bar); `total`
        saves the count the webannotation format needs when the caller has it; `warn` is
        told what a format advises against (a ClaimReview summary over 75 characters)."""
        records = self.records()
        if wrap is not None:
            records = wrap(records)
        name = self.format.name
        if name == "jsonl":
            return jsonl.stream(records)
        if name == "csv":
            return csv_format.stream(records)
        if name == "claimreview":
            return claimreview.stream(
                records,
                publisher=self.publisher or claimreview.Publisher.default(self.links),
                links=self.links,
                warn=warn,
            )
        if total is None:
            total = self.count()
        container = webannotation.Container(
            self.links,
            container_query(self.filters),
            base=self.links.project_annotations(self.project.pk) if self.project else None,
        )
        return webannotation.stream_export(
            records,
            self.links,
            container=container,
            total=total,
            label=collection_label(self.filters, project=self.project),
        )


def collection_label(filters: Mapping | None, *, project: Project | None = None) -> str:
    label = "Claimdesk claims" if filters and filters.get("status") else "Claimdesk verified claims"
    return f"{label} of {project.name}" if project is not None else label
