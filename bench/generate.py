"""A synthetic but realistic Claimdesk dataset, generated into the benchmark's database.

    .venv/bin/python bench/generate.py --size small|large [--seed 1] [--force]

What a dataset holds (`SPECS` gives the numbers of each size):
- users: researchers who write claims, reviewers who decide, an editor, and two
  accounts the benchmark acts as (`bench-reader`, a researcher who wrote nothing, and
  `bench-reviewer`, a reviewer who reviewed nothing);
- actors (people, organisations, states, groups), about half with an alias, some with a
  Wikidata id or a parent; sources of every kind; outlets;
- articles of about `article_chars` characters of news-like prose that names the actors
  (by name or alias) in paragraphs separated by a blank line; one in ten has two
  revisions, and claims anchor to the current one;
- `claims_per_article` claims per article, each on a sentence or a clause of one
  (so some overlap), with a valid anchor (`text[start:end] == exact`, prefix and suffix
  as `annotations.anchoring.selection.anchor_from_selection` computes them), a claimant,
  two or three further actors with roles, one or two cited sources, and one or two reviews;
- one actor named far more than the others, as a desk's Iran is: Iran is accused in
  `DOMINANT_SHARE` of the claims besides their other actors (its page, the one a
  fact-checker opens most, is measured on that);
- one long "hot" article with `hot_claims` claims, all awaiting review and submitted
  before any other, which the reader and the review queue are measured on;
- the audit trail: the events each claim's history implies (created, submitted,
  every decision, edits between review rounds).

Statuses are mixed and each claim's history is one the workflow allows: approved and
rejected claims carry the deciding review (sometimes after a round of requested
changes); claims whose changes were requested carry that request; claims awaiting
review were sent back once before (changes requested, or an approval followed by an
edit). Since every claim has at least one review, there are no drafts: a draft has never
been reviewed. (The load test adds drafts.) Some approvals carry a rating, for the
ClaimReview export.

Generation is deterministic for a seed, written with `bulk_create` in batches, one
transaction per chunk of articles, and recorded in a small `bench_dataset` table so
that `bench/run.py` reuses a dataset while the size, the seed and `GENERATOR_VERSION`
are unchanged.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GENERATOR_VERSION = 5
DATASET_TABLE = "bench_dataset"
BATCH_SIZE = 2000
ARTICLES_PER_CHUNK = 50
PASSWORD = "bench-password-not-secret"


@dataclass(frozen=True)
class Spec:
    articles: int
    claims_per_article: int
    article_chars: int
    actors: int
    sources: int
    outlets: int
    researchers: int
    reviewers: int
    hot_claims: int
    hot_chars: int


SPECS = {
    "small": Spec(
        articles=1_000,
        claims_per_article=50,
        article_chars=6_000,
        actors=2_000,
        sources=400,
        outlets=40,
        researchers=20,
        reviewers=8,
        hot_claims=1_000,
        hot_chars=50_000,
    ),
    "large": Spec(
        articles=10_000,
        claims_per_article=50,
        article_chars=6_000,
        actors=10_000,
        sources=3_000,
        outlets=150,
        researchers=60,
        reviewers=20,
        hot_claims=1_000,
        hot_chars=50_000,
    ),
}

# Share of claims in each status (the hot article's claims all await review).
STATUS_WEIGHTS = {"approved": 55, "submitted": 20, "changes_requested": 10, "rejected": 15}
ROLES = ("accused", "target", "supporter", "denier", "mentioned")
# The share of claims that also accuse the dominant actor (the first known one after Edi
# Rama: Iran), so that one actor page holds hundreds of thousands of claims at the large
# size, as the desk's most opened page does.
DOMINANT_SHARE = 0.4
DOMINANT_NAME = "Iran"
CERTAINTIES = ("asserted", "alleged", "denied", "confirmed", "speculated")
REJECT_REASONS = ("misattributed", "unsupported", "not_a_claim", "duplicate", "other")
RATING_LABELS = {1: "False", 2: "Mostly false", 3: "Mixed", 4: "Mostly true", 5: "True"}
SOURCE_KINDS = (
    "official_statement",
    "investigation",
    "sanctions_notice",
    "social_media",
    "document",
    "other",
)
ACTOR_KINDS = ("person", "person", "person", "organisation", "organisation", "state", "group")

# The running example, so that the dataset reads like the desk's own texts.
KNOWN_ACTORS = [
    ("Edi Rama", "person", ["Rama", "the Albanian prime minister"]),
    ("Iran", "state", ["Tehran", "the Iranian state"]),
    ("Albania", "state", ["Tirana"]),
    ("United States", "state", ["Washington", "US"]),
    ("Federal Bureau of Investigation", "organisation", ["FBI"]),
    ("Microsoft", "organisation", []),
    ("Iran's Ministry of Intelligence", "organisation", ["MOIS"]),
    ("Nasser Kanaani", "person", []),
]
SYLLABLES = ["ka", "ro", "mi", "tu", "ne", "so", "va", "li", "be", "dé", "zo", "pu", "gë", "ha"]
SYLLABLES += ["ar", "el", "in", "os", "ul", "mar", "ten", "vik", "dor", "sal"]
ORG_WORDS = ["Ministry", "Agency", "Council", "Institute", "Front", "Bureau", "Party", "Group"]
ORG_TOPICS = ["Intelligence", "Security", "Energy", "Justice", "Cyber Defence", "Trade"]
OUTLET_WORDS = ["Times", "Herald", "Post", "Observer", "Gazette", "Chronicle", "Ledger"]

EVENTS = [
    "cyberattacks on government services",
    "breach of the border police database",
    "leak of the payroll records",
    "outage of the public e-services portal",
    "campaign of disinformation before the vote",
    "attack on the customs system",
]
VERBS_PAST = ["carried out", "ordered", "financed", "planned", "helped", "tolerated"]
ADJECTIVES = ["baseless", "unfounded", "politically motivated", "absurd", "a fabrication"]
MEASURES = ["sanctions", "a travel ban", "an asset freeze", "new export controls"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend"]
MONTHS = ["in July", "in September", "last year", "in the spring", "this month", "in 2022"]
FILLER_NOUNS = ["government", "committee", "parliament", "ministry", "inquiry", "report"]
FILLER_VERBS = ["met", "reported", "confirmed", "published", "discussed", "reviewed"]

SENTENCES: list[Callable[[random.Random, Callable[[], str]], str]] = [
    lambda r, a: (
        f"{a()} said {r.choice(DAYS)} that an investigation had shown {a()} was behind "
        f"the {r.choice(EVENTS)}, and that {a()} and {a()} had helped to trace it."
    ),
    lambda r, a: (
        f"{a()} rejected the accusation as {r.choice(ADJECTIVES)} and said {a()} "
        f"had never {r.choice(VERBS_PAST)} the {r.choice(EVENTS)}."
    ),
    lambda r, a: (
        f"According to {a()}, {a()} {r.choice(VERBS_PAST)} the {r.choice(EVENTS)} "
        f"{r.choice(MONTHS)}."
    ),
    lambda r, a: (
        f"{a()} announced {r.choice(MEASURES)} on {a()} for its alleged role in the "
        f"{r.choice(EVENTS)}."
    ),
    lambda r, a: (
        f"Officials close to {a()} told reporters that the findings, shared with {a()}, "
        f"pointed to {a()} {r.choice(MONTHS)}."
    ),
    lambda r, a: (
        f"The {r.choice(FILLER_NOUNS)} {r.choice(FILLER_VERBS)} the evidence {r.choice(DAYS)}, "
        f"but {a()} declined to comment."
    ),
    lambda r, a: (
        f"\u201cWe have no doubt about who did this,\u201d {a()} told "
        f"{a()}\u2019s correspondent {r.choice(DAYS)}."
    ),
    lambda r, a: (
        f"{a()} and {a()} {r.choice(FILLER_VERBS)} the matter {r.choice(MONTHS)}, "
        f"according to a statement by {a()}."
    ),
]


@dataclass
class Registry:
    """What claims are built from: ids of users, actors (with the names texts use for
    them), sources and outlets."""

    researchers: list[int] = field(default_factory=list)
    reviewers: list[int] = field(default_factory=list)
    actor_ids: list[int] = field(default_factory=list)
    actor_names: dict[int, list[str]] = field(default_factory=dict)
    source_ids: list[int] = field(default_factory=list)
    outlet_ids: list[int] = field(default_factory=list)
    # Nine articles in ten are on Main desk, where every generated user works; every
    # tenth is on a partner desk of the researchers and reviewers only, so that reads
    # scoped to a desk have rows of another desk to leave out.
    project_id: int = 0
    partner_project_id: int = 0
    dominant_id: int = 0

    def project_for(self, number: int) -> int:
        return self.partner_project_id if number % 10 == 9 else self.project_id


@dataclass
class Sentence:
    start: int
    end: int
    actors: list[int]


@contextlib.contextmanager
def explicit_timestamps(*models) -> Iterator[None]:
    """Let `bulk_create` write the `created`/`modified` the generator chose: switch off
    `auto_now`/`auto_now_add` on these models' fields for the duration."""
    switched = []
    for model in models:
        for model_field in model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                switched.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in switched:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def actor_name(rng: random.Random, kind: str) -> str:
    if kind == "person":
        return f"{word(rng)} {word(rng)}"
    if kind == "organisation":
        return f"{word(rng)} {rng.choice(ORG_WORDS)} of {rng.choice(ORG_TOPICS)}"
    if kind == "state":
        return f"Republic of {word(rng)}"
    if kind == "group":
        return f"{word(rng)} {word(rng)} Group"
    return word(rng)


