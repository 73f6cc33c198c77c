"""W3C Web Annotation Data Model (JSON-LD) for claims, collections and pages.

One claim is one `Annotation`:

- `id` is the claim's `/api/v1/annotations/{id}` IRI; `motivation` is `describing` (the
  annotation describes what the passage asserts and who says it);
- `creator` is the researcher who wrote it, `generator` this Claimdesk site;
- `body` is a list, each body marked with its `role` in the claim:
  the statement (`TextualBody`, purpose `describing`, role `statement`); the claimant
  and every further actor (`SpecificResource`, purpose `identifying`, role `claimant`,
  `accused`, `target`, `supporter`, `denier` or `mentioned`, whose `source` is the
  actor with its name, kind and Wikidata IRI as `sameAs`); the certainty (`TextualBody`,
  purpose `classifying`, role `certainty`); every cited source (`SpecificResource`,
  purpose `linking`, role `source`, with `locator` and `note`);
- `target` is the article (its web address when known) with a `TextQuoteSelector` and a
  `TextPositionSelector` (code points into the revision text) and a `TimeState` whose
  `cached` copy is the revision the claim is anchored to (`revision` holds its number).

Terms that are not in the W3C vocabulary (`role`, `kind`, `locator`, `note`, `status`,
`version`, `revision`, `anchorState`, `project`, `sameAs`) are defined by a second,
inline `@context` object, so that every document expands offline with `anno.jsonld`
alone. `project` is the slug of the claim's project (desk): the W3C model has no term
for the editorial unit an annotation was made in.

A relation between two claims (this claim denies that one) is a linking `Annotation` of
its own: `motivation` `linking`, both claims' annotation IRIs as `target` (the claim
the relation starts from first) and the kind as a `TextualBody` (purpose `classifying`,
role `relation`); its `id` is the relation's API address. The export writes one per
relation of its claims (see `stream_export`).

Collections follow the Web Annotation Protocol container model: an
`AnnotationCollection` (also an LDP `BasicContainer`) with `total`, `first` and `last`,
and `AnnotationPage`s with `partOf`, `startIndex`, `next`, `prev` and `items`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any
from urllib.parse import urlencode

import orjson

from annotations.exports.records import Links

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
CONTENT_TYPE = MEDIA_TYPE
EXTENSION = "jsonld"
PAGE_SIZE = 100

LDP_BASIC_CONTAINER = "http://www.w3.org/ns/ldp#BasicContainer"
LDP_RESOURCE = "http://www.w3.org/ns/ldp#Resource"
PROTOCOL_CONSTRAINTS = "http://www.w3.org/TR/annotation-protocol/"

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


def vocabulary(links: Links) -> str:
    """The namespace of Claimdesk's own terms on this site."""
    return links.annotations.removesuffix("annotations/") + "vocab#"


def context(links: Links) -> list[Any]:
    """`anno.jsonld` plus the definitions of Claimdesk's terms and of LDP containers."""
    return [
        ANNO_CONTEXT,
        {
            "cd": vocabulary(links),
            "ldp": "http://www.w3.org/ns/ldp#",
            "BasicContainer": "ldp:BasicContainer",
            "role": "cd:role",
            "kind": "cd:kind",
            "locator": "cd:locator",
            "note": "cd:note",
            "status": "cd:status",
            "anchorState": "cd:anchorState",
            "project": "cd:project",
            "version": {"@id": "cd:version", "@type": "xsd:nonNegativeInteger"},
            "revision": {"@id": "cd:revision", "@type": "xsd:nonNegativeInteger"},
            "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
        },
    ]


def actor_body(actor: dict[str, Any], role: str) -> dict[str, Any]:
    """An actor in a role, as a body (`actor`: url, name, kind, wikidata_id)."""
    source: dict[str, Any] = {"id": actor["url"], "name": actor["name"], "kind": actor["kind"]}
    if actor["wikidata_id"]:
        source["sameAs"] = WIKIDATA_ENTITY + actor["wikidata_id"]
    return {"type": "SpecificResource", "purpose": "identifying", "role": role, "source": source}


