"""The claims of one actor (with or without its parts) or of one source, as a user may
see them: what the actor and source pages show.

Nothing here reads a number of rows that grows with the desk. The actor's counts by
status and role and "who accuses whom" are read from the counts the database keeps
(`annotations.actor_counts`): a few rows per project. The lists are pages walked through
indexes newest claim first, a page after (or before) a claim id: each "stream" of claims
(made by one actor, linked to one actor, citing one source…) is an index in claim-id
order, so a page reads its 26 entries whatever the actor's total. A list's own count is
counted the same way up to `COUNT_LIMIT` and shown as "1,000+" beyond (the page says
so). Iran's page on the 501,000-claim benchmark desk read 200,000 claims per request
this way before (11 s); see the README's Performance section for the figures now.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q, QuerySet, Sum

from annotations.actor_counts import CLAIMANT, INVOLVEMENT, LINKED
from annotations.models import (
    AccusationCount,
    Actor,
    ActorClaimCount,
    ActorInvolvement,
    ActorRole,
    Certainty,
    Claim,
    ClaimActor,
    ClaimSource,
    ClaimStatus,
)
from annotations.selectors.claims import claims_visible_to
from articles.models import Source
from projects import access

# A list's count stops here; beyond, the page shows "1,000+".
COUNT_LIMIT = 1000
# "Who accuses whom" shows this many pairs, those with the most verified claims first.
PAIR_LIMIT = 20
UNREVIEWED = (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.CHANGES_REQUESTED)


def _claim_rows(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """What a row in a list of claims shows, without the article's text."""
    return (
        queryset.select_related("claimant", "article")
        .defer("article__text", "article__raw", "prefix", "suffix", "note")
        .prefetch_related(
            Prefetch(
                "actor_links",
                queryset=ClaimActor.objects.only("id", "claim_id", "role", "actor_id"),
            ),
            # Read by id apart: joined, the planner hashed the whole registry of actors.
            Prefetch("actor_links__actor", queryset=Actor.objects.only("id", "name")),
        )
        .order_by("-pk")
    )


# -- keyset pages --------------------------------------------------------------------------


@dataclass
class ClaimPage:
    """One page of a list of claims, newest first, with its neighbours' cursors.

    `older` is the id to ask the claims before (`?<list>_before=`), `newer` the id to ask
    the claims after (`?<list>_after=`), None when there is no such page. `count` is the
    list's size: `exact` when it came from kept counts, else counted up to `COUNT_LIMIT`
    (`count_label` says "1,000+" beyond it).
    """

    claims: list[Claim]
    count: int
    exact: bool = False
    ids: list[int] = field(default_factory=list)
    older: int | None = None
    newer: int | None = None
    previous_query: str | None = None
    next_query: str | None = None

    def __iter__(self):
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    def __bool__(self) -> bool:
        return bool(self.claims)

    @property
    def capped(self) -> bool:
        return not self.exact and self.count > COUNT_LIMIT

    @property
    def count_label(self) -> str:
        return f"{COUNT_LIMIT:,}+" if self.capped else f"{self.count:,}"

    @property
    def has_other_pages(self) -> bool:
        return self.older is not None or self.newer is not None


@dataclass(frozen=True)
class Stream:
    """Claims in claim-id order, walked through one index: `entries` a queryset whose
    `column` holds claim ids (claims themselves, or rows of a link table); for a link
    table, `visible` keeps the claims the user may see.

    A link table is walked alone and its claims are then looked up by id, a chunk at a
    time: joined in one query, the planner may walk every claim of the desk instead
    (for Iran's 24 denials among its 200,000 links it merged the claims' primary key
    from the top, 0.5 s).
    """

    entries: QuerySet
    column: str = "pk"
    visible: QuerySet[Claim] | None = None