def write_text(rng: random.Random, registry: Registry, chars: int) -> tuple[str, list[Sentence]]:
    """Paragraphs of sentences naming actors, about `chars` characters, and where each
    sentence is (code points) with the actors it names."""
    parts: list[str] = []
    sentences: list[Sentence] = []
    length = 0
    while length < chars:
        if parts:
            parts.append("\n\n")
            length += 2
        for index in range(rng.randint(3, 6)):
            named: list[int] = []

            def name(named=named) -> str:
                actor_id = rng.choice(registry.actor_ids)
                named.append(actor_id)
                return rng.choice(registry.actor_names[actor_id])

            sentence = rng.choice(SENTENCES)(rng, name)
            if index:
                parts.append(" ")
                length += 1
            sentences.append(Sentence(length, length + len(sentence), named))
            parts.append(sentence)
            length += len(sentence)
            if length >= chars:
                break
    return "".join(parts), sentences


def claim_span(rng: random.Random, text: str, sentence: Sentence) -> tuple[int, int]:
    """The whole sentence, or one of its clauses (cut at a comma or "that")."""
    start, end = sentence.start, sentence.end
    if rng.random() < 0.6:
        return start, end
    body = text[start:end]
    cuts = sorted(
        {0, len(body)}
        | {i + 2 for i in range(len(body)) if body.startswith(", ", i)}
        | {i + 6 for i in range(len(body)) if body.startswith(" that ", i)}
    )
    if len(cuts) < 3:
        return start, end
    first = rng.randrange(len(cuts) - 1)
    last = rng.randrange(first + 1, len(cuts))
    lo, hi = start + cuts[first], start + cuts[last]
    while hi > lo + 1 and text[hi - 1] in " ,":
        hi -= 1
    return lo, hi