def source_body(source: dict[str, Any]) -> dict[str, Any]:
    """A cited source, as a body (`source`: api_url, name, kind, url, locator, note)."""
    resource: dict[str, Any] = {
        "id": source["api_url"],
        "name": source["name"],
        "kind": source["kind"],
    }
    if source["url"]:
        resource["sameAs"] = source["url"]
    body: dict[str, Any] = {
        "type": "SpecificResource",
        "purpose": "linking",
        "role": "source",
        "source": resource,
    }
    if source["locator"]:
        body["locator"] = source["locator"]
    if source["note"]:
        body["note"] = source["note"]
    return body


def _language(record: dict[str, Any]) -> str | None:
    language = (record["article"]["language"] or "").strip().lower()
    return language or None


def _target(record: dict[str, Any], language: str | None) -> dict[str, Any]:
    article, anchor, revision = record["article"], record["anchor"], record["revision"]
    source: dict[str, Any] = {"id": article["url"] or article["api_url"], "type": "Text"}
    if language:
        source["language"] = language
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": anchor["exact"]}
    if anchor["prefix"]:
        quote["prefix"] = anchor["prefix"]
    if anchor["suffix"]:
        quote["suffix"] = anchor["suffix"]
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            quote,
            {"type": "TextPositionSelector", "start": anchor["start"], "end": anchor["end"]},
        ],
        "state": {
            "type": "TimeState",
            "sourceDate": revision["created"],
            "cached": revision["url"],
        },
        "revision": revision["number"],
    }


def annotation(
    record: dict[str, Any], links: Links, *, with_context: bool = True
) -> dict[str, Any]:
    """The claim `record` (see `records`) as one W3C Annotation."""
    statement: dict[str, Any] = {
        "type": "TextualBody",
        "purpose": "describing",
        "role": "statement",
        "value": record["statement"],
        "format": "text/plain",
    }
    language = _language(record)
    if language:
        statement["language"] = language
    body = [
        statement,
        actor_body(record["claimant"], "claimant"),
        *[actor_body(actor, actor["role"]) for actor in record["actors"]],
        {
            "type": "TextualBody",
            "purpose": "classifying",
            "role": "certainty",
            "value": record["certainty"],
            "format": "text/plain",
        },
        *[source_body(source) for source in record["sources"]],
    ]
    author = record["author"]
    out: dict[str, Any] = {
        "id": record["url"],
        "type": "Annotation",
        "motivation": "describing",
        "created": record["created"],
        "modified": record["modified"],
        "creator": {"type": "Person", "name": author["name"], "nickname": author["username"]},
        "generator": {"id": links.site, "type": "Software", "name": "Claimdesk"},
        "body": body,
        "target": _target(record, language),
        "status": record["status"],
        "version": record["version"],
        "anchorState": record["anchor"]["state"],
        "project": record["project"],
    }
    if with_context:
        return {"@context": context(links), **out}
    return out


def linking_annotations(
    record: dict[str, Any], links: Links, *, with_context: bool = True
) -> list[dict[str, Any]]:
    """The relations that start from the claim `record` as linking Annotations."""
    out = []
    for relation in record.get("relations") or ():
        if relation["direction"] != "outgoing":
            continue  # written with the claim it starts from
        annotation = {
            "id": links.relation(record["id"], relation["id"]),
            "type": "Annotation",
            "motivation": "linking",
            "body": {
                "type": "TextualBody",
                "purpose": "classifying",
                "role": "relation",
                "value": relation["kind"],
                "format": "text/plain",
            },
            "target": [record["url"], relation["claim"]["url"]],
        }
        out.append({"@context": context(links), **annotation} if with_context else annotation)
    return out


# --------------------------------------------------------------------------- containers


