"""The claims of one actor (with or without its parts) or of one source, as a user may
see them: what the actor and source pages list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from annotations.models import ActorRole, Certainty, Claim, ClaimActor, ClaimSource, ClaimStatus
from annotations.selectors.claims import claims_visible_to
from articles.models import Source


def _claim_rows(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """What a row in a list of claims shows, without the article's text."""
    return (
        queryset.select_related("claimant", "article")
        .defer("article__text", "article__raw", "prefix", "suffix", "note")
        .prefetch_related(
            Prefetch(
                "actor_links",
                queryset=ClaimActor.objects.select_related("actor").only(
                    "id", "claim_id", "role", "actor__id", "actor__name"
                ),
            )
        )
        .order_by("-created", "-pk")
    )


@dataclass
class ActorClaims:
    """The claims of one actor (or of it and its descendants), as `user` may see them.

    `made`, `about` and `denials` are querysets ready to paginate; the rest is computed
    by one aggregate query each.
    """

    actor_ids: list[int]
    made: QuerySet[Claim]
    about: QuerySet[Claim]
    denials: QuerySet[Claim]
    status_counts: dict[str, int]
    role_counts: dict[str, int]
    accusations: list[dict]
    total: int

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in workflow order, statuses with claims only."""
        return [
            (value, label, self.status_counts[value])
            for value, label in ClaimStatus.choices
            if self.status_counts.get(value)
        ]

    @property
    def role_rows(self) -> list[tuple[str, str, int]]:
        """(role, label, count): claimant first, then each role of ActorRole."""
        labels = {"claimant": "Claimant", **dict(ActorRole.choices)}
        return [(role, labels[role], count) for role, count in self.role_counts.items()]


def _ids_of_either(*queries: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claim ids matching any of `queries`, as one union: each part is answered by its
    own index (the claimant's, the actor links'), where a filter `claimant = A OR a link
    to A exists` made the database read every claim of the desk."""
    first, *rest = (query.order_by().values("pk") for query in queries)
    return first.union(*rest)


def actor_claims(*, user, actor_ids: list[int]) -> ActorClaims:
    visible = claims_visible_to(user)
    as_claimant = Claim.objects.filter(claimant_id__in=actor_ids)
    as_linked = Claim.objects.filter(actor_links__actor_id__in=actor_ids)
    involved = visible.filter(pk__in=_ids_of_either(as_claimant, as_linked))
    denials = visible.filter(
        pk__in=_ids_of_either(
            as_claimant.filter(certainty=Certainty.DENIED),
            Claim.objects.filter(
                actor_links__actor_id__in=actor_ids, actor_links__role=ActorRole.DENIER
            ),
        )
    )

    status_counts = dict(involved.order_by().values_list("status").annotate(n=Count("pk")))
    role_counts = dict(
        ClaimActor.objects.filter(actor_id__in=actor_ids, claim__in=visible)
        .order_by()
        .values_list("role")
        .annotate(n=Count("claim_id", distinct=True))
    )
    role_counts = {
        "claimant": visible.filter(claimant_id__in=actor_ids).count(),
        **{role: role_counts.get(role, 0) for role in ActorRole.values},
    }
    accusations = list(
        ClaimActor.objects.filter(role=ActorRole.ACCUSED, claim__in=involved)
        .order_by()
        .values(
            "claim__claimant_id",
            "claim__claimant__name",
            "actor_id",
            "actor__name",
        )
        .annotate(
            claims=Count("claim_id", distinct=True),
            verified=Count("claim_id", distinct=True, filter=Q(claim__status=ClaimStatus.APPROVED)),
            unreviewed=Count(
                "claim_id",
                distinct=True,
                filter=~Q(claim__status__in=[ClaimStatus.APPROVED, ClaimStatus.REJECTED]),
            ),
        )
        .order_by("-verified", "-claims", "claim__claimant__name", "actor__name")
    )
    return ActorClaims(
        actor_ids=actor_ids,
        made=_claim_rows(visible.filter(claimant_id__in=actor_ids)),
        about=_claim_rows(visible.filter(pk__in=_ids_of_either(as_linked))),
        denials=_claim_rows(denials),
        status_counts=status_counts,
        role_counts=role_counts,
        accusations=[
            {
                "claimant_id": row["claim__claimant_id"],
                "claimant": row["claim__claimant__name"],
                "accused_id": row["actor_id"],
                "accused": row["actor__name"],
                "claims": row["claims"],
                # Approved claims: verified attributions. Drafts and claims under review
                # are counted apart; rejected ones only in `claims`.
                "verified": row["verified"],
                "unreviewed": row["unreviewed"],
            }
            for row in accusations
        ],
        total=sum(status_counts.values()),
    )


def source_claims(*, user, source: Source) -> QuerySet[Claim]:
    """Claims `user` may see that cite `source`, each with `citations`: its links to it."""
    cites = ClaimSource.objects.filter(claim=OuterRef("pk"), source=source)
    return _claim_rows(claims_visible_to(user).filter(Exists(cites))).prefetch_related(
        Prefetch(
            "source_links",
            queryset=ClaimSource.objects.filter(source=source).order_by("pk"),
            to_attr="citations",
        )
    )