class Timeline:
    """Moments of one claim's history, each a little after the one before."""

    def __init__(self, rng: random.Random, start: dt.datetime) -> None:
        self.rng = rng
        self.now = start

    def next(self, *, hours: float = 30) -> dt.datetime:
        self.now += dt.timedelta(minutes=self.rng.randint(5, int(hours * 60)))
        return self.now


class Builder:
    """Builds the rows of one chunk of articles and writes them."""

    def __init__(self, rng: random.Random, registry: Registry) -> None:
        from annotations import models as m
        from articles import models as a

        self.m, self.a = m, a
        self.rng = rng
        self.registry = registry
        self.reset()

    def reset(self) -> None:
        self.articles: list = []
        self.revisions: list = []
        # Per article: the claims still to make, as plain dicts (the article's revision
        # id is known only once it is written).
        self.pending: list[list[dict]] = []

    # -- articles --------------------------------------------------------------------

    def add_article(
        self,
        *,
        number: int,
        chars: int,
        claims: int,
        created: dt.datetime,
        status: str | None = None,
        title: str | None = None,
    ) -> None:
        rng, registry, a = self.rng, self.registry, self.a
        text, sentences = write_text(rng, registry, chars)
        author = rng.choice(registry.researchers)
        article = a.Article(
            title=title or f"{rng.choice(EVENTS).capitalize()}: report {number}",
            byline=f"By {word(rng)} {word(rng)}",
            url=f"https://news.example.org/{number}/{word(rng).lower()}",
            outlet_id=rng.choice(registry.outlet_ids),
            project_id=registry.project_for(number),
            published=(created - dt.timedelta(days=rng.randint(0, 3))).date(),
            language="en",
            text=text,
            raw=text,
            text_sha256=a.text_sha256(text),
            created_by_id=author,
            created=created,
            modified=created,
        )
        revisions = []
        if rng.random() < 0.1:
            first = text.rsplit("\n\n", 1)[0]
            revisions.append(
                a.ArticleRevision(
                    number=1,
                    text=first,
                    sha256=a.text_sha256(first),
                    author_id=author,
                    created=created,
                    note="Imported",
                )
            )
        revisions.append(
            a.ArticleRevision(
                number=len(revisions) + 1,
                text=text,
                sha256=a.text_sha256(text),
                author_id=author,
                created=created + dt.timedelta(minutes=len(revisions) * 30),
                note="Imported" if not revisions else "Last paragraph added",
            )
        )
        self.articles.append(article)
        self.revisions.append(revisions)
        self.pending.append(
            [self.claim_plan(text, sentences, created, author, status) for _ in range(claims)]
        )

    def claim_plan(
        self, text: str, sentences: list[Sentence], created: dt.datetime, author: int, status
    ) -> dict:
        from annotations.anchoring.selection import anchor_from_selection

        rng, registry = self.rng, self.registry
        sentence = rng.choice(sentences)
        start, end = claim_span(rng, text, sentence)
        anchor = anchor_from_selection(text=text, start=start, end=end, exact=text[start:end])
        named = list(dict.fromkeys(sentence.actors))
        claimant = named[0] if named and rng.random() < 0.8 else rng.choice(registry.actor_ids)
        others = [actor for actor in named if actor != claimant]
        wanted = rng.randint(2, 3)
        while len(others) < wanted:
            actor = rng.choice(registry.actor_ids)
            if actor != claimant and actor not in others:
                others.append(actor)
        if rng.random() < 0.5:
            author = rng.choice(registry.researchers)
        actors = [(actor, rng.choice(ROLES)) for actor in others[:wanted]]
        dominant = registry.dominant_id
        if (
            rng.random() < DOMINANT_SHARE
            and dominant
            and dominant != claimant
            and dominant not in others[:wanted]
        ):
            actors.append((dominant, "accused"))
        return {
            "anchor": anchor,
            "claimant": claimant,
            "actors": actors,
            "sources": rng.sample(registry.source_ids, rng.randint(1, 2)),
            "certainty": rng.choice(CERTAINTIES),
            "author": author,
            "status": status
            or rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0],
            "reviews": rng.randint(1, 2),
            "created": created + dt.timedelta(minutes=rng.randint(10, 60 * 24 * 5)),
        }

    # -- writing ---------------------------------------------------------------------

    def write(self) -> int:
        """Write the chunk; returns the number of claims written."""
        m, a = self.m, self.a
        a.Article.objects.bulk_create(self.articles, batch_size=BATCH_SIZE)
        revisions = []
        for article, article_revisions in zip(self.articles, self.revisions, strict=True):
            for revision in article_revisions:
                revision.article_id = article.pk
                revisions.append(revision)
        a.ArticleRevision.objects.bulk_create(revisions, batch_size=BATCH_SIZE)

        claims, plans = [], []
        for article, article_revisions, pending in zip(
            self.articles, self.revisions, self.pending, strict=True
        ):
            for plan in pending:
                plan["claim"] = self.claim_row(
                    article.pk, article.project_id, article_revisions[-1].pk, plan
                )
                claims.append(plan["claim"])
                plans.append(plan)
        m.Claim.objects.bulk_create(claims, batch_size=BATCH_SIZE)

        actor_links, source_links, reviews, events = [], [], [], []
        for plan in plans:
            claim = plan["claim"]
            actor_links.extend(
                m.ClaimActor(claim_id=claim.pk, actor_id=actor, role=role)
                for actor, role in plan["actors"]
            )
            source_links.extend(
                m.ClaimSource(
                    claim_id=claim.pk,
                    source_id=source,
                    locator=f"para. {self.rng.randint(1, 40)}" if self.rng.random() < 0.5 else "",
                    note="",
                )
                for source in plan["sources"]
            )
            reviews.extend(plan["review_rows"])
            events.extend(plan["event_rows"])
            for row in (*plan["review_rows"], *plan["event_rows"]):
                row.claim_id = claim.pk
        m.ClaimActor.objects.bulk_create(actor_links, batch_size=BATCH_SIZE)
        m.ClaimSource.objects.bulk_create(source_links, batch_size=BATCH_SIZE)
        m.Review.objects.bulk_create(reviews, batch_size=BATCH_SIZE)
        m.ClaimEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        written = len(claims)
        self.reset()
        return written

    def claim_row(self, article_id: int, project_id: int, revision_id: int, plan: dict):
        """The claim as its history leaves it; the history's reviews and events go to
        `plan["review_rows"]` and `plan["event_rows"]`."""
        m, rng = self.m, self.rng
        anchor = plan["anchor"]
        author = plan["author"]
        reviewers = rng.sample(self.registry.reviewers, 2)
        clock = Timeline(rng, plan["created"])
        created = clock.now
        statement = f"{self.registry.actor_names[plan['claimant']][0]} says: {anchor.exact}"
        snapshot = {
            "start": anchor.start,
            "end": anchor.end,
            "exact": anchor.exact,
            "statement": statement,
            "claimant": plan["claimant"],
            "certainty": plan["certainty"],
            "actors": sorted([actor, role] for actor, role in plan["actors"]),
            "sources": sorted([source, "", ""] for source in plan["sources"]),
            "note": "",
        }
        state = {
            "status": "draft",
            "version": 1,
            "submitted_at": None,
            "review_round": 0,
            "reviewed_at": None,
        }
        events = [
            m.ClaimEvent(
                kind="created",
                actor_id=author,
                created=created,
                to_status="draft",
                version=1,
                changes={key: [None, value] for key, value in snapshot.items()},
            )
        ]
        reviews = []

        def event(kind: str, to_status: str, who: int, when: dt.datetime, **extra) -> None:
            state["version"] += 1
            events.append(
                m.ClaimEvent(
                    kind=kind,
                    actor_id=who,
                    created=when,
                    from_status=state["status"],
                    to_status=to_status,
                    version=state["version"],
                    **extra,
                )
            )
            state["status"] = to_status

        def submit() -> None:
            when = clock.next()
            event("submitted", "submitted", author, when)
            state["submitted_at"] = when
            state["review_round"] += 1

        def decide(decision: str, reviewer: int) -> None:
            when = clock.next(hours=72)
            reason = rng.choice(REJECT_REASONS) if decision == "reject" else ""
            comment = "Check the claimant against the source." if decision != "approve" else ""
            rating = None
            if decision == "approve" and rng.random() < 0.4:
                rating = rng.randint(1, 5)
            label = ("Unproven" if rng.random() < 0.2 else RATING_LABELS[rating]) if rating else ""
            reviews.append(
                m.Review(
                    claim_version=state["version"],
                    reviewer_id=reviewer,
                    decision=decision,
                    reason=reason,
                    comment=comment if not rating else "The sources support the attribution.",
                    quote_checked=decision == "approve",
                    claimant_checked=decision == "approve",
                    sources_checked=decision == "approve",
                    rating_value=rating,
                    rating_label=label,
                    review_round=state["review_round"],
                    created=when,
                )
            )
            to_status = {
                "approve": "approved",
                "reject": "rejected",
                "request_changes": "changes_requested",
            }[decision]
            kind = {"approve": "approved", "reject": "rejected"}.get(decision, to_status)
            event(
                kind,
                to_status,
                reviewer,
                when,
                data={"decision": decision, "reason": reason, "reviewed_version": state["version"]},
            )
            state["reviewed_at"] = when

        def edit(to_status: str) -> None:
            event(
                "edited",
                to_status,
                author,
                clock.next(),
                changes={"statement": [statement, statement + " (reworded)"]},
            )

        submit()
        status, rounds = plan["status"], plan["reviews"]
        if status == "submitted":
            if rng.random() < 0.3:
                # Approved once, then edited: back in the queue for a new round.
                decide("approve", reviewers[0])
                edit("submitted")
                state["submitted_at"] = clock.now
                state["review_round"] += 1
            else:
                for reviewer in reviewers[:rounds]:
                    decide("request_changes", reviewer)
                    edit("changes_requested")
                    submit()
        else:
            final = {"approved": "approve", "rejected": "reject"}.get(status, "request_changes")
            if rounds == 2:
                decide("request_changes", reviewers[1])
                edit("changes_requested")
                submit()
            decide(final, reviewers[0])

        plan["review_rows"] = reviews
        plan["event_rows"] = events
        return m.Claim(
            article_id=article_id,
            project_id=project_id,
            revision_id=revision_id,
            start=anchor.start,
            end=anchor.end,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            anchor_state="anchored",
            statement=statement,
            claimant_id=plan["claimant"],
            certainty=plan["certainty"],
            status=state["status"],
            version=state["version"],
            author_id=author,
            created=created,
            modified=clock.now,
            submitted_at=state["submitted_at"],
            review_round=state["review_round"],
            reviewed_at=state["reviewed_at"],
        )


