"""A desk's publishing settings as one value: publisher, page addresses, rating scale.

Every place that writes a ClaimReview (the public pages, the feeds, the `claimreview`
export) asks `desk_settings` so that a desk's reviews read alike wherever they are
found. A desk without a `DeskPublishing` row uses the site's settings: the publisher of
`CLAIMREVIEW_PUBLISHER` (else the site), Claimdesk's public pages, and the documented
scale `SITE_SCALE`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from publishing.models import DeskPublishing

WORST_RATING, BEST_RATING = 1, 5
# The site's scale: the number a reviewer gives, and the verdict readers see for it.
SITE_SCALE: dict[int, str] = {
    1: "False",
    2: "Mostly false",
    3: "Mixed",
    4: "Mostly true",
    5: "True",
}


def site_url() -> str:
    """`SITE_URL` without a trailing slash, or "" when it is not set."""
    return (getattr(settings, "SITE_URL", "") or "").rstrip("/")


def site_publisher() -> dict[str, str]:
    """`CLAIMREVIEW_PUBLISHER` ({"name", "url"}), each part possibly empty."""
    configured = getattr(settings, "CLAIMREVIEW_PUBLISHER", None) or {}
    return {"name": configured.get("name") or "", "url": configured.get("url") or ""}


@dataclass(frozen=True)
class DeskSettings:
    project_id: int | None
    publisher_name: str
    publisher_url: str  # "" : the site's root, known once an address is made
    url_template: str
    scale: dict[int, str]
    # What the desk's own settings name (empty when it names no publisher of its own).
    own_publisher_name: str = ""
    own_publisher_url: str = ""

    def label(self, value: int | None, label: str = "") -> str:
        """The verdict for a rating: the scale's label of its number, so that the words
        and the number never disagree; a rating without a number keeps its own words."""
        if value is not None and value in self.scale:
            return self.scale[value]
        return label

    def review_url(self, *, claim_id: int, slug: str, public_url: str | None) -> str | None:
        """Where the review of a claim is read: the desk's own page when it sets a
        template, else Claimdesk's public page (None when there is none)."""
        if self.url_template:
            return self.url_template.replace("{id}", str(claim_id)).replace("{project}", slug)
        return public_url


def _scale(labels) -> dict[int, str]:
    if (
        isinstance(labels, list)
        and len(labels) == BEST_RATING
        and all(isinstance(label, str) and label.strip() for label in labels)
    ):
        return {number: label.strip() for number, label in enumerate(labels, start=WORST_RATING)}
    return dict(SITE_SCALE)


def _settings(project_id: int | None, row: DeskPublishing | None) -> DeskSettings:
    publisher = site_publisher()
    return DeskSettings(
        project_id=project_id,
        publisher_name=(row.publisher_name if row else "") or publisher["name"] or "Claimdesk",
        publisher_url=(row.publisher_url if row else "") or publisher["url"],
        url_template=row.url_template if row else "",
        scale=_scale(row.rating_labels if row else None),
        own_publisher_name=row.publisher_name if row else "",
        own_publisher_url=row.publisher_url if row else "",
    )


def desk_settings(project_id: int | None) -> DeskSettings:
    """One desk's settings (one query)."""
    row = DeskPublishing.objects.filter(project_id=project_id).first() if project_id else None
    return _settings(project_id, row)


def desks_settings(project_ids: Iterable[int]) -> dict[int, DeskSettings]:
    """Several desks' settings, by project id, with one query."""
    ids = set(project_ids)
    rows = {row.project_id: row for row in DeskPublishing.objects.filter(project_id__in=ids)}
    return {pk: _settings(pk, rows.get(pk)) for pk in ids}
