"""Projects keep work apart: a member of one desk never reaches another desk's work.

Another project's ids answer exactly as ids never used (404, or an empty result for a
filter) and change nothing; lists hold only the rows of the user's projects, and counts
count only those. The registry of actors and sources is shared, so the actor and source
pages are where the two desks' claims meet and must still be kept apart.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from annotations.models import ActorRole, AnchorState, Claim, ClaimStatus
from articles.models import Article, SourceKind
from projects.models import Membership, Project
from projects.roles import ROLES
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, UserFactory, make_claim
from tests.projects.conftest import member
from tests.projects.desks import (
    ACCUSATION,
    Desk,
    Registry,
    build_desk,
    decide,
    snapshot,
    submit,
)

pytestmark = pytest.mark.django_db

# A member of Main desk in each role, and in all of them.
ROLE_SETS = {role: (role,) for role in ROLES} | {"every role": tuple(ROLES)}


@pytest.fixture(autouse=True)
def _fresh_throttles(db):
    cache.clear()


@dataclass
class World:
    registry: Registry
    a: Desk  # Main desk: the member's own
    b: Desk  # Balkans: someone else's
    leaver: object  # wrote Balkans' claims, then left Balkans (still in Main desk)


@pytest.fixture
def world(main, balkans) -> World:
    registry = Registry(
        claimant=ActorFactory(name="Edi Rama"),
        accused=ActorFactory(name="Iran"),
        outlet=SourceFactory(name="Foreign Policy"),
        report=SourceFactory(name="Joint report", kind=SourceKind.INVESTIGATION),
    )
    a_author, a_reviewer = UserFactory(username="a-author"), UserFactory(username="a-reviewer")
    member(main, a_author, "researcher")
    member(main, a_reviewer, "reviewer")
    leaver, b_reviewer = UserFactory(username="b-author"), UserFactory(username="b-reviewer")
    member(main, leaver, "researcher")
    member(balkans, leaver, "researcher", "editor")
    member(balkans, b_reviewer, "reviewer")
    a = build_desk(
        main, author=a_author, reviewer=a_reviewer, registry=registry, title="Main desk story"
    )
    b = build_desk(
        balkans, author=leaver, reviewer=b_reviewer, registry=registry, title="Balkans story"
    )
    Membership.objects.filter(project=balkans, user=leaver).delete()
    return World(registry=registry, a=a, b=b, leaver=fresh(leaver))


def fresh(user):
    """A new user object: memberships are cached on the object a request holds."""
    return get_user_model().objects.get(pk=user.pk)


def main_member(main, roles: tuple[str, ...]):
    user = UserFactory(username="probe")
    member(main, user, *roles)
    return fresh(user)


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(fresh(user))
    return client


# -- ids of another project --------------------------------------------------------------


@dataclass
class Target:
    """The ids a probe uses: Balkans' objects, or ids no object ever had."""

    article: int
    claims: dict[str, tuple[int, int]]  # name -> (id, version)

    def id(self, name: str) -> int:
        return self.claims[name][0]

    def version(self, name: str) -> int:
        return self.claims[name][1]

    @classmethod
    def of(cls, desk: Desk) -> Target:
        return cls(
            article=desk.article.pk,
            claims={name: (c.pk, desk.claim(name).version) for name, c in desk.claims.items()},
        )

    @classmethod
    def unused(cls, like: Target) -> Target:
        next_claim = (Claim.objects.aggregate(n=Max("pk"))["n"] or 0) + 1000
        next_article = (Article.objects.aggregate(n=Max("pk"))["n"] or 0) + 1000
        return cls(
            article=next_article,
            claims={
                name: (next_claim + index, version)
                for index, (name, (_, version)) in enumerate(like.claims.items())
            },
        )


@dataclass(frozen=True)
class Probe:
    name: str
    door: str  # "page" or "api"
    method: str
    url: Callable[[Target], str]
    data: Callable[[Target], dict] | None = None
    headers: dict | None = None

    def send(self, clients: dict, target: Target):
        client = clients[self.door]
        data = self.data(target) if self.data else None
        kwargs = {"headers": self.headers} if self.headers else {}
        if self.door == "api" and data is not None:
            kwargs["format"] = "json"
        if data is not None:
            return getattr(client, self.method)(self.url(target), data, **kwargs)
        return getattr(client, self.method)(self.url(target), **kwargs)


