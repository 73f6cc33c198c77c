"""Faults leave nothing half-done: a database lost mid-request answers 503 and rolls
back, an interrupted import leaves no article, and a backup restores what it saved.

The fault tests run outside the test's own transaction (`transaction=True`), so that a
rollback is the real one; `roles` puts back the role groups that the flush between such
tests removes.
"""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.claim_counts import fresh_counts, kept_counts
from annotations.models import (
    Actor,
    ActorAlias,
    Claim,
    ClaimActor,
    ClaimEvent,
    ClaimRelation,
    ClaimSource,
    Review,
)
from annotations.services import claims as claim_services
from articles import services as article_services
from articles.models import Article, ArticleRevision, Source
from tests.factories import ARTICLE_TEXT, ActorFactory, ArticleFactory, UserFactory, make_claim
from tests.security.world import ensure_roles

QUOTE = "the Iranian state was behind the July cyberattacks"


@pytest.fixture
def roles(transactional_db):
    ensure_roles()


@pytest.fixture
def researcher(roles):
    return UserFactory(username="rita", roles=["researcher"])


def _lose_the_database_after_the_first_write(*args, **kwargs):
    """Stands in for the step after the claim row is written: the server goes away."""
    raise OperationalError("server closed the connection unexpectedly")


def _claim_input(article, claimant) -> dict:
    start = ARTICLE_TEXT.index(QUOTE)
    return {
        "start": start,
        "end": start + len(QUOTE),
        "exact": QUOTE,
        "statement": "Iran did it.",
        "claimant": claimant.pk,
        "certainty": "asserted",
    }


def _counts() -> tuple[int, int]:
    return Claim.objects.count(), ClaimEvent.objects.count()


@pytest.mark.django_db(transaction=True)
def test_api_answers_503_and_keeps_no_half_written_claim(researcher, quiet_request_log):
    article, claimant = ArticleFactory(), ActorFactory()
    before = _counts()
    client = APIClient()
    client.force_authenticate(researcher)
    with mock.patch.object(
        claim_services, "_replace_links", side_effect=_lose_the_database_after_the_first_write
    ):
        response = client.post(
            reverse("v1:claim-list"), {**_claim_input(article, claimant), "article": article.pk}
        )
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()
    assert body["code"] == "service_unavailable" and body["errors"] == []
    assert _counts() == before


