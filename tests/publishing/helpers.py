"""Shared set-up of the publishing tests: a desk with an approved, rated claim."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from annotations.models import ActorKind, Claim
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from articles.models import SourceKind
from publishing.services import claim_publish
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, UserFactory, make_claim

ACCUSATION = "the Iranian state was behind the July cyberattacks"
DENIAL = "Tehran rejected the accusation as baseless"
EXPLANATION = "The joint investigation's findings support the attribution."


@dataclass
class Newsroom:
    researcher: object
    reviewer: object
    editor: object
    manager: object
    accusation: Claim
    denial: Claim


def approve(claim: Claim, *, author, reviewer, value: int | None = 4, label: str = "") -> Claim:
    claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
    return review_decide(
        user=reviewer,
        claim_id=claim.pk,
        version=claim.version,
        decision="approve",
        rating_value=value,
        rating_label=label,
    )


def newsroom() -> Newsroom:
    """Main desk's people (researcher rita, reviewer vera, editor edith, manager nora)
    and two approved, rated claims of one article: Rama's accusation, Tehran's denial."""
    researcher = UserFactory(username="rita", roles=["researcher"])
    reviewer = UserFactory(username="vera", roles=["reviewer"])
    editor = UserFactory(username="edith", roles=["editor"])
    manager = UserFactory(username="nora", roles=["manager"])
    outlet = SourceFactory(name="Foreign Policy", kind=SourceKind.OUTLET, url="https://fp.example/")
    article = ArticleFactory(
        title="Albania cuts ties with Iran over cyberattacks",
        url="https://news.example/albania-iran",
        outlet=outlet,
        published=dt.date(2022, 9, 7),
    )
    rama = ActorFactory(name="Edi Rama", kind=ActorKind.PERSON, wikidata_id="Q381397")
    iran = ActorFactory(name="Iran", kind=ActorKind.STATE, wikidata_id="Q794")
    accusation = make_claim(
        author=researcher,
        article=article,
        exact=ACCUSATION,
        statement="The Iranian state carried out the July cyberattacks on Albania.",
        claimant=rama,
        actors=[(iran, "accused")],
        sources=[(outlet, "paragraph 1")],
    )
    denial = make_claim(
        author=researcher,
        article=article,
        exact=DENIAL,
        statement="Iran denies carrying out the cyberattacks on Albania.",
        claimant=iran,
        certainty="denied",
        actors=[(iran, "denier")],
    )
    accusation = approve(accusation, author=researcher, reviewer=reviewer, value=4)
    denial = approve(denial, author=researcher, reviewer=reviewer, value=2)
    return Newsroom(researcher, reviewer, editor, manager, accusation, denial)


def publish(claim: Claim, user, explanation: str = EXPLANATION):
    claim.refresh_from_db()
    return claim_publish(
        user=user, claim_id=claim.pk, version=claim.version, explanation=explanation
    )