def _url(name: str, *args: Callable[[Target], int]) -> Callable[[Target], str]:
    return lambda t: reverse(name, args=[arg(t) for arg in args])


def _article(t: Target) -> int:
    return t.article


def _claim(name: str) -> Callable[[Target], int]:
    return lambda t: t.id(name)


def _versioned(name: str, **fields) -> Callable[[Target], dict]:
    return lambda t: {"version": t.version(name), **fields}


EDIT_FORM = {
    "statement": "Rewritten by someone of another desk.",
    "certainty": "alleged",
    "note": "",
    "intent": "save",
}
REVIEW = {
    "decision": "approve",
    "quote_checked": "on",
    "claimant_checked": "on",
    "sources_checked": "on",
}

ID_PROBES = [
    Probe("article reader", "page", "get", _url("article_reader", _article)),
    Probe("article revisions", "page", "get", _url("article_revisions", _article)),
    Probe(
        "revision diff",
        "page",
        "get",
        lambda t: reverse("revision_diff", args=[t.article]) + "?from=1&to=2",
    ),
    Probe("article edit page", "page", "get", _url("article_edit", _article)),
    Probe(
        "article edit",
        "page",
        "post",
        _url("article_edit", _article),
        lambda t: {"text": "Replaced by another desk.", "note": "", "base_revision": 2},
    ),
    Probe(
        "claim create",
        "page",
        "post",
        _url("claim_create", _article),
        lambda t: {"start": 0, "end": 8, "exact": "Albania'", **EDIT_FORM},
    ),
    *(
        Probe(f"claim detail ({name})", "page", "get", _url("claim_detail", _claim(name)))
        for name in ("draft", "submitted", "approved", "changes_requested", "rejected")
    ),
    Probe("claim edit page", "page", "get", _url("claim_edit", _claim("draft"))),
    Probe(
        "claim edit",
        "page",
        "post",
        _url("claim_edit", _claim("changes_requested")),
        _versioned("changes_requested", **EDIT_FORM),
    ),
    Probe(
        "claim submit", "page", "post", _url("claim_submit", _claim("draft")), _versioned("draft")
    ),
    Probe(
        "claim delete", "page", "post", _url("claim_delete", _claim("draft")), _versioned("draft")
    ),
    Probe(
        "review decide",
        "page",
        "post",
        _url("review_decide", _claim("submitted")),
        _versioned("submitted", **REVIEW),
    ),
    Probe(
        "review decide (JSON)",
        "page",
        "post",
        _url("review_decide", _claim("submitted")),
        _versioned("submitted", **REVIEW),
        headers={"accept": "application/json"},
    ),
    Probe("reattach page", "page", "get", _url("claim_reattach", _claim("orphaned"))),
    Probe(
        "reattach",
        "page",
        "post",
        _url("claim_reattach", _claim("orphaned")),
        _versioned("orphaned", start=0, end=7, exact="Albania"),
    ),
    Probe(
        "actor suggest",
        "page",
        "get",
        lambda t: reverse("actor_suggest") + f"?article={t.article}&start=0&end=7",
    ),
    Probe("API article", "api", "get", _url("v1:article-detail", _article)),
    Probe(
        "API article revise",
        "api",
        "patch",
        _url("v1:article-detail", _article),
        lambda t: {"text": "Replaced by another desk.", "revision": 2},
    ),
    Probe("API revisions", "api", "get", _url("v1:article-revision-list", _article)),
    Probe(
        "API revision",
        "api",
        "get",
        lambda t: reverse("v1:article-revision-detail", args=[t.article, 1]),
    ),
    *(
        Probe(f"API claim ({name})", "api", "get", _url("v1:claim-detail", _claim(name)))
        for name in ("draft", "submitted", "approved", "changes_requested", "rejected")
    ),
    Probe(
        "API claim edit",
        "api",
        "patch",
        _url("v1:claim-detail", _claim("changes_requested")),
        _versioned("changes_requested", statement="Rewritten by someone of another desk."),
    ),
    Probe(
        "API claim delete",
        "api",
        "delete",
        lambda t: (
            reverse("v1:claim-detail", args=[t.id("draft")]) + f"?version={t.version('draft')}"
        ),
    ),
    Probe(
        "API claim submit",
        "api",
        "post",
        _url("v1:claim-submit", _claim("draft")),
        _versioned("draft"),
    ),
    Probe(
        "API claim review",
        "api",
        "post",
        _url("v1:claim-review", _claim("submitted")),
        _versioned("submitted", decision="approve"),
    ),
    Probe("API claim events", "api", "get", _url("v1:claim-events", _claim("approved"))),
    Probe("API annotation", "api", "get", _url("v1:annotation-detail", _claim("approved"))),
]