def _ids(stream: Stream, *, before=None, after=None, limit: int) -> list[int]:
    """Up to `limit` distinct ids of the stream next to the cursor. A link table may hold
    a claim twice (a source cited at two places): its entries are in claim-id order, so
    the walk goes on past the last id read."""
    column = stream.column
    ids: list[int] = []
    while len(ids) < limit:
        wanted = limit - len(ids)
        if after is not None:
            chunk = stream.entries.filter(**{f"{column}__gt": after}).order_by(column)
        else:
            chunk = stream.entries
            if before is not None:
                chunk = chunk.filter(**{f"{column}__lt": before})
            chunk = chunk.order_by(f"-{column}")
        chunk = list(chunk.values_list(column, flat=True)[:wanted])
        found = list(dict.fromkeys(chunk))
        if stream.visible is not None and found:
            seen = set(stream.visible.filter(pk__in=found).order_by().values_list("pk", flat=True))
            found = [pk for pk in found if pk in seen]
        ids += [pk for pk in found if not ids or pk != ids[-1]]
        if len(chunk) < wanted:
            break
        if after is not None:
            after = chunk[-1]
        else:
            before = chunk[-1]
    return ids


def newest_ids(streams: list[Stream], *, limit: int) -> list[int]:
    """The `limit` newest claim ids found in any of `streams`, each walked through its
    own index: what a capped list newest first reads, whatever the streams' totals."""
    found: set[int] = set()
    for stream in streams:
        found.update(_ids(stream, limit=limit))
    return sorted(found, reverse=True)[:limit]


def naming_streams(claims: QuerySet[Claim], actor_ids: list[int]) -> list[Stream]:
    """The claims among `claims` that name any of `actor_ids`, as their claimant or
    linked in any role: two streams an actor."""
    return [
        stream
        for pk in actor_ids
        for stream in (
            Stream(claims.filter(claimant_id=pk)),
            Stream(ActorInvolvement.objects.filter(actor_id=pk, links__gt=0), "claim_id", claims),
        )
    ]


def claim_page(
    streams: list[Stream],
    *,
    size: int,
    before: int | None = None,
    after: int | None = None,
    count: int | None = None,
    load: bool = True,
) -> ClaimPage:
    """The page of the claims of any of `streams`, newest first: the `size` claims
    before the id `before` (the first page without either) or after the id `after`.
    `count` is the list's size when the caller knows it (from kept counts); otherwise
    the streams are counted up to `COUNT_LIMIT` + 1, which gives the first page too. A
    few queries a stream and three for the rows (none with `load` off: see
    `load_claims`), whatever the number of claims."""
    found: set[int] = set()
    first_page_read = False
    exact = count is not None
    if count is None:
        for stream in streams:
            found.update(_ids(stream, limit=COUNT_LIMIT + 1))
        count = len(found)
        first_page_read = True
    if before is not None or after is not None or not first_page_read:
        found = set()
        for stream in streams:
            found.update(_ids(stream, before=before, after=after, limit=size + 1))
    if after is not None:
        ids = sorted(found)[: size + 1]
        more = len(ids) > size
        ids = sorted(ids[:size], reverse=True)
        newer = ids[0] if more and ids else None
        older = ids[-1] if ids else None
    else:
        ids = sorted(found, reverse=True)[: size + 1]
        more = len(ids) > size
        ids = ids[:size]
        older = ids[-1] if more else None
        newer = ids[0] if before is not None and ids else None
    page = ClaimPage(claims=[], count=count, exact=exact, ids=ids, older=older, newer=newer)
    if load:
        load_claims([page])
    return page


def load_claims(pages: list[ClaimPage]) -> None:
    """Read the rows of the pages' claims, for all of them at once (a page of the actor
    page's three lists costs the same three queries as one)."""
    ids = {pk for page in pages for pk in page.ids}
    rows = {claim.pk: claim for claim in _claim_rows(Claim.objects.filter(pk__in=ids))}
    for page in pages:
        page.claims = [rows[pk] for pk in page.ids if pk in rows]


# -- an actor's claims ---------------------------------------------------------------------


@dataclass
class ActorClaims:
    """What the actor page shows of the claims of one actor (or of it and its
    descendants) that `user` may see.

    `status_counts`, `role_counts` and `linked` (the claims linking the actors in any
    role: the size of the list "about" them) come from the kept counts; for several
    actors (an actor with its parts) they are the sums of each one's, so a claim naming
    two of them counts for each (`summed`). `accusations` holds at most `PAIR_LIMIT` pairs
    (`more_pairs` when there were more).
    """

    actor_ids: list[int]
    status_counts: dict[str, int]
    role_counts: dict[str, int]
    accusations: list[dict]
    more_pairs: bool
    total: int
    linked: int = 0

    @property
    def summed(self) -> bool:
        return len(self.actor_ids) > 1

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
        labels = {CLAIMANT: "Claimant", **dict(ActorRole.choices)}
        return [(role, labels[role], count) for role, count in self.role_counts.items()]


