"""`{% publishing_panel claim %}`: the claim page's publishing card (see
`publishing.editorial`)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from publishing.markup import CLAIM_REVIEWED_ADVISED
from publishing.models import Publication, PublicationState
from publishing.services import can_publish, can_unpublish

register = template.Library()


@register.inclusion_tag("publishing/_claim_panel.html", takes_context=True)
def publishing_panel(context, claim):
    user = context["request"].user
    publication = (
        Publication.objects.filter(claim_id=claim.pk)
        .only("state", "review_round", "published_at", "withdrawn_at", "explanation")
        .first()
    )
    published = publication is not None and publication.state == PublicationState.PUBLISHED
    return {
        "claim": claim,
        "csrf_token": context.get("csrf_token"),
        "publication": publication,
        "published": published,
        "withdrawn": publication is not None and not published,
        "under_review": published
        and (claim.status != "approved" or claim.review_round != publication.review_round),
        "public_url": reverse("public_review", args=[claim.pk]) if publication else None,
        "can_publish": can_publish(user, claim),
        "long_summary": len(claim.statement) > CLAIM_REVIEWED_ADVISED,
        "advised": CLAIM_REVIEWED_ADVISED,
        "can_unpublish": can_unpublish(user, claim, publication),
    }