class Container:
    """The IRIs of one container view: a collection and its numbered pages.

    `query` holds the filters (and `iris=1` when the pages list IRIs only); the
    collection IRI is the container IRI with that query, a page adds `page=N` (from 1).
    `base` is the container IRI: the site's `/api/v1/annotations/` unless another
    container (a project's) lists the claims.
    """

    def __init__(
        self,
        links: Links,
        query: dict[str, Any] | None = None,
        *,
        iris: bool = False,
        base: str | None = None,
    ):
        self.links = links
        self.base = base or links.annotations
        self.query = {key: value for key, value in sorted((query or {}).items()) if value}
        self.iris = iris
        if iris:
            self.query["iris"] = "1"

    def _url(self, extra: dict[str, Any] | None = None) -> str:
        params = {**self.query, **(extra or {})}
        query = urlencode(params, doseq=True)
        return self.base + (f"?{query}" if query else "")

    @property
    def id(self) -> str:
        return self._url()

    def page_id(self, number: int) -> str:
        return self._url({"page": number})

    def page_count(self, total: int, page_size: int) -> int:
        return max(1, -(-total // page_size))


def collection(
    container: Container,
    links: Links,
    *,
    total: int,
    page_size: int,
    label: str,
    modified: str | None = None,
    first: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The AnnotationCollection; `first` embeds the first page, else it is linked."""
    out: dict[str, Any] = {
        "@context": context(links),
        "id": container.id,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": label,
        "total": total,
    }
    if modified:
        out["modified"] = modified
    if total:
        out["first"] = first if first is not None else container.page_id(1)
        out["last"] = container.page_id(container.page_count(total, page_size))
    return out


def page(
    container: Container,
    links: Links,
    *,
    number: int,
    total: int,
    page_size: int,
    label: str,
    embedded: bool = False,
) -> dict[str, Any]:
    """An AnnotationPage without its `items` (added by the caller or the stream)."""
    pages = container.page_count(total, page_size)
    out: dict[str, Any] = {} if embedded else {"@context": context(links)}
    out.update({"id": container.page_id(number), "type": "AnnotationPage"})
    if not embedded:
        out["partOf"] = {"id": container.id, "label": label, "total": total}
    out["startIndex"] = (number - 1) * page_size
    if number > 1:
        out["prev"] = container.page_id(number - 1)
    if number < pages:
        out["next"] = container.page_id(number + 1)
    return out


# --------------------------------------------------------------------------- streaming


def _open(obj: dict[str, Any]) -> bytes:
    """`obj` as JSON without its closing brace, so that more keys can follow."""
    return orjson.dumps(obj)[:-1]


class _Encoder:
    """Annotations as JSON, each with the same `@context`, encoded once for a whole
    export rather than once an annotation (it is a good part of each)."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self.head = b'{"@context":' + orjson.dumps(context(links)) + b","

    def annotation(self, record: dict[str, Any]) -> bytes:
        """The same bytes as `orjson.dumps(annotation(record, links))`."""
        return self.head + orjson.dumps(annotation(record, self.links, with_context=False))[1:]

    def linking(self, record: dict[str, Any]) -> list[bytes]:
        """The claim's relations as encoded linking annotations (see `linking_annotations`)."""
        return [
            self.head + orjson.dumps(item)[1:]
            for item in linking_annotations(record, self.links, with_context=False)
        ]


def _page(page_head: dict[str, Any], items: Iterable[bytes]) -> bytes:
    """One AnnotationPage with its (encoded) items."""
    return _open(page_head) + b',"items":[' + b",".join(items) + b"]}"


def stream_export(
    records: Iterable[dict[str, Any]],
    links: Links,
    *,
    container: Container,
    total: int,
    label: str,
    page_size: int | None = None,
) -> Iterator[bytes]:
    """A whole container as one JSON-LD document: an array holding the collection and
    then every page, each a complete node with its own `@context`, written a page a
    piece.

    The IRIs are those of the live container (`/api/v1/annotations/`, or the project's
    when the export is of one project) with the same filters. `total` comes from a count
    made beforehand; the stream holds at most that many annotations, in pages of
    `page_size` (default `PAGE_SIZE`, as the container).

    After the pages come the relations of the exported claims, each a linking Annotation
    of its own in the array (the collection counts and pages the claims, as the live
    container does). They are kept, encoded, until the pages are written: a few hundred
    bytes a relation, and relations are far fewer than claims.
    """
    page_size = page_size or PAGE_SIZE
    yield b"[" + orjson.dumps(
        collection(container, links, total=total, page_size=page_size, label=label)
    )
    encoder = _Encoder(links)
    linking: list[bytes] = []
    records = iter(islice(records, total))
    for number in range(1, container.page_count(total, page_size) + 1 if total else 1):
        chunk = list(islice(records, page_size))
        if not chunk:
            break
        head = page(container, links, number=number, total=total, page_size=page_size, label=label)
        yield b",\n" + _page(head, map(encoder.annotation, chunk))
        for record in chunk:
            linking.extend(encoder.linking(record))
    for item in linking:
        yield b",\n" + item
    yield b"]\n"