@dataclass
class _Scope:
    """Which projects' kept counts a user reads, and whether drafts come from them
    (superusers: every draft) or from the user's own drafts."""

    project_ids: list[int] | None  # None: every project
    every_draft: bool

    def rows(self, queryset: QuerySet) -> QuerySet:
        if self.project_ids is not None:
            queryset = queryset.filter(project_id__in=self.project_ids)
        if not self.every_draft:
            queryset = queryset.exclude(status=ClaimStatus.DRAFT)
        return queryset


def _scope(user) -> _Scope:
    if user.is_superuser:
        return _Scope(project_ids=None, every_draft=True)
    return _Scope(project_ids=sorted(access.project_ids(user)), every_draft=False)


@dataclass
class _Drafts:
    """The user's own drafts that name the actors: what the kept counts leave out for
    users who see their own drafts only. Read from the user's drafts (their own work,
    through the (author, status) index), never from the actors' claims."""

    involved: int = 0
    linked: int = 0
    roles: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pairs: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))


def _own_drafts(user, scope: _Scope, actor_ids: list[int]) -> _Drafts:
    drafts = _Drafts()
    if scope.every_draft:
        return drafts
    claimants = dict(
        Claim.objects.filter(
            author=user, status=ClaimStatus.DRAFT, project_id__in=scope.project_ids
        ).values_list("pk", "claimant_id")
    )
    if not claimants:
        return drafts
    links = defaultdict(list)
    for claim_id, actor_id, role in ClaimActor.objects.filter(
        claim_id__in=list(claimants)
    ).values_list("claim_id", "actor_id", "role"):
        links[claim_id].append((actor_id, role))
    subjects = set(actor_ids)
    for claim_id, claimant_id in claimants.items():
        named = {claimant_id} | {actor_id for actor_id, _ in links[claim_id]}
        drafts.involved += len(named & subjects)
        drafts.linked += len({actor_id for actor_id, _ in links[claim_id]} & subjects)
        drafts.roles[CLAIMANT] += claimant_id in subjects
        for actor_id, role in links[claim_id]:
            drafts.roles[role] += actor_id in subjects
            if role == ActorRole.ACCUSED and (claimant_id in subjects or actor_id in subjects):
                drafts.pairs[(claimant_id, actor_id)] += 1
    return drafts


def _accusations(scope: _Scope, actor_ids: list[int], drafts: _Drafts) -> tuple[list, bool]:
    """The pairs (claimant → accused) where one of the actors accuses or is accused,
    those with the most verified claims first, at most `PAIR_LIMIT`."""
    kept = scope.rows(AccusationCount.objects.filter(claims__gt=0))
    found: set[tuple[int, int]] = set()
    more = False
    for side in ("claimant_id", "accused_id"):
        for actor_id in actor_ids:
            of_actor = kept.filter(**{side: actor_id})
            # The most verified first (an index walk), then, for actors with few
            # verified pairs, the pairs with the most claims at all.
            for statuses in ([ClaimStatus.APPROVED], None):
                rows = of_actor if statuses is None else of_actor.filter(status__in=statuses)
                pairs = list(
                    rows.order_by("-claims").values_list("claimant_id", "accused_id")[
                        : PAIR_LIMIT + 1
                    ]
                )
                more = more or len(set(pairs)) > PAIR_LIMIT
                found.update(pairs)
                if len(set(pairs)) >= PAIR_LIMIT:
                    break
    found.update(drafts.pairs)
    if not found:
        return [], False
    totals: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    chosen = reduce(or_, (Q(claimant_id=c, accused_id=a) for c, a in found))
    for claimant_id, accused_id, status, n in (
        kept.filter(chosen)
        .values_list("claimant_id", "accused_id", "status")
        .annotate(n=Sum("claims"))
    ):
        totals[(claimant_id, accused_id)][status] += n
    for pair, n in drafts.pairs.items():
        totals[pair][ClaimStatus.DRAFT] += n
    names = dict(
        Actor.objects.filter(pk__in={pk for pair in totals for pk in pair}).values_list(
            "pk", "name"
        )
    )
    rows = [
        {
            "claimant_id": claimant_id,
            "claimant": names.get(claimant_id, ""),
            "accused_id": accused_id,
            "accused": names.get(accused_id, ""),
            "claims": sum(by_status.values()),
            # Approved claims: verified attributions. Drafts and claims under review
            # are counted apart; rejected ones only in `claims`.
            "verified": by_status.get(ClaimStatus.APPROVED, 0),
            "unreviewed": sum(by_status.get(status, 0) for status in UNREVIEWED),
        }
        for (claimant_id, accused_id), by_status in totals.items()
        if sum(by_status.values())
    ]
    rows.sort(key=lambda row: (-row["verified"], -row["claims"], row["claimant"], row["accused"]))
    return rows[:PAIR_LIMIT], more or len(rows) > PAIR_LIMIT