def _answer(response) -> tuple[int, str | None]:
    code = None
    if response.get("Content-Type", "").startswith("application/json"):
        code = response.json().get("code")
    return response.status_code, code


def refusals_of(user, world: World, probes=ID_PROBES) -> list[str]:
    """Each probe sent with Balkans' ids and with unused ids: what differs from "not
    found, nothing changed", one line per probe."""
    clients = {"page": page_client(user), "api": api_client(user)}
    theirs = Target.of(world.b)
    nowhere = Target.unused(theirs)
    wrong = []
    for probe in probes:
        before = snapshot()
        response = probe.send(clients, theirs)
        changed = snapshot() != before
        unused = probe.send(clients, nowhere)
        got, expected = _answer(response), _answer(unused)
        if response.status_code != 404 or changed or got != expected:
            wrong.append(
                f"{probe.method.upper()} {probe.name}: got {got}"
                f"{' and changed data' if changed else ''}; an unused id gets {expected}"
            )
    return wrong


@pytest.mark.parametrize("roles", ROLE_SETS.values(), ids=ROLE_SETS.keys())
def test_another_projects_ids_are_not_found_and_change_nothing(main, world, roles):
    """Whatever the member may do in their own project, and before any check of what
    they may do: "forbidden" would tell them the object exists."""
    wrong = refusals_of(main_member(main, roles), world)
    assert not wrong, "\n".join(wrong)


def test_the_author_who_left_the_project_no_longer_reaches_their_claims(world):
    """Their own draft and the claim sent back to them were theirs to edit, submit and
    delete while they were a member."""
    wrong = refusals_of(world.leaver, world)
    assert not wrong, "\n".join(wrong)


def test_a_superuser_still_reaches_every_project(world, root):
    client = page_client(root)
    assert client.get(reverse("article_reader", args=[world.b.article.pk])).status_code == 200
    url = reverse("v1:claim-detail", args=[world.b.claims["approved"].pk])
    assert api_client(root).get(url).status_code == 200


@pytest.mark.parametrize("roles", [("researcher",), tuple(ROLES)], ids=["researcher", "every"])
def test_another_projects_article_in_a_new_claim_is_an_unknown_article(main, world, roles):
    client = api_client(main_member(main, roles))
    url = reverse("v1:claim-list")

    def create(article_id: int):
        return client.post(
            url,
            {
                "article": article_id,
                "start": 0,
                "end": 7,
                "exact": "Albania",
                "statement": "Albania said so.",
                "claimant": world.registry.claimant.pk,
                "certainty": "alleged",
            },
            format="json",
        )

    unused = Target.unused(Target.of(world.b)).article
    before = snapshot()
    theirs = create(world.b.article.pk)
    assert snapshot() == before
    never = create(unused)
    assert theirs.status_code == never.status_code == 400
    # The same answer, but for the id it names.
    named = json.dumps(theirs.json()).replace(f'\\"{world.b.article.pk}\\"', f'\\"{unused}\\"')
    assert json.loads(named) == never.json()
    assert theirs.json()["errors"][0]["field"] == "article"


# -- filters naming another project ------------------------------------------------------


def _export_ids(response) -> list[int]:
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line)["id"] for line in body.splitlines() if line.strip()]


def _annotation_ids(response) -> list[int]:
    body = response.json()
    first = body.get("first") or {}
    return [int(re.search(r"(\d+)$", iri).group(1)) for iri in first.get("items", [])]


EVERY_STATUS = "&".join(f"status={status}" for status in ClaimStatus.values)


