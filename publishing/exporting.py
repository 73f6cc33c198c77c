"""What the `claimreview` export asks of publishing, a piece of claims at a time.

For every `ITEMS_A_PIECE` claims of the export, one query for their publications and
three for where each first appeared (`publishing.appearances`); the desks' settings are
read once an export. The export then points a review's `url` at the desk's own page
(its URL template) or at Claimdesk's public page when the review is published, names
the desk's publisher, and words the verdict by the desk's scale.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from publishing.appearances import first_appearances
from publishing.desks import DeskSettings, desk_settings, desks_settings
from publishing.models import DeskPublishing, Publication, PublicationState


@dataclass(frozen=True)
class PieceFacts:
    public_paths: dict[int, str]  # claim id -> its public page's path, while published
    first_appearances: dict[int, dict[str, Any]]


class ExportDesks:
    """The desks' publishing settings by slug, read once; a desk without settings has
    the site's."""

    def __init__(self) -> None:
        rows = DeskPublishing.objects.values_list("project__slug", "project_id")
        by_id = desks_settings([pk for _, pk in rows])
        self.by_slug: dict[str, DeskSettings] = {slug: by_id[pk] for slug, pk in rows}
        self.site = desk_settings(None)

    def __call__(self, slug: str | None) -> DeskSettings:
        return self.by_slug.get(slug or "", self.site)


def piece_facts(
    claim_ids: Collection[int], own_articles: dict[int, dict[str, Any]] | None = None
) -> PieceFacts:
    published = Publication.objects.filter(
        claim_id__in=claim_ids, state=PublicationState.PUBLISHED
    ).values_list("claim_id", flat=True)
    return PieceFacts(
        public_paths={pk: reverse("public_review", args=[pk]) for pk in published},
        first_appearances=first_appearances(claim_ids, own_articles),
    )