# -- the registry: users, actors, sources ---------------------------------------------


def _main_desk_id() -> int:
    from projects.models import Project

    return Project.objects.get_or_create(slug="main", defaults={"name": "Main desk"})[0].pk


def _partner_desk_id() -> int:
    from projects.models import Project

    return Project.objects.get_or_create(slug="partner", defaults={"name": "Partner desk"})[0].pk


def make_users(spec: Spec, registry: Registry) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from annotations.roles import sync_role_groups
    from projects.models import Membership

    user_model = get_user_model()
    password = make_password(PASSWORD)
    groups = {group.name: group for group in sync_role_groups()}
    people = [(f"researcher-{i:03d}", "researcher") for i in range(1, spec.researchers + 1)]
    people += [(f"reviewer-{i:03d}", "reviewer") for i in range(1, spec.reviewers + 1)]
    people += [("editor", "editor"), ("bench-reader", "researcher")]
    people += [("bench-reviewer", "reviewer")]
    users = user_model.objects.bulk_create(
        user_model(username=name, email=f"{name}@example.org", password=password)
        for name, _ in people
    )
    through = user_model.groups.through
    through.objects.bulk_create(
        through(user_id=user.pk, group_id=groups[role].pk)
        for user, (_, role) in zip(users, people, strict=True)
    )
    registry.project_id = _main_desk_id()
    registry.partner_project_id = _partner_desk_id()
    Membership.objects.bulk_create(
        Membership(user_id=user.pk, project_id=project_id, **{f"is_{role}": True})
        for user, (name, role) in zip(users, people, strict=True)
        for project_id in (registry.project_id, registry.partner_project_id)
        if project_id == registry.project_id or name.startswith(("researcher-", "reviewer-"))
    )
    for user, (name, _) in zip(users, people, strict=True):
        if name.startswith("researcher-"):
            registry.researchers.append(user.pk)
        elif name.startswith("reviewer-"):
            registry.reviewers.append(user.pk)