@pytest.mark.parametrize("roles", ROLE_SETS.values(), ids=ROLE_SETS.keys())
def test_filters_naming_another_project_find_nothing(main, balkans, world, roles):
    user = main_member(main, roles)
    api = api_client(user)
    b_article = world.b.article.pk
    for query in (f"article={b_article}", f"project={balkans.pk}"):
        claims = api.get(f"{reverse('v1:claim-list')}?{query}")
        assert claims.status_code == 200 and claims.json()["results"] == [], query
        export = api.get(f"{reverse('v1:export-claims')}?format=jsonl&{EVERY_STATUS}&{query}")
        assert export.status_code == 200 and _export_ids(export) == [], query
        container = api.get(f"{reverse('v1:annotation-list')}?iris=1&{EVERY_STATUS}&{query}")
        assert container.status_code == 200 and container.json()["total"] == 0, query
    articles = api.get(f"{reverse('v1:article-list')}?project={balkans.pk}")
    assert articles.status_code == 200 and articles.json()["results"] == []

    page = page_client(user)
    orphaned = page.get(f"{reverse('orphaned_claims')}?article={b_article}")
    assert orphaned.status_code == 200
    assert orphaned.context["article"] is None
    assert orphaned.context["orphaned"].paginator.count == 0
    assert orphaned.context["fuzzy"].paginator.count == 0
    listed = page.get(f"{reverse('article_list')}?project=balkans")
    assert listed.status_code == 200
    assert [row["article"].pk for row in listed.context["rows"]] == [world.a.article.pk]
    assert "Balkans story" not in listed.content.decode()


# -- lists -------------------------------------------------------------------------------


def visible_in_a(world: World) -> set[int]:
    """What any member of Main desk reads there: every claim but the author's draft."""
    return world.a.ids() - {world.a.claims["draft"].pk}


def _claim_ids(page) -> set[int]:
    return {claim.pk for claim in page}


@pytest.mark.parametrize("roles", ROLE_SETS.values(), ids=ROLE_SETS.keys())
def test_lists_hold_only_the_members_projects(main, world, roles):
    user = main_member(main, roles)
    api, page = api_client(user), page_client(user)
    mine, theirs = visible_in_a(world), world.b.ids()
    registry = world.registry

    body = api.get(reverse("v1:article-list")).json()
    assert [item["id"] for item in body["results"]] == [world.a.article.pk]
    listed = page.get(reverse("article_list"))
    assert [row["article"].pk for row in listed.context["rows"]] == [world.a.article.pk]

    for query in (
        "",
        f"?actor={registry.accused.pk}",
        f"?claimant={registry.claimant.pk}",
        f"?source={registry.report.pk}",
        "?q=Iranian",
    ):
        body = api.get(reverse("v1:claim-list") + query).json()
        found = {item["id"] for item in body["results"]}
        assert found <= mine and not found & theirs, query
    assert {item["id"] for item in api.get(reverse("v1:claim-list")).json()["results"]} == mine

    export = api.get(f"{reverse('v1:export-claims')}?format=jsonl&{EVERY_STATUS}")
    assert set(_export_ids(export)) == mine
    container = api.get(f"{reverse('v1:annotation-list')}?iris=1&{EVERY_STATUS}")
    assert set(_annotation_ids(container)) == mine
    approved = api.get(reverse("v1:annotation-list")).json()
    assert approved["total"] == 1

    orphaned = page.get(reverse("orphaned_claims"))
    assert _claim_ids(orphaned.context["orphaned"]) == {world.a.claims["orphaned"].pk}

    actor = page.get(reverse("actor_detail", args=[registry.accused.pk]))
    for section in ("made", "about", "denials"):
        assert _claim_ids(actor.context[section]) <= mine, section
    assert _claim_ids(actor.context["about"]) == mine
    claimant = page.get(reverse("actor_detail", args=[registry.claimant.pk]))
    assert _claim_ids(claimant.context["made"]) == mine
    source = page.get(reverse("source_detail", args=[registry.report.pk]))
    assert _claim_ids(source.context["claims"]) == mine

    queue = page.get(reverse("review_queue"))
    if "reviewer" in roles:
        waiting = {world.a.claims["submitted"].pk, world.a.claims["orphaned"].pk}
        assert {item.claim.pk for item in queue.context["items"]} == waiting
    else:
        assert queue.status_code == 403


# -- counts ------------------------------------------------------------------------------


