"""The Web Annotation Protocol's read side for the public: a desk's published reviews.

A desk's container (`/api/v1/projects/{id}/annotations/`) answers anyone who is not
its member with the desk's current published reviews, and an annotation
(`/api/v1/annotations/{id}`) answers anyone who may not read the claim with its
published review, if it has one. Both are built from the frozen public content
(`publishing.content`), never from the claim: the annotation's `creator` is the
publisher, its bodies the statement, the people and bodies the claim names with their
roles, the certainty, the verdict (`assessing`) and the sources with their locators;
its target the article with the quote and its position. No note, no review, no
workflow state and no person of the desk.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from annotations.exports import webannotation
from annotations.exports.records import Links
from annotations.isotext import iso
from projects.models import Project
from publishing import selectors
from publishing.models import Publication


def _text(value: str, role: str, purpose: str, language: str | None) -> dict[str, Any]:
    body = {
        "type": "TextualBody",
        "purpose": purpose,
        "role": role,
        "value": value,
        "format": "text/plain",
    }
    if language:
        body["language"] = language
    return body


def _actor(actor: dict[str, Any], role: str, links: Links) -> dict[str, Any]:
    return webannotation.actor_body(
        {**actor, "url": links.actor(actor["id"]), "wikidata_id": actor.get("wikidata_id")}, role
    )


def _source(source: dict[str, Any], links: Links) -> dict[str, Any]:
    """A cited source as the members' annotations give it, without its note (private)."""
    return webannotation.source_body(
        {
            **source,
            "api_url": links.source(source["id"]),
            "url": source.get("url"),
            "locator": source.get("locator"),
            "note": None,
        }
    )


def public_annotation(
    publication: Publication, links: Links, *, page_url: str, with_context: bool = True
) -> dict[str, Any]:
    """A published review as one W3C Annotation (`page_url`: its public page)."""
    content = publication.content
    article, quote = content["article"], content["quote"]
    language = (article.get("language") or "").strip().lower() or None
    selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": quote["exact"]}
    if quote["prefix"]:
        selector["prefix"] = quote["prefix"]
    if quote["suffix"]:
        selector["suffix"] = quote["suffix"]
    source: dict[str, Any] = {"id": article["url"] or links.article(article["id"]), "type": "Text"}
    if language:
        source["language"] = language
    out: dict[str, Any] = {
        "id": links.annotation(publication.claim_id),
        "type": "Annotation",
        "motivation": "describing",
        "created": iso(publication.first_published),
        "modified": iso(publication.modified),
        "creator": {
            "type": "Organization",
            "name": content["publisher"]["name"],
            **({"homepage": content["publisher"]["url"]} if content["publisher"]["url"] else {}),
        },
        "generator": {"id": links.site, "type": "Software", "name": "Claimdesk"},
        "body": [
            _text(content["statement"], "statement", "describing", language),
            _actor(content["claimant"], "claimant", links),
            *[_actor(actor, actor["role"], links) for actor in content["actors"]],
            _text(content["certainty"], "certainty", "classifying", None),
            _text(content["rating"]["label"], "verdict", "assessing", None),
            *[_source(s, links) for s in content["sources"]],
            {"id": page_url, "type": "Text", "format": "text/html", "role": "fact_check"},
        ],
        "target": {
            "type": "SpecificResource",
            "source": source,
            "selector": [
                selector,
                {"type": "TextPositionSelector", "start": quote["start"], "end": quote["end"]},
            ],
        },
        "project": content["desk"]["slug"],
    }
    if with_context:
        return {"@context": webannotation.context(links), **out}
    return out


def public_container(view, request, project: Project, links: Links, page_url) -> Any:
    """The desk's container of its current published reviews, as the members' one pages
    (`?page=N`, `iris=1`, `Prefer`), answered through the view's `jsonld`."""
    from annotations.api.views.annotations import ContainerAsked, container_answer

    asked = ContainerAsked.read(request)
    reviews = selectors.desk_reviews(project.pk, current_only=True).order_by("claim_id")
    container = webannotation.Container(
        links, {}, iris=asked.iris, base=links.project_annotations(project.pk)
    )

    def items(number: int, page_size: int) -> list:
        start = (number - 1) * page_size
        chosen = list(reviews[start : start + page_size])
        if asked.iris:
            return [links.annotation(p.claim_id) for p in chosen]
        return [public_annotation(p, links, page_url=page_url(p.claim_id)) for p in chosen]

    return container_answer(
        view,
        request,
        asked,
        container,
        links,
        total=reviews.count(),
        modified=reviews.aggregate(modified=Max("modified"))["modified"],
        label=f"Published fact checks of {project.name}",
        items=items,
    )
