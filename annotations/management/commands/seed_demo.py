"""`python manage.py seed_demo`: the demo desk, created through the services. Idempotent."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from annotations import demo_data
from annotations.models import Actor, ActorAlias, Claim
from annotations.roles import grant_roles
from annotations.services.claims import (
    ActorLink,
    MarkedSpan,
    SourceLink,
    claim_create,
    claim_submit,
)
from annotations.services.relations import RelationLink
from annotations.services.reviews import review_decide
from articles.models import Article, Source
from articles.services import article_create
from projects.models import Project
from projects.services import membership_remove, membership_set, project_create, project_update


class Command(BaseCommand):
    help = "Create demo users, actors, sources, articles and claims in every workflow state."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = self._users()
            projects = self._projects(users)
            actors = self._actors()
            sources = self._sources()
            articles = self._articles(users, projects, sources)
            created = self._claims(users, actors, sources, articles)
        self.stdout.write(self.style.SUCCESS(f"Demo ready ({created} new claims)."))
        self.stdout.write(f"Demo logins (password for all: {demo_data.PASSWORD}):")
        for username, groups, superuser in demo_data.USERS:
            role = "superuser" if superuser else ", ".join(groups)
            self.stdout.write(f"  {username:<8} {role}")
        self.stdout.write("Projects:")
        for project in demo_data.PROJECTS:
            members = ", ".join(
                f"{name} ({'+'.join(roles)})" for name, roles in project["members"].items()
            )
            self.stdout.write(f"  {project['slug']:<8} {project['name']}: {members}")

    def _users(self):
        User = get_user_model()
        users = {}
        for username, groups, superuser in demo_data.USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@demo.claimdesk.example"},
            )
            if created:
                user.set_password(demo_data.PASSWORD)
                user.is_superuser = user.is_staff = superuser
                user.save()
                grant_roles(user, groups)
            users[username] = user
        return users

    def _projects(self, users):
        """Both desks and their members, through the project services, acting as the
        demo's superuser (who leaves the desk it had to create to manage it)."""
        admin = users["admin"]
        projects = {}
        for data in demo_data.PROJECTS:
            fields = {"description": data["description"], "guidelines": data["guidelines"]}
            project = Project.objects.filter(slug=data["slug"]).first()
            if project is None:
                project = project_create(user=admin, name=data["name"], slug=data["slug"], **fields)
            else:
                project = project_update(user=admin, project=project, **fields)
            for username, roles in data["members"].items():
                membership_set(user=admin, project=project, username=username, roles=roles)
            own = project.memberships.filter(user=admin).first()
            if own is not None:
                membership_remove(user=admin, membership=own)
            projects[data["slug"]] = project
        return projects

    def _actors(self):
        actors = {}
        for name, kind, aliases, parent, wikidata, description in demo_data.ACTORS:
            actor, _ = Actor.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "parent": actors.get(parent),
                    "wikidata_id": wikidata,
                    "description": description,
                },
            )
            for alias in aliases:
                if not actor.aliases.filter(name=alias).exists():
                    ActorAlias.objects.create(actor=actor, name=alias)
            actors[name] = actor
        return actors

    def _sources(self):
        sources = {}
        for name, kind, url, publisher in demo_data.SOURCES:
            source, _ = Source.objects.get_or_create(
                name=name, defaults={"kind": kind, "url": url, "publisher": publisher}
            )
            sources[name] = source
        return sources

    def _articles(self, users, projects, sources):
        outlet = sources["Claimdesk demo wire"]
        articles = {}
        for data in demo_data.ARTICLES:
            article = Article.objects.filter(url=data["url"]).first()
            if article is None:
                project = projects[data.get("project", "main")]
                article = article_create(
                    user=users["admin"],
                    project=project,
                    title=data["title"],
                    text=data["text"],
                    url=data["url"],
                    outlet=outlet,
                    byline=data["byline"],
                    published=dt.date.fromisoformat(data["published"]),
                    note="Demo article",
                )
            articles[data["key"]] = article
        return articles

    def _claims(self, users, actors, sources, articles):
        created = 0
        for data in demo_data.CLAIMS:
            article = articles[data["article"]]
            if Claim.objects.filter(article=article, statement=data["statement"]).exists():
                continue
            author = users[data["author"]]
            text = article.text
            start = text.index(data["exact"])
            claim = claim_create(
                user=author,
                article=article,
                start=start,
                end=start + len(data["exact"]),
                exact=data["exact"],
                statement=data["statement"],
                claimant_id=actors[data["claimant"]].pk,
                certainty=data["certainty"],
                actors=[ActorLink(actor_id=actors[n].pk, role=r) for n, r in data["actors"]],
                sources=[
                    SourceLink(source_id=sources[n].pk, locator=loc) for n, loc in data["sources"]
                ],
                relations=[
                    RelationLink(kind, self._claim_quoting(article, exact).pk)
                    for kind, exact in data.get("relations", ())
                ],
                cue=self._words_before(text, data.get("cue"), start + len(data["exact"])),
                source_mention=self._words_before(
                    text, data.get("source"), start + len(data["exact"])
                ),
            )
            created += 1
            for step in data["path"]:
                if step == "submit":
                    claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
                    continue
                decision, reviewer, extra = step
                claim = review_decide(
                    user=users[reviewer],
                    claim_id=claim.pk,
                    version=claim.version,
                    decision=decision,
                    **extra,
                )
        return created

    @staticmethod
    def _words_before(text: str, words: str | None, end: int) -> MarkedSpan | None:
        """The occurrence of `words` nearest before `end` (the passage's end), or None."""
        if not words:
            return None
        start = text.rfind(words, 0, end)
        return MarkedSpan(start, start + len(words), words) if start != -1 else None

    @staticmethod
    def _claim_quoting(article, exact: str) -> Claim:
        """The demo claim of the article's desk that quotes `exact` (made before it)."""
        return Claim.objects.filter(project_id=article.project_id, exact=exact).earliest("id")
