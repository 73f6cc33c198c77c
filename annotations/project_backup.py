"""Which rows a backup of one project holds (`manage.py backup FILE --project SLUG`).

A desk's backup must restore on its own into an empty database, and must hold nothing
of another desk. So it keeps:

- the project, its memberships and its events;
- its articles and their revisions; its claims with their actor and source links, their
  reviews, and the relations between two of its claims (a relation to another desk's
  claim could not be restored without that claim, and would disclose it);
- the audit trail of its claims, and of its drafts that were deleted (the `deleted`
  event names the article: such events go with that article's project);
- the publications of its claims' reviews and its publishing settings;
- what its researchers did with the suggestions (shown, dismissed, accepted);
- what those rows point to and that belongs to no desk: the users they name (members,
  authors, reviewers, whoever an event records; with their natural keys, as in a full
  backup), the role groups, and the shared registry of actors, aliases and sources
  (every desk picks from the one registry, so the restored desk gets it whole).

Every model of a backup must be scoped here: a model added later fails the backup of a
project (`UnscopedModel`) until this module says which of its rows a desk owns, rather
than leaking or dropping them silently.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import IntegerField, Model, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from annotations.models import (
    Actor,
    ActorAlias,
    Claim,
    ClaimActor,
    ClaimEvent,
    ClaimRelation,
    ClaimSource,
    EventKind,
    Review,
)
from articles.models import Article, ArticleRevision, Source
from projects.models import Membership, Project, ProjectEvent
from publishing.models import DeskPublishing, Publication

# Rows that belong to no desk: a project's backup holds all of them.
SHARED = (Group, Source, Actor, ActorAlias)


class UnscopedModel(Exception):
    """A model of the backup that this module does not know how to limit to a project."""


def project_scope(project: Project, database: str) -> Callable[[type[Model]], QuerySet]:
    """For each model of a backup, the queryset of the rows a backup of `project` keeps.

    The querysets are lazy: read them inside the backup's transaction, so that the
    project's rows and the users they name come from one snapshot.
    """

    def rows(model: type[Model]) -> QuerySet:
        return model._base_manager.using(database)

    # Looked up by name: the suggestions app builds on annotations, not the reverse.
    outcomes = apps.get_model("suggestions", "SuggestionOutcome")
    articles = rows(Article).filter(project=project)
    claims = rows(Claim).filter(project=project)
    claim_ids = claims.values("pk")
    deleted_drafts = (
        rows(ClaimEvent)
        .filter(kind=EventKind.DELETED)
        .annotate(article_id=Cast(KeyTextTransform("article", "data"), IntegerField()))
        .filter(article_id__in=articles.values("pk"))
        .values("claim_id")
    )
    scoped: dict[type[Model], QuerySet] = {
        Project: rows(Project).filter(pk=project.pk),
        Membership: rows(Membership).filter(project=project),
        ProjectEvent: rows(ProjectEvent).filter(project=project),
        Article: articles,
        ArticleRevision: rows(ArticleRevision).filter(article__project=project),
        Claim: claims,
        ClaimActor: rows(ClaimActor).filter(claim__project=project),
        ClaimSource: rows(ClaimSource).filter(claim__project=project),
        Review: rows(Review).filter(claim__project=project),
        ClaimRelation: rows(ClaimRelation).filter(
            from_claim__project=project, to_claim__project=project
        ),
        ClaimEvent: rows(ClaimEvent).filter(
            Q(claim_id__in=claim_ids) | Q(claim_id__in=deleted_drafts)
        ),
        Publication: rows(Publication).filter(claim__project=project),
        DeskPublishing: rows(DeskPublishing).filter(project=project),
        outcomes: rows(outcomes).filter(project=project),
    }
    for model in SHARED:
        scoped[model] = rows(model)
    user_model = get_user_model()
    scoped[user_model] = rows(user_model).filter(_users_named_by(scoped, user_model))

    def scope(model: type[Model]) -> QuerySet:
        try:
            return scoped[model]
        except KeyError:
            raise UnscopedModel(
                f"A backup of one project does not know which rows of "
                f"{model._meta.label} belong to a project."
            ) from None

    return scope


def _users_named_by(scoped: dict[type[Model], QuerySet], user_model) -> Q:
    """The users that any kept row points to, found from the models' own foreign keys so
    that a new reference to a user is kept without a change here."""
    named = Q(pk__in=[])
    for model, queryset in scoped.items():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                named |= Q(pk__in=queryset.values(field.attname))
    return named