def test_the_review_queue_badge_counts_only_the_members_projects(main, world):
    user = main_member(main, ("reviewer",))
    page = page_client(user)
    # Balkans holds two claims waiting for review, Main desk two.
    assert Claim.objects.filter(status=ClaimStatus.SUBMITTED).count() == 4
    for url in (reverse("article_list"), reverse("review_queue"), reverse("project_list")):
        assert page.get(url).context["nav"]["queue_count"] == "2", url
    decided = page.post(
        reverse("review_decide", args=[world.a.claims["submitted"].pk]),
        {"version": world.a.claim("submitted").version, **REVIEW},
        headers={"accept": "application/json"},
    )
    assert decided.status_code == 200
    assert decided.json()["queue_count"] == 1


def test_article_claim_counts_count_only_the_members_projects(main, world):
    user = main_member(main, ("researcher",))
    body = api_client(user).get(reverse("v1:article-list")).json()
    (counts,) = [item["claim_counts"] for item in body["results"]]
    expected = Counter(
        Claim.objects.filter(pk__in=visible_in_a(world)).values_list("status", flat=True)
    )
    assert counts == {status: expected.get(status, 0) for status in ClaimStatus.values}
    detail = api_client(user).get(reverse("v1:article-detail", args=[world.a.article.pk]))
    assert detail.json()["claim_counts"] == counts
    listed = page_client(user).get(reverse("article_list"))
    (row,) = listed.context["rows"]
    assert row["total"] == sum(counts.values())


def test_actor_page_aggregates_count_only_the_members_projects(main, world):
    user = main_member(main, ("editor",))
    mine = Claim.objects.filter(pk__in=visible_in_a(world))
    response = page_client(user).get(reverse("actor_detail", args=[world.registry.accused.pk]))
    claims = response.context["claims"]
    assert claims.total == mine.count()
    assert claims.status_counts == dict(Counter(mine.values_list("status", flat=True)))
    assert claims.role_counts[ActorRole.ACCUSED] == mine.count()
    assert [row["claims"] for row in claims.accusations] == [mine.count()]
    claimant = page_client(user).get(reverse("actor_detail", args=[world.registry.claimant.pk]))
    assert claimant.context["claims"].role_counts["claimant"] == mine.count()
    assert claimant.context["made"].count == mine.count()


def test_source_page_counts_only_the_members_articles(main, world):
    """Both desks' articles come from the same outlet; a member of one desk learns
    nothing of the other's from the outlet's page."""
    user = main_member(main, ("researcher",))
    response = page_client(user).get(reverse("source_detail", args=[world.registry.outlet.pk]))
    assert Article.objects.filter(outlet=world.registry.outlet).count() == 2
    assert response.context["article_count"] == 1


# -- property: any layout of projects, members and claims --------------------------------

STATES = ("draft", "submitted", "approved", "changes_requested", "rejected")
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def layouts(draw):
    """Projects, users in some of them with one or more roles each, and per project claims in
    random states, each written by one of the project's researchers."""
    projects = draw(st.integers(min_value=1, max_value=3))
    users = draw(st.integers(min_value=1, max_value=4))
    roles = st.sets(st.sampled_from(ROLES), min_size=1, max_size=len(ROLES))
    memberships = draw(
        st.lists(
            st.lists(st.one_of(st.none(), roles), min_size=projects, max_size=projects),
            min_size=users,
            max_size=users,
        )
    )
    claims = draw(
        st.lists(
            st.lists(
                st.tuples(st.sampled_from(STATES), st.integers(min_value=0, max_value=users)),
                max_size=4,
            ),
            min_size=projects,
            max_size=projects,
        )
    )
    return memberships, claims