@pytest.mark.django_db(transaction=True)
def test_page_answers_503_with_a_clean_page_and_keeps_no_half_written_claim(
    researcher, quiet_request_log
):
    article, claimant = ArticleFactory(), ActorFactory()
    revision = article.revisions.get()
    before = _counts()
    client = Client()
    client.force_login(researcher)
    with mock.patch.object(
        claim_services, "_replace_links", side_effect=_lose_the_database_after_the_first_write
    ):
        response = client.post(
            reverse("claim_create", args=[article.pk]),
            {**_claim_input(article, claimant), "revision": revision.pk},
        )
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Temporarily unavailable" in response.content
    assert "Content-Security-Policy" in response
    assert b"Traceback" not in response.content
    assert _counts() == before


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_transaction_answers_503_and_rolls_back(
    researcher, quiet_request_log
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the server ends our own session")
    article, claimant = ArticleFactory(), ActorFactory()
    before = _counts()

    def kill_own_session(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    client = APIClient()
    client.force_authenticate(researcher)
    with mock.patch.object(claim_services, "_replace_links", side_effect=kill_own_session):
        response = client.post(
            reverse("v1:claim-list"), {**_claim_input(article, claimant), "article": article.pk}
        )
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    connection.close_if_unusable_or_obsolete()
    assert _counts() == before


def _fail_revision(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db(transaction=True)
def test_an_import_interrupted_half_way_leaves_no_article_and_no_outlet(researcher):
    articles, sources = Article.objects.count(), Source.objects.count()
    with (
        mock.patch.object(article_services.ArticleRevision.objects, "create", _fail_revision),
        pytest.raises(OperationalError),
    ):
        article_services.article_import(
            user=researcher,
            title="Half-way",
            text="A text that never arrives whole.",
            outlet_name="A brand new outlet",
        )
    assert Article.objects.count() == articles
    assert Source.objects.count() == sources
    assert not ArticleRevision.objects.filter(article__title="Half-way").exists()


@pytest.mark.django_db(transaction=True)
def test_an_api_import_interrupted_half_way_answers_503_and_leaves_no_article(
    researcher, quiet_request_log
):
    client = APIClient()
    client.force_authenticate(researcher)
    with mock.patch.object(article_services.ArticleRevision.objects, "create", _fail_revision):
        response = client.post(
            reverse("v1:article-list"), {"title": "Half-way", "text": "Never whole."}
        )
    assert response.status_code == 503
    assert not Article.objects.filter(title="Half-way").exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_import_interrupted_half_way_answers_503_and_leaves_no_article(
    researcher, quiet_request_log
):
    client = Client()
    client.force_login(researcher)
    fields = {"title": "Half-way", "text": "Never whole.", "outlet": "Fresh outlet"}
    preview = client.post(reverse("article_import"), {**fields, "intent": "preview"})
    assert preview.status_code == 200
    previewed = preview.context["previewed"]
    with mock.patch.object(article_services.ArticleRevision.objects, "create", _fail_revision):
        response = client.post(
            reverse("article_import"), {**fields, "intent": "save", "previewed": previewed}
        )
    assert response.status_code == 503
    assert not Article.objects.filter(title="Half-way").exists()
    assert not Source.objects.filter(name="Fresh outlet").exists()


# -- backup and restore --------------------------------------------------------------------

KEPT = [
    Group,
    Source,
    Article,
    ArticleRevision,
    Actor,
    ActorAlias,
    Claim,
    ClaimActor,
    ClaimSource,
    ClaimRelation,
    Review,
    ClaimEvent,
]


def full_dump() -> dict[str, list[dict]]:
    """Every row of every kept model, every field, users and groups by name."""
    from django.contrib.auth import get_user_model

    dump = {}
    for model in [get_user_model(), *KEPT]:
        rows = serializers.serialize(
            "python",
            model._default_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        dump[model._meta.label] = rows
    return dump


# Outside a transaction, as an operator runs the commands (and PostgreSQL will not
# TRUNCATE tables with constraint checks still pending in an open transaction).
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_identically(tmp_path, researcher):
    call_command("seed_demo", verbosity=0)
    # A deleted draft: its events stay, pointing at a claim that is gone.
    gone = make_claim(author=researcher, article=ArticleFactory())
    claim_services.claim_delete(user=researcher, claim_id=gone.pk, version=gone.version)
    before = full_dump()
    assert len(before["annotations.ClaimEvent"]) > len(before["annotations.Claim"]) > 3
    assert len(before["articles.ArticleRevision"]) >= len(before["articles.Article"]) > 0

    backup = tmp_path / "claimdesk.json.gz"
    call_command("backup", str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Claim.objects.exists() and not ClaimEvent.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert full_dump() == before
    # The kept counts are not in the backup: the triggers counted the claims as they loaded.
    assert kept_counts() == fresh_counts() != {}
    # The id sequences moved past the restored rows: new work gets fresh ids.
    article = Article.objects.first()
    author = Claim.objects.first().author
    author.groups.add(Group.objects.get(name="researcher"))
    text = article.revisions.order_by("-number").first().text
    exact = text.split(" ")[0]
    fresh = claim_services.claim_create(
        user=author,
        article=article,
        start=0,
        end=len(exact),
        exact=exact,
        statement="After the restore.",
        claimant_id=Actor.objects.first().pk,
    )
    assert fresh.pk > max(row["pk"] for row in before["annotations.Claim"])


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_work(tmp_path, draft_claim):
    backup = tmp_path / "claimdesk.json"
    call_command("backup", str(backup), verbosity=0)
    claims = Claim.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), verbosity=0)
    assert Claim.objects.count() == claims


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_half_way_loads_nothing(tmp_path, researcher):
    """The restore is one transaction: a file that breaks after its first rows leaves
    the database as empty as it was."""
    make_claim(author=researcher, article=ArticleFactory())
    backup = tmp_path / "claimdesk.json"
    call_command("backup", str(backup), verbosity=0)
    rows = json.loads(backup.read_text(encoding="utf-8"))
    backup.write_text(
        json.dumps([*rows, {"model": "nowhere.nothing", "fields": {}}]), encoding="utf-8"
    )
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(DeserializationError, match=r"nowhere\.nothing"):
        call_command("restore", str(backup), verbosity=0)
    assert not get_user_model().objects.exists()
    assert not Article.objects.exists() and not Source.objects.exists()
    assert not Claim.objects.exists() and not ClaimEvent.objects.exists()


def test_backup_names_must_say_json(tmp_path):
    with pytest.raises(CommandError, match=r"\.json"):
        call_command("backup", str(tmp_path / "claimdesk.dump"), verbosity=0)