def make_registry(rng: random.Random, spec: Spec, registry: Registry, start: dt.datetime) -> None:
    from annotations.models import Actor, ActorAlias
    from annotations.text import fold
    from articles.models import Source

    planned = [(name, kind, aliases) for name, kind, aliases in KNOWN_ACTORS]
    while len(planned) < spec.actors:
        kind = rng.choice(ACTOR_KINDS)
        name = actor_name(rng, kind)
        aliases = []
        if rng.random() < 0.5:
            aliases.append(name.split()[-1] if kind == "person" else word(rng) + " " + word(rng))
        planned.append((name, kind, aliases))
    planned = planned[: spec.actors]
    actors = Actor.objects.bulk_create(
        (
            Actor(
                name=name,
                folded=fold(name),
                kind=kind,
                description=f"{kind.capitalize()} named in the desk's articles.",
                wikidata_id=f"Q{100_000 + index}" if index % 5 == 0 else "",
                created=start,
                modified=start,
            )
            for index, (name, kind, _) in enumerate(planned)
        ),
        batch_size=BATCH_SIZE,
    )
    states = [actor for actor in actors if actor.kind == "state"]
    children = [actor for actor in actors if actor.kind == "organisation" and rng.random() < 0.3]
    for child in children:
        child.parent_id = rng.choice(states).pk
    Actor.objects.bulk_update(children, ["parent"], batch_size=BATCH_SIZE)
    aliases = []
    for actor, (name, _, alias_names) in zip(actors, planned, strict=True):
        registry.actor_ids.append(actor.pk)
        registry.actor_names[actor.pk] = [name]
        if name == DOMINANT_NAME:
            registry.dominant_id = actor.pk
        seen = {fold(name)}
        for alias in alias_names:
            if fold(alias) in seen:
                continue
            seen.add(fold(alias))
            aliases.append(ActorAlias(actor_id=actor.pk, name=alias, folded=fold(alias)))
            registry.actor_names[actor.pk].append(alias)
    ActorAlias.objects.bulk_create(aliases, batch_size=BATCH_SIZE)

    outlets = Source.objects.bulk_create(
        Source(
            name=f"The {word(rng)} {rng.choice(OUTLET_WORDS)}",
            kind="outlet",
            url=f"https://outlet-{index}.example.org/",
            publisher=f"{word(rng)} Media",
            created=start,
            modified=start,
        )
        for index in range(spec.outlets)
    )
    sources = Source.objects.bulk_create(
        (
            Source(
                name=f"{kind.replace('_', ' ').capitalize()} {index}: {word(rng)} {word(rng)}",
                kind=kind,
                url=f"https://sources.example.org/{index}" if index % 3 else "",
                publisher=word(rng),
                created=start,
                modified=start,
            )
            for index, kind in ((i, rng.choice(SOURCE_KINDS)) for i in range(spec.sources))
        ),
        batch_size=BATCH_SIZE,
    )
    registry.outlet_ids = [outlet.pk for outlet in outlets]
    registry.source_ids = [source.pk for source in sources]


