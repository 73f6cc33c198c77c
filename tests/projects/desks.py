"""Work in one project, built through the services, for the isolation tests.

Each desk has an article with claims in every workflow state, one claim whose passage a
revision removed (orphaned), and links to actors and sources of the shared registry, so
that every page and endpoint has something of that desk to find or to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotations.models import (
    Actor,
    ActorRole,
    Claim,
    ClaimActor,
    ClaimEvent,
    ClaimSource,
    Review,
)
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from annotations.services.revisions import article_revise
from articles.models import Article, ArticleRevision, Source
from projects.models import Project
from tests.factories import ARTICLE_TEXT, ArticleFactory, make_claim

ACCUSATION = "the Iranian state was behind the July cyberattacks"
DENIAL = "Tehran rejected the accusation as baseless"
SANCTIONS = "Washington announced sanctions on Iran's Ministry of Intelligence"


@dataclass
class Registry:
    """Actors and sources every desk cites: the registry is shared."""

    claimant: Actor
    accused: Actor
    outlet: Source
    report: Source


@dataclass
class Desk:
    project: Project
    article: Article
    claims: dict[str, Claim] = field(default_factory=dict)

    def claim(self, name: str) -> Claim:
        claim = self.claims[name]
        claim.refresh_from_db()
        return claim

    def ids(self) -> set[int]:
        return set(Claim.objects.filter(project=self.project).values_list("pk", flat=True))


def submit(claim: Claim, author) -> Claim:
    return claim_submit(user=author, claim_id=claim.pk, version=claim.version)


def decide(claim: Claim, reviewer, decision: str, **extra) -> Claim:
    return review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision=decision, **extra
    )


def build_desk(project: Project, *, author, reviewer, registry: Registry, title: str) -> Desk:
    """An article of `project` with a claim in each state, written by `author` and decided
    by `reviewer` (both members of `project` with those roles)."""
    article = ArticleFactory(
        project=project, title=title, text=f"{ARTICLE_TEXT}\n\n{title}.", outlet=registry.outlet
    )
    desk = Desk(project=project, article=article)
    links = {
        "claimant": registry.claimant,
        "actors": [(registry.accused, ActorRole.ACCUSED)],
        "sources": [(registry.report, "p. 1")],
    }

    def claim(exact=ACCUSATION, **kwargs) -> Claim:
        return make_claim(author=author, article=article, exact=exact, **{**links, **kwargs})

    # Its passage goes in the revision below: orphaned, and waiting for review.
    desk.claims["orphaned"] = submit(claim(exact=SANCTIONS), author)
    text = article.revisions.order_by("-number").first().text
    article_revise(
        user=author,
        article_id=article.pk,
        text=text.replace(SANCTIONS, "Another capital said nothing"),
        note="Correction",
        expected_revision=1,
    )
    article.refresh_from_db()
    desk.claims["draft"] = claim()
    desk.claims["submitted"] = submit(claim(exact=DENIAL), author)
    desk.claims["approved"] = decide(submit(claim(), author), reviewer, "approve")
    desk.claims["changes_requested"] = decide(
        submit(claim(), author), reviewer, "request_changes", comment="Name the source."
    )
    desk.claims["rejected"] = decide(
        submit(claim(), author), reviewer, "reject", reason="unsupported", comment="Unsupported."
    )
    return desk


def snapshot() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "claims": sorted(
            Claim.objects.values_list(
                "pk",
                "status",
                "version",
                "anchor_state",
                "revision_id",
                "start",
                "end",
                "statement",
                "project_id",
            )
        ),
        "articles": sorted(Article.objects.values_list("pk", "title", "text", "project_id")),
        "revisions": ArticleRevision.objects.count(),
        "events": ClaimEvent.objects.count(),
        "reviews": Review.objects.count(),
        "actor_links": ClaimActor.objects.count(),
        "source_links": ClaimSource.objects.count(),
    }
