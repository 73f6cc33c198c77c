"""What a public page may show of a claim, read once when it is published.

`public_content` is the only reader of a claim for the public side: the public pages,
the feeds and the anonymous annotation container show what it returned, frozen in
`Publication.content`. It names every field it takes, so that a private field (the
claim's note, the notes of its sources, review comments and reasons, the people of the
desk, other claims) can never slip through a `select *`: nothing here reads them.
"""

from __future__ import annotations

from typing import Any

from annotations.models import Claim
from publishing.appearances import first_appearances
from publishing.desks import DeskSettings


def public_content(
    claim: Claim, *, rating_value: int | None, rating_label: str, desk: DeskSettings
) -> dict[str, Any]:
    """The published fields of `claim` with the verdict the desk's scale gives it."""
    claim = (
        Claim.objects.select_related("article__outlet", "claimant", "project", "revision")
        .only(
            "id",
            "statement",
            "certainty",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "claimant__name",
            "claimant__kind",
            "claimant__wikidata_id",
            "article__title",
            "article__url",
            "article__published",
            "article__language",
            "article__outlet__name",
            "project__slug",
            "project__name",
            "revision__number",
            "revision__created",
        )
        .get(pk=claim.pk)
    )
    article = claim.article
    actors = [
        {
            "id": link.actor_id,
            "name": link.actor.name,
            "kind": link.actor.kind,
            "wikidata_id": link.actor.wikidata_id or None,
            "role": link.role,
        }
        for link in claim.actor_links.select_related("actor").order_by("id")
    ]
    sources = [
        {
            "id": link.source_id,
            "name": link.source.name,
            "kind": link.source.kind,
            "url": link.source.url or None,
            "locator": link.locator,
        }
        for link in claim.source_links.select_related("source").order_by("id")
    ]
    return {
        "statement": claim.statement,
        "certainty": claim.certainty,
        "claimant": {
            "id": claim.claimant_id,
            "name": claim.claimant.name,
            "kind": claim.claimant.kind,
            "wikidata_id": claim.claimant.wikidata_id or None,
        },
        "actors": actors,
        "sources": sources,
        "quote": {
            "exact": claim.exact,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
            "start": claim.start,
            "end": claim.end,
        },
        "article": {
            "id": article.pk,
            "title": article.title,
            "url": article.url or None,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "outlet": article.outlet.name if article.outlet else None,
        },
        "first_appearance": first_appearances([claim.pk]).get(claim.pk),
        "rating": {
            "value": rating_value,
            "label": desk.label(rating_value, rating_label),
        },
        "desk": {"slug": claim.project.slug, "name": claim.project.name},
        "publisher": {"name": desk.publisher_name, "url": desk.publisher_url},
    }
