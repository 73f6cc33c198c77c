"""Test data for the API and the exports: the running example, and many claims fast.

`build_desk` makes the Albanian cyberattack desk through the services (so claims carry
real anchors, events and reviews). `bulk_approved` writes many approved claims straight
to the database with `bulk_create`, for query counts and streaming tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from annotations import actor_counts
from annotations.models import (
    Actor,
    ActorKind,
    ActorRole,
    Certainty,
    Claim,
    ClaimActor,
    ClaimSource,
    ClaimStatus,
    Decision,
    Review,
)
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from articles.models import Article, Source, SourceKind
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, make_claim

ACCUSATION = "the Iranian state was behind the July cyberattacks"
DENIAL = "Tehran rejected the accusation as baseless"
SANCTIONS = "Washington announced sanctions on Iran's Ministry of Intelligence"


@dataclass
class Desk:
    article: Article
    outlet: Source
    report: Source
    iran: Actor
    ministry: Actor
    united_states: Actor
    albania: Actor
    rama: Actor
    claims: dict[str, Claim] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Claim:
        claim = self.claims[name]
        claim.refresh_from_db()
        return claim


def submit(claim: Claim, author) -> Claim:
    return claim_submit(user=author, claim_id=claim.pk, version=claim.version)


def approve(claim: Claim, author, reviewer, **review) -> Claim:
    claim = submit(claim, author)
    return review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve", **review
    )


def build_desk(*, researcher, other_researcher, reviewer, second_reviewer, editor) -> Desk:
    outlet = SourceFactory(name="Foreign Policy", kind=SourceKind.OUTLET, url="https://fp.example/")
    report = SourceFactory(name="Joint investigation report", kind=SourceKind.INVESTIGATION, url="")
    article = ArticleFactory(
        title="Albania cuts ties with Iran over cyberattacks",
        url="https://news.example/albania-iran",
        outlet=outlet,
        published=dt.date(2022, 9, 7),
    )
    iran = ActorFactory(name="Iran", kind=ActorKind.STATE, wikidata_id="Q794")
    iran.aliases.create(name="Tehran")
    iran.aliases.create(name="the Iranian state")
    desk = Desk(
        article=article,
        outlet=outlet,
        report=report,
        iran=iran,
        ministry=ActorFactory(
            name="Iran's Ministry of Intelligence", kind=ActorKind.ORGANISATION, parent=iran
        ),
        united_states=ActorFactory(name="United States", kind=ActorKind.STATE),
        albania=ActorFactory(name="Albania", kind=ActorKind.STATE),
        rama=ActorFactory(name="Edi Rama", kind=ActorKind.PERSON, wikidata_id="Q167446"),
    )
    desk.albania.aliases.create(name="Tiranë")

    def claim(author, exact=ACCUSATION, **kwargs) -> Claim:
        return make_claim(author=author, article=article, exact=exact, **kwargs)

    accusation = dict(
        claimant=desk.rama,
        actors=[(desk.iran, ActorRole.ACCUSED), (desk.albania, ActorRole.TARGET)],
        sources=[(outlet, "paragraph 1"), (report, "")],
    )
    desk.claims["draft"] = claim(researcher, **accusation)
    desk.claims["other_draft"] = claim(other_researcher, **accusation)
    desk.claims["submitted"] = submit(
        claim(
            researcher,
            exact=DENIAL,
            statement="Iran denies carrying out the cyberattacks on Albania.",
            claimant=desk.iran,
            actors=[(desk.albania, ActorRole.TARGET), (desk.iran, ActorRole.DENIER)],
            certainty=Certainty.DENIED,
        ),
        researcher,
    )
    desk.claims["approved"] = approve(
        claim(researcher, **accusation),
        researcher,
        reviewer,
        rating_value=2,
        rating_label="Unproven",
        comment="Only the prime minister's word so far.",
    )
    desk.claims["sanctions"] = approve(
        claim(
            other_researcher,
            exact=SANCTIONS,
            statement="The United States sanctioned Iran's Ministry of Intelligence.",
            claimant=desk.united_states,
            actors=[(desk.ministry, ActorRole.ACCUSED)],
            sources=[(outlet, "paragraph 3")],
            certainty=Certainty.CONFIRMED,
        ),
        other_researcher,
        second_reviewer,
    )
    changes = submit(claim(researcher, **accusation), researcher)
    desk.claims["changes_requested"] = review_decide(
        user=reviewer,
        claim_id=changes.pk,
        version=changes.version,
        decision="request_changes",
        comment="Name the investigators.",
    )
    rejected = submit(claim(other_researcher, **accusation), other_researcher)
    desk.claims["rejected"] = review_decide(
        user=reviewer,
        claim_id=rejected.pk,
        version=rejected.version,
        decision="reject",
        reason="unsupported",
        comment="No source says so.",
    )
    return desk


def bulk_approved(
    count: int,
    *,
    article: Article,
    author,
    reviewer,
    claimant: Actor,
    actors: list[tuple[Actor, str]] = (),
    sources: list[tuple[Source, str]] = (),
    rating: tuple[int | None, str] | None = (4, "Mostly true"),
    statement: str = '=HYPERLINK("http://evil.example") the Iranian state did it',
) -> list[int]:
    """`count` approved claims on the article's first sentence, with links and one rated
    approval each, written with bulk_create. Returns their ids."""
    revision = article.revisions.order_by("-number").first()
    exact = ACCUSATION
    start = revision.text.index(exact)
    submitted = timezone.now() - dt.timedelta(hours=1)
    claims = Claim.objects.bulk_create(
        Claim(
            article=article,
            project_id=article.project_id,
            revision=revision,
            start=start,
            end=start + len(exact),
            exact=exact,
            prefix=revision.text[max(0, start - 32) : start],
            suffix=revision.text[start + len(exact) : start + len(exact) + 32],
            statement=f"{statement} ({index})",
            claimant=claimant,
            certainty=Certainty.ALLEGED,
            status=ClaimStatus.APPROVED,
            version=3,
            author=author,
            submitted_at=submitted,
            review_round=1,
            reviewed_at=timezone.now(),
        )
        for index in range(count)
    )
    ClaimActor.objects.bulk_create(
        ClaimActor(claim=claim, actor=actor, role=role)
        for claim in claims
        for actor, role in actors
    )
    ClaimSource.objects.bulk_create(
        ClaimSource(claim=claim, source=source, locator=locator)
        for claim in claims
        for source, locator in sources
    )
    value, label = rating if rating is not None else (None, "")
    Review.objects.bulk_create(
        Review(
            claim=claim,
            claim_version=2,
            review_round=1,
            reviewer=reviewer,
            decision=Decision.APPROVE,
            rating_value=value,
            rating_label=label,
            comment="Checked against the report.",
            quote_checked=True,
            claimant_checked=True,
            sources_checked=True,
        )
        for claim in claims
    )
    return [claim.pk for claim in claims]


def clone_claims(template: Claim, count: int) -> None:
    """`count` copies of the template claim with its actors, sources and reviews, each
    written by one INSERT … SELECT: the database makes the rows, in well under a second
    for tens of thousands (both on SQLite and on PostgreSQL)."""
    quote = connection.ops.quote_name

    def columns(model, skip=("id",)) -> list[str]:
        return [
            f.column
            for f in model._meta.concrete_fields
            if f.column not in skip and not f.primary_key
        ]

    last = Claim.objects.order_by("-id").values_list("id", flat=True).first()
    claim_columns = ", ".join(quote(c) for c in columns(Claim))
    # A bulk load, as the benchmark's generator makes one: the kept actor counts are
    # made once at the end rather than by a trigger per row, whose updates of the same
    # few count rows in one transaction grow with every copy.
    with actor_counts.counted_afterwards(connection), connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
            f"INSERT INTO {quote(Claim._meta.db_table)} ({claim_columns}) "
            f"SELECT {', '.join('t.' + quote(c) for c in columns(Claim))} "
            f"FROM seq, {quote(Claim._meta.db_table)} t WHERE t.{quote('id')} = %s",
            [count, template.pk],
        )
        for model in (ClaimActor, ClaimSource, Review):
            link_columns = columns(model, skip=("id", "claim_id"))
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} "
                f"({quote('claim_id')}, {', '.join(quote(c) for c in link_columns)}) "
                f"SELECT c.{quote('id')}, {', '.join('l.' + quote(c) for c in link_columns)} "
                f"FROM {quote(Claim._meta.db_table)} c, {quote(model._meta.db_table)} l "
                f"WHERE c.{quote('id')} > %s AND l.{quote('claim_id')} = %s",
                [last, template.pk],
            )
