"""factory_boy factories. Claims are built through the service so that the anchor,
the links and the first audit event are what a real claim has."""

import factory
from django.contrib.auth import get_user_model

from annotations.models import Actor, ActorAlias, ActorKind, Certainty
from annotations.roles import ROLES as GLOBAL_ROLES
from annotations.roles import grant_roles
from articles.models import Article, ArticleRevision, Source, SourceKind
from projects.models import Membership, Project
from projects.roles import ROLE_FIELDS

MAIN_DESK = {"slug": "main", "name": "Main desk"}


def main_desk() -> Project:
    """The project the migration makes; a transactional test may have flushed it."""
    return Project.objects.get_or_create(slug=MAIN_DESK["slug"], defaults=MAIN_DESK)[0]


ARTICLE_TEXT = (
    "Albania's prime minister Edi Rama said on Wednesday that an investigation had shown "
    "the Iranian state was behind the July cyberattacks on government services.\n\n"
    "Tehran rejected the accusation as baseless and said Iran had never attacked Albania.\n\n"
    "Washington announced sanctions on Iran's Ministry of Intelligence for its alleged role."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # Project-only roles (manager) have no group; any other name must be a
            # group's, and grant_roles refuses one that is not.
            grant_roles(
                self,
                [role for role in extracted if role not in ROLE_FIELDS or role in GLOBAL_ROLES],
            )
            # As the migration did for every member of a role group: the same roles in
            # Main desk.
            project_roles = {ROLE_FIELDS[role]: True for role in extracted if role in ROLE_FIELDS}
            if project_roles:
                Membership.objects.update_or_create(
                    user=self, project=main_desk(), defaults=project_roles
                )
        if create:
            self.save()


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.OUTLET


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    text = factory.Sequence(lambda n: f"{ARTICLE_TEXT}\n\nParagraph {n}.")
    outlet = None
    project = factory.LazyFunction(main_desk)

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        if create:
            ArticleRevision.objects.create(article=self, number=1, text=self.text, note="First")


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = ActorKind.PERSON

    @factory.post_generation
    def aliases(self, create, extracted, **kwargs):
        if create and extracted:
            for alias in extracted:
                ActorAlias.objects.create(actor=self, name=alias)


def make_claim(
    *,
    author,
    article=None,
    exact="the Iranian state was behind the July cyberattacks",
    statement="The Iranian state carried out the July cyberattacks on Albania.",
    claimant=None,
    actors=(),
    sources=(),
    certainty=Certainty.ASSERTED,
    occurrence=0,
):
    """Create a draft claim through the service, anchored on `exact` in the article."""
    from annotations.services.claims import ActorLink, SourceLink, claim_create

    article = article or ArticleFactory()
    text = article.revisions.order_by("-number").first().text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(exact, start + 1)
    return claim_create(
        user=author,
        article=article,
        start=start,
        end=start + len(exact),
        exact=exact,
        statement=statement,
        claimant_id=(claimant or ActorFactory()).pk,
        certainty=certainty,
        actors=[ActorLink(actor_id=a.pk, role=role) for a, role in actors],
        sources=[SourceLink(source_id=s.pk, locator=loc) for s, loc in sources],
    )


def require_approvals(settings, count: int) -> None:
    """Set the site's default and every project's number of approvals to `count`, as a
    desk that asks for `count` reviewers would."""
    settings.REQUIRED_APPROVALS = count
    main_desk()
    Project.objects.update(required_approvals=count)