def actor_claims(*, user, actor_ids: list[int]) -> ActorClaims:
    """The kept counts of the actors' claims `user` may see (see `ActorClaims`)."""
    scope = _scope(user)
    drafts = _own_drafts(user, scope, actor_ids)
    by_role: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for role, status, n in (
        scope.rows(ActorClaimCount.objects.filter(actor_id__in=actor_ids))
        .values_list("role", "status")
        .annotate(n=Sum("claims"))
    ):
        by_role[role][status] += n
    status_counts = {status: n for status, n in by_role[INVOLVEMENT].items() if n}
    if drafts.involved:
        status_counts[ClaimStatus.DRAFT] = status_counts.get(ClaimStatus.DRAFT, 0) + (
            drafts.involved
        )
    role_counts = {
        role: sum(by_role[role].values()) + drafts.roles.get(role, 0)
        for role in (CLAIMANT, *ActorRole.values)
    }
    accusations, more_pairs = _accusations(scope, actor_ids, drafts)
    return ActorClaims(
        actor_ids=actor_ids,
        status_counts=status_counts,
        role_counts=role_counts,
        accusations=accusations,
        more_pairs=more_pairs,
        total=sum(status_counts.values()),
        linked=sum(by_role[LINKED].values()) + drafts.linked,
    )


def actor_claim_streams(*, user, actor_ids: list[int]) -> dict[str, list[Stream]]:
    """The actor page's lists as streams for `claim_page`: `made` (the actors' claims
    as claimant), `about` (claims linking them in any role) and `denials` (claims they
    make as denied, or where they are deniers); one index walk per actor and stream."""
    visible = claims_visible_to(user)
    return {
        "made": [Stream(visible.filter(claimant_id=pk)) for pk in actor_ids],
        "about": [
            Stream(ActorInvolvement.objects.filter(actor_id=pk, links__gt=0), "claim_id", visible)
            for pk in actor_ids
        ],
        "denials": [
            stream
            for pk in actor_ids
            for stream in (
                Stream(visible.filter(claimant_id=pk, certainty=Certainty.DENIED)),
                Stream(
                    ClaimActor.objects.filter(actor_id=pk, role=ActorRole.DENIER),
                    "claim_id",
                    visible,
                ),
            )
        ],
    }


def source_claim_page(
    *, user, source: Source, size: int, before: int | None = None, after: int | None = None
) -> ClaimPage:
    """A page of the claims `user` may see that cite `source`, each with `citations`: its
    links to it. Walked through the (source, claim) index; a claim citing the source at
    two places is listed once."""
    stream = Stream(ClaimSource.objects.filter(source=source), "claim_id", claims_visible_to(user))
    page = claim_page([stream], size=size, before=before, after=after)
    citations = defaultdict(list)
    for link in ClaimSource.objects.filter(
        source=source, claim_id__in=[claim.pk for claim in page]
    ).order_by("pk"):
        citations[link.claim_id].append(link)
    for claim in page:
        claim.citations = citations[claim.pk]
    return page
