"""What the claim form's actor and source pickers need, on the reader and the edit page."""

from __future__ import annotations

from django.urls import reverse

from annotations.models import ActorKind
from annotations.services.actors import can_create_actor
from articles.models import SourceKind
from articles.sources import can_add_source


def picker_endpoints() -> dict[str, str]:
    """The API's actor and source collections (search with `?q=`, create with POST), and
    the claim picker's search (`annotations.views.relations.claim_pick`)."""
    return {
        "actors": reverse("v1:actor-list"),
        "sources": reverse("v1:source-list"),
        "claims": reverse("claim_pick"),
    }


def picker_context(user, *, suggest: str = "") -> dict:
    """What the claim form's pickers need: endpoints, and whether the user may create."""
    return {
        **picker_endpoints(),
        "suggest": suggest,
        "can_add_actor": can_create_actor(user),
        "can_add_source": can_add_source(user),
        "actor_kinds": ActorKind.choices,
        "source_kinds": SourceKind.choices,
    }
