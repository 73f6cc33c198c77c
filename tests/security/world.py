"""One small desk with a user per role and an object in each state, and a second desk
beside it, built through the services: what the permission matrix, the header checks
and the fault tests need.

The world's desk is Main desk. `author` is a researcher there who owns the claims;
`researcher` is another researcher, the "same role, not the author" case; `reviewer`
and `editor` hold that one role; `manager` is a member who only manages the desk.
`superuser` owns one submitted claim of their own, so that self-review is tried with
every power.

Two users stand outside the world's desk. `other` holds every role in a second desk
(with an article and a submitted claim of their own there) and every global role group
too, so that only the separation of projects keeps them out of the world's desk. `none`
is logged in and a member of no project.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractUser

from accounts.models import ApiToken
from accounts.services import token_create
from annotations.models import Actor, Claim, ClaimRelation
from annotations.roles import sync_role_groups
from annotations.services.claims import SourceLink, claim_create, claim_submit
from annotations.services.relations import relation_add
from annotations.services.revisions import article_revise
from articles.models import Article, Source
from articles.services import article_create
from projects import access
from projects.models import Membership, Project
from tests.factories import ARTICLE_TEXT, ActorFactory, UserFactory, main_desk

PASSWORD = "correct-horse-battery"
ROLES = (
    "anon",
    "author",
    "researcher",
    "reviewer",
    "editor",
    "manager",
    "superuser",
    "other",
    "none",
)
QUOTE = "the Iranian state was behind the July cyberattacks"
DENIAL = "Tehran rejected the accusation as baseless"
# The second desk's article: nothing in it appears in the world's article.
OTHER_TEXT = (
    "Kosovo's president said the border election was fair and free.\n\n"
    "The opposition disputed the count in two districts."
)
OTHER_QUOTE = "the border election was fair and free"


@dataclass
class World:
    users: dict[str, AbstractUser | None] = field(default_factory=dict)
    project: Project | None = None  # the world's desk
    other_project: Project | None = None  # the `other` user's desk
    other_article: Article | None = None
    other_claim: Claim | None = None  # submitted, by `other`, in their desk
    article: Article | None = None
    orphan_article: Article | None = None
    actor: Actor | None = None
    other_actor: Actor | None = None
    source: Source | None = None
    draft: Claim | None = None
    submitted: Claim | None = None
    superuser_submitted: Claim | None = None
    orphaned: Claim | None = None
    relation: ClaimRelation | None = None  # the draft denies the submitted claim
    token: ApiToken | None = None  # the author's

    def claim_kwargs(self, claim: Claim) -> dict:
        return {
            "version": claim.version,
            "statement": "Edited: " + claim.statement,
            "claimant": claim.claimant_id,
            "certainty": claim.certainty,
        }


def ensure_roles() -> None:
    """Create the role groups as the data migration does. A transactional test's flush
    empties every table, the groups included, and nothing migrates them back."""
    sync_role_groups()


def make_users() -> dict[str, AbstractUser | None]:
    users = {
        "anon": None,
        "author": UserFactory(username="sec-author", roles=["researcher"]),
        "researcher": UserFactory(username="sec-researcher", roles=["researcher"]),
        "reviewer": UserFactory(username="sec-reviewer", roles=["reviewer"]),
        "editor": UserFactory(username="sec-editor", roles=["editor"]),
        "manager": UserFactory(username="sec-manager"),
        "superuser": UserFactory(username="sec-root"),
        # Every global group (the factory also makes them members of Main desk, which
        # `make_desks` undoes).
        "other": UserFactory(username="sec-other", roles=["researcher", "reviewer", "editor"]),
        "none": UserFactory(username="sec-none"),
    }
    root = users["superuser"]
    root.is_superuser = root.is_staff = True
    root.save()
    return users


def make_desks(users: dict[str, AbstractUser | None]) -> tuple[Project, Project]:
    """The world's desk with its manager, and the second desk where `other` holds every
    role and which nobody else belongs to."""
    desk = main_desk()
    Membership.objects.create(project=desk, user=users["manager"], is_manager=True)
    other = users["other"]
    Membership.objects.filter(user=other).delete()
    elsewhere = Project.objects.create(name="Other desk", slug="other-desk")
    Membership.objects.create(
        project=elsewhere,
        user=other,
        is_researcher=True,
        is_reviewer=True,
        is_editor=True,
        is_manager=True,
    )
    for user in users.values():
        access.forget(user)
    return desk, elsewhere


def _claim(*, user, article, exact, claimant, source=None, statement="A claim.") -> Claim:
    text = article.revisions.order_by("-number").first().text
    start = text.index(exact)
    return claim_create(
        user=user,
        article=article,
        start=start,
        end=start + len(exact),
        exact=exact,
        statement=statement,
        claimant_id=claimant.pk,
        sources=[SourceLink(source_id=source.pk, locator="p. 1")] if source else [],
    )


def build_world() -> World:
    world = World(users=make_users())
    world.project, world.other_project = make_desks(world.users)
    author, root = world.users["author"], world.users["superuser"]
    world.source = Source.objects.create(name="Sec outlet", kind="outlet")
    world.actor = ActorFactory(name="Edi Rama")
    world.other_actor = ActorFactory(name="Iran", kind="state")
    world.article = article_create(
        user=author, title="Albania cuts ties", text=ARTICLE_TEXT, outlet=world.source
    )
    world.draft = _claim(
        user=author, article=world.article, exact=QUOTE, claimant=world.actor, source=world.source
    )
    submitted = _claim(user=author, article=world.article, exact=DENIAL, claimant=world.other_actor)
    world.submitted = claim_submit(user=author, claim_id=submitted.pk, version=submitted.version)
    own = _claim(user=root, article=world.article, exact="Washington", claimant=world.actor)
    world.superuser_submitted = claim_submit(user=root, claim_id=own.pk, version=own.version)

    # A submitted claim whose passage a later revision removed: orphaned.
    world.orphan_article = article_create(
        user=author,
        title="Sanctions",
        text="Washington announced sanctions on the ministry.\n\nA second paragraph.",
    )
    orphan = _claim(
        user=author,
        article=world.orphan_article,
        exact="announced sanctions on the ministry",
        claimant=world.actor,
    )
    claim_submit(user=author, claim_id=orphan.pk, version=orphan.version)
    article_revise(
        user=author,
        article_id=world.orphan_article.pk,
        text="Something else entirely.\n\nA second paragraph.",
    )
    world.orphaned = Claim.objects.get(pk=orphan.pk)
    assert world.orphaned.anchor_state == "orphaned", world.orphaned.anchor_state
    # The second desk: an article and a submitted claim of `other`'s own.
    other = world.users["other"]
    world.other_article = article_create(
        user=other, title="Kosovo votes", text=OTHER_TEXT, project=world.other_project
    )
    mine = _claim(
        user=other,
        article=world.other_article,
        exact=OTHER_QUOTE,
        claimant=world.actor,
        source=world.source,
        statement="The election was fair.",
    )
    world.other_claim = claim_submit(user=other, claim_id=mine.pk, version=mine.version)
    assert world.article.project_id == world.project.pk, "the world's articles are in its desk"
    world.relation = relation_add(
        user=author, claim_id=world.draft.pk, kind="denies", to_claim_id=world.submitted.pk
    )
    for name in ("draft", "submitted", "superuser_submitted", "other_claim"):
        getattr(world, name).refresh_from_db()
    world.token, _key = token_create(user=world.users["author"], name="author's script")
    return world