# -- the dataset ---------------------------------------------------------------------


def populate(
    spec: Spec, *, seed: int = 1, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Generate the dataset of `spec` into the current default database (which must hold
    no claimdesk data yet). Returns the number of rows of each kind."""
    from django.db import transaction

    from annotations import models as m
    from articles import models as a

    rng = random.Random(seed)
    registry = Registry()
    start = dt.datetime(2023, 1, 2, 8, 0, tzinfo=dt.UTC)
    models = (a.Source, a.Article, a.ArticleRevision, m.Actor, m.Claim, m.Review, m.ClaimEvent)
    with explicit_timestamps(*models):
        with transaction.atomic():
            make_users(spec, registry)
            make_registry(rng, spec, registry, start)
        builder = Builder(rng, registry)
        with transaction.atomic():
            # The long article first, and its claims all awaiting review since then: the
            # review queue opens on them.
            builder.add_article(
                number=0,
                chars=spec.hot_chars,
                claims=spec.hot_claims,
                created=start - dt.timedelta(days=30),
                status="submitted",
                title="The cyberattacks on Albania: the full investigation",
            )
            builder.write()
        span = dt.timedelta(days=700)
        total = spec.articles * spec.claims_per_article
        done = 0
        for first in range(0, spec.articles, ARTICLES_PER_CHUNK):
            with transaction.atomic():
                for number in range(first, min(first + ARTICLES_PER_CHUNK, spec.articles)):
                    created = start + dt.timedelta(days=7) + span * number / spec.articles
                    builder.add_article(
                        number=number + 1,
                        chars=spec.article_chars,
                        claims=spec.claims_per_article,
                        created=created,
                    )
                done += builder.write()
            if progress:
                progress(done, total)
    return dataset_counts()


def dataset_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from annotations import models as m
    from articles import models as a

    return {
        "users": get_user_model().objects.count(),
        "actors": m.Actor.objects.count(),
        "aliases": m.ActorAlias.objects.count(),
        "sources": a.Source.objects.count(),
        "articles": a.Article.objects.count(),
        "revisions": a.ArticleRevision.objects.count(),
        "claims": m.Claim.objects.count(),
        "approved_claims": m.Claim.objects.filter(status="approved").count(),
        "claim_actors": m.ClaimActor.objects.count(),
        "claim_sources": m.ClaimSource.objects.count(),
        "reviews": m.Review.objects.count(),
        "events": m.ClaimEvent.objects.count(),
    }


def load_registry() -> Registry:
    """The registry of a generated dataset, read back from the database (for building
    more articles and claims on it, as the re-anchoring measurement does)."""
    from django.contrib.auth import get_user_model

    from annotations.models import Actor, ActorAlias
    from articles.models import Source

    registry = Registry(project_id=_main_desk_id(), partner_project_id=_partner_desk_id())
    for pk, username in get_user_model().objects.values_list("pk", "username"):
        if username.startswith("researcher-"):
            registry.researchers.append(pk)
        elif username.startswith("reviewer-"):
            registry.reviewers.append(pk)
    for pk, name in Actor.objects.order_by("pk").values_list("pk", "name"):
        registry.actor_ids.append(pk)
        registry.actor_names[pk] = [name]
        if name == DOMINANT_NAME:
            registry.dominant_id = pk
    for actor_id, name in ActorAlias.objects.order_by("pk").values_list("actor_id", "name"):
        registry.actor_names[actor_id].append(name)
    for pk, kind in Source.objects.order_by("pk").values_list("pk", "kind"):
        (registry.outlet_ids if kind == "outlet" else registry.source_ids).append(pk)
    return registry


# -- the record of what a database holds ----------------------------------------------


def dataset_fingerprint(size: str, seed: int) -> dict:
    return {"size": size, "seed": seed, "generator": GENERATOR_VERSION, **asdict(SPECS[size])}


def read_marker() -> dict | None:
    from django.db import connection

    if DATASET_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {DATASET_TABLE} WHERE name = %s", ["dataset"])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_marker(value: dict) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {DATASET_TABLE} "
            "(name varchar(100) PRIMARY KEY, value text NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {DATASET_TABLE} WHERE name = %s", ["dataset"])
        cursor.execute(
            f"INSERT INTO {DATASET_TABLE} (name, value) VALUES (%s, %s)",
            ["dataset", json.dumps(value)],
        )


def ensure_dataset(size: str, *, seed: int = 1, force: bool = False, log=print) -> dict:
    """Make sure the benchmark database (already set up, see `bench.environment`) holds
    the dataset of `size` and `seed`; generate it when it does not. Returns its marker
    (the fingerprint, the row counts and how long generation took)."""
    from django.core.management import call_command
    from django.db import connection

    from bench import environment

    wanted = dataset_fingerprint(size, seed)
    marker = None if force else read_marker()
    if marker is not None and marker.get("fingerprint") == wanted:
        log(f"dataset: reusing {size} (seed {seed}) in {environment.describe(environment_url())}")
        # Migrations added since the dataset was made apply to it as to any database.
        call_command("migrate", interactive=False, verbosity=0)
        return marker
    if force or marker is not None or connection.introspection.table_names():
        # Something else (or an older dataset) is there: start again from empty.
        connection.close()
        environment.ensure_database(environment_url(), fresh=True)
    log(f"dataset: generating {size} (seed {seed}) into {environment.describe(environment_url())}")
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 5 or done == total:
            last[0] = now
            log(f"  {done:>9,} / {total:,} claims  ({now - started:6.1f} s)")

    from annotations.actor_counts import counted_afterwards

    with counted_afterwards(connection):
        counts = populate(SPECS[size], seed=seed, progress=progress)
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum soon does after a bulk insert: give the planner the tables'
        # statistics and mark the pages all-visible, so that index-only scans (counting
        # and paging approved claims) read no table rows, as they would in production.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    marker = {"fingerprint": wanted, "counts": counts, "seconds": round(seconds, 1)}
    write_marker(marker)
    log(f"dataset: {counts['claims']:,} claims in {seconds:.0f} s")
    return marker


def environment_url() -> str:
    import os

    return os.environ["DATABASE_URL"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SPECS), default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="Generate even if it exists.")
    args = parser.parse_args(argv)

    from bench import environment

    environment.use_bench_database(args.size)
    marker = ensure_dataset(args.size, seed=args.seed, force=args.force)
    print(json.dumps(marker["counts"], indent=2))


if __name__ == "__main__":
    main()