def build_layout(memberships, claims):
    """Make the layout; returns the users, and per project its article and claims with
    their authors. Each project has a writer and a reviewer of its own besides."""
    users = [UserFactory(username=f"user-{n}") for n in range(len(memberships))]
    built = []
    for index, plan in enumerate(claims):
        project = Project.objects.create(name=f"Desk {index}", slug=f"desk-{index}")
        writer, decider = (
            UserFactory(username=f"writer-{index}"),
            UserFactory(username=f"decider-{index}"),
        )
        member(project, writer, "researcher")
        member(project, decider, "reviewer")
        for user, roles in zip(users, (row[index] for row in memberships), strict=True):
            if roles is not None:
                member(project, user, *sorted(roles))
        researchers = [writer] + [
            user
            for user, row in zip(users, memberships, strict=True)
            if row[index] and "researcher" in row[index]
        ]
        built.append((project, decider, researchers, plan))
    desks = []
    for project, decider, researchers, plan in built:
        article = ArticleFactory(project=project)
        rows = []
        for state, pick in plan:
            author = fresh(researchers[pick % len(researchers)])
            claim = make_claim(author=author, article=article)
            if state != "draft":
                claim = submit(claim, author)
            if state == "approved":
                claim = decide(claim, decider, "approve")
            elif state == "changes_requested":
                claim = decide(claim, decider, "request_changes", comment="More.")
            elif state == "rejected":
                claim = decide(
                    claim, decider, "reject", reason="unsupported", comment="Unsupported."
                )
            rows.append((claim.pk, claim.status, author.pk))
        desks.append((project, article, rows))
    return users, memberships, desks


@PROPERTY_SETTINGS
@given(layout=layouts())
def test_every_member_sees_exactly_the_rows_of_their_projects(db, layout):
    with transaction.atomic():
        users, memberships, built = build_layout(*layout)
        for user, row in zip(users, memberships, strict=True):
            user = fresh(user)
            theirs = [desk for desk, roles in zip(built, row, strict=True) if roles is not None]
            reviewing = [
                desk
                for desk, roles in zip(built, row, strict=True)
                if roles is not None and "reviewer" in roles
            ]
            claims = {
                pk
                for _, _, rows in theirs
                for pk, status, author in rows
                if status != ClaimStatus.DRAFT or author == user.pk
            }
            queue = {
                pk
                for _, _, rows in reviewing
                for pk, status, author in rows
                if status == ClaimStatus.SUBMITTED and author != user.pk
            }
            api = api_client(user)
            listed = api.get(reverse("v1:claim-list") + "?page_size=200").json()
            assert {item["id"] for item in listed["results"]} == claims
            articles = api.get(reverse("v1:article-list") + "?page_size=200").json()
            assert {item["id"] for item in articles["results"]} == {a.pk for _, a, _ in theirs}
            response = page_client(user).get(reverse("review_queue"))
            if reviewing:
                assert {item.claim.pk for item in response.context["items"]} == queue
                assert response.context["nav"]["queue_count"] == str(len(queue))
            else:
                assert response.status_code == 403
        transaction.set_rollback(True)


# -- query counts ------------------------------------------------------------------------


def add_rows(desk: Desk, author, n: int, *, status: str) -> None:
    """`n` claims in `status` on a new article of the desk's project, written directly."""
    article = ArticleFactory(project=desk.project)
    revision = article.revisions.get()
    start = revision.text.index(ACCUSATION)
    now = timezone.now()
    Claim.objects.bulk_create(
        Claim(
            article=article,
            project_id=desk.project.pk,
            revision=revision,
            start=start,
            end=start + len(ACCUSATION),
            exact=ACCUSATION,
            statement=f"Row {index}",
            claimant=desk.claims["approved"].claimant,
            status=status,
            anchor_state=AnchorState.ANCHORED,
            version=2,
            author=author,
            submitted_at=now,
            review_round=1,
        )
        for index in range(n)
    )


def queries(client, url: str) -> int:
    client.get(url)  # the first request fills caches (session, mention index)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    ("door", "url"),
    [
        ("page", "article_list"),
        ("api", "v1:claim-list"),
        ("page", "review_queue"),
    ],
)
def test_query_counts_stay_the_same_when_rows_double(main, world, door, url):
    """Scoping by project must not cost a query per row: both desks grow, and the
    member's lists with them."""
    user = main_member(main, tuple(ROLES))
    author = get_user_model().objects.get(username="a-author")
    client = page_client(user) if door == "page" else api_client(user)
    target = reverse(url)
    for desk in (world.a, world.b):
        add_rows(desk, author, 3, status=ClaimStatus.SUBMITTED)
    before = queries(client, target)
    for desk in (world.a, world.b):
        for _ in range(2):
            add_rows(desk, author, 3, status=ClaimStatus.SUBMITTED)
    assert queries(client, target) == before
