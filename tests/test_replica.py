"""The read replica: which reads may lag, and that everything else stays on the primary.

The router's rules are tested on their own on every database. Through the views they are
tested on PostgreSQL, where the suite configures a replica (`tests/environment.py`) that
Django makes a test mirror: a second connection to the test database. Those tests commit
their rows (`transaction=True`), as a replica only ever sees committed rows.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connections, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from annotations.models import Claim
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from articles.models import Source, SourceKind
from claimdesk import replica
from tests.conftest import REPO
from tests.factories import ActorFactory, ArticleFactory, UserFactory, main_desk, make_claim

SETTINGS = REPO / "config" / "settings.py"


@pytest.fixture
def router(monkeypatch):
    """The router as it decides when the replica alias exists, on any database."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    return replica.PrimaryReplicaRouter()


# -- the rules ---------------------------------------------------------------------------


def test_reads_go_to_the_primary_unless_a_block_allows_lag(router):
    assert router.db_for_read(Claim) == "default"
    with replica.reads_from_replica():
        assert router.db_for_read(Claim) == "replica"
        assert router.db_for_read(Source) == "replica"
    assert router.db_for_read(Claim) == "default"


def test_writes_and_migrations_go_to_the_primary_even_where_reads_may_lag(router):
    with replica.reads_from_replica():
        assert router.db_for_write(Claim) == "default"
    assert router.allow_migrate("default", "annotations") is True
    assert router.allow_migrate("replica", "annotations") is False


@pytest.mark.parametrize("model", [get_user_model(), ApiToken, Session])
def test_who_is_asking_is_always_read_from_the_primary(router, model):
    with replica.reads_from_replica():
        assert router.db_for_read(model) == "default"


def test_a_related_object_is_read_where_its_instance_came_from(router):
    claim = Claim()
    claim._state.db = "default"
    with replica.reads_from_replica():
        assert router.db_for_read(Source, instance=claim) == "default"


def test_a_write_keeps_the_later_reads_of_the_unit_of_work_on_the_primary(router):
    with replica.unit_of_work():
        with replica.reads_from_replica():
            assert router.db_for_read(Claim) == "replica"
        replica.record_write(sender=Claim)
        with replica.reads_from_replica():
            assert router.db_for_read(Claim) == "default"
    with replica.unit_of_work(), replica.reads_from_replica():
        assert router.db_for_read(Claim) == "replica"


def test_a_login_or_a_session_is_no_write_that_pins(router):
    with replica.unit_of_work():
        replica.record_write(sender=get_user_model())
        replica.record_write(sender=Session)
        with replica.reads_from_replica():
            assert router.db_for_read(Claim) == "replica"


def test_a_pinned_request_reads_the_primary_throughout(router):
    with replica.unit_of_work(pinned=True), replica.reads_from_replica():
        assert router.db_for_read(Claim) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(router):
    with replica.reads_from_replica():
        assert router.db_for_read(Claim) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Claim) == "default"


def test_without_a_replica_every_read_is_on_the_primary(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    router = replica.PrimaryReplicaRouter()
    with replica.reads_from_replica():
        assert router.db_for_read(Claim) == "default"


def test_a_streamed_answer_reads_from_the_replica_while_it_streams():
    def chunks():
        for _ in range(3):
            yield f"{replica.reads_may_lag()}\n"

    @replica.lag_tolerant
    def view(request):
        return StreamingHttpResponse(chunks())

    response = view(None)
    assert not replica.reads_may_lag()
    assert b"".join(response.streaming_content) == b"True\nTrue\nTrue\n"

    with replica.unit_of_work(pinned=True):
        response = view(None)
    assert b"".join(response.streaming_content) == b"False\nFalse\nFalse\n"


# -- the middleware ----------------------------------------------------------------------


def _through_middleware(request, *, status=200, write=False):
    seen = {}

    def view(request):
        with replica.reads_from_replica():
            seen["may_lag"] = replica.reads_may_lag()
        if write:
            replica.record_write(sender=Claim)
        return HttpResponse(status=status)

    response = replica.ReadYourWritesMiddleware(view)(request)
    return response, seen["may_lag"]


def test_a_read_may_lag_and_leaves_no_mark():
    response, may_lag = _through_middleware(RequestFactory().get("/"))
    assert may_lag
    assert replica.STICKY_COOKIE not in response.cookies


def test_a_successful_write_request_reads_the_primary_and_marks_the_client():
    response, may_lag = _through_middleware(RequestFactory().post("/"), status=201)
    assert not may_lag
    cookie = response.cookies[replica.STICKY_COOKIE]
    assert cookie["max-age"] == replica.STICKY_SECONDS
    assert cookie["httponly"]


def test_a_refused_write_request_leaves_no_mark():
    response, _ = _through_middleware(RequestFactory().post("/"), status=400)
    assert replica.STICKY_COOKIE not in response.cookies


def test_a_read_that_wrote_marks_the_client():
    response, _ = _through_middleware(RequestFactory().get("/"), write=True)
    assert replica.STICKY_COOKIE in response.cookies


def test_the_request_after_a_write_reads_the_primary():
    request = RequestFactory().get("/")
    request.COOKIES[replica.STICKY_COOKIE] = "1"
    response, may_lag = _through_middleware(request)
    assert not may_lag
    # The mark is not renewed by reading: it ends a few seconds after the write.
    assert replica.STICKY_COOKIE not in response.cookies


# -- the settings ------------------------------------------------------------------------


def _settings(monkeypatch, **environ) -> dict:
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_a_replica_url_there_is_no_replica(monkeypatch):
    found = _settings(monkeypatch, DATABASE_URL="postgres://u@db:5432/claimdesk")
    assert set(found["DATABASES"]) == {"default"}
    assert "DATABASE_ROUTERS" not in found
    assert "claimdesk.replica.ReadYourWritesMiddleware" not in found["MIDDLEWARE"]


def test_a_replica_url_adds_a_mirrored_alias_its_router_and_middleware(monkeypatch):
    found = _settings(
        monkeypatch,
        DATABASE_URL="postgres://u@primary:5432/claimdesk",
        DATABASE_REPLICA_URL="postgres://reader:pw@replica:5432/claimdesk",
    )
    alias = found["DATABASES"]["replica"]
    assert (alias["HOST"], alias["USER"]) == ("replica", "reader")
    assert alias["TEST"] == {"MIRROR": "default"}
    assert found["DATABASE_ROUTERS"] == ["claimdesk.replica.PrimaryReplicaRouter"]
    middleware = found["MIDDLEWARE"]
    assert middleware.index("claimdesk.replica.ReadYourWritesMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    # The URL, password included, is not kept as a setting.
    assert not any("REPLICA_URL" in name for name in found if name.isupper())


def test_a_replica_needs_a_postgresql_primary(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        _settings(monkeypatch, DATABASE_REPLICA_URL="postgres://u@replica:5432/claimdesk")


# -- through the views, on PostgreSQL ----------------------------------------------------

needs_replica = pytest.mark.skipif(
    "replica" not in settings.DATABASES,
    reason="no read replica configured: the suite configures one on PostgreSQL only",
)
through_replica = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def desk():
    """Committed rows: an approved claim, a draft, and the users who made them."""
    author = UserFactory(username="replica-researcher", roles=["researcher", "editor"])
    reviewer = UserFactory(username="replica-reviewer", roles=["reviewer"])
    claim = make_claim(author=author, article=ArticleFactory(), claimant=ActorFactory())
    claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
    approved = review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
    )
    return {"author": author, "approved": approved, "draft": make_claim(author=author)}


class Queries:
    """The queries each connection ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def touching(captured, table: str) -> list[str]:
        return [q["sql"] for q in captured.captured_queries if f'"{table}"' in q["sql"]]


LAG_TOLERANT = [
    ("v1:claim-list", {}, "annotations_claim"),
    ("v1:article-list", {}, "articles_article"),
    ("v1:actor-list", {}, "annotations_actor"),
    ("v1:source-list", {}, "articles_source"),
    ("v1:annotation-list", {}, "annotations_claim"),
    ("v1:export-claims", {"format": "jsonl"}, "annotations_claim"),
]


@needs_replica
@through_replica
@pytest.mark.parametrize(
    ("name", "params", "table"), LAG_TOLERANT, ids=[n.removeprefix("v1:") for n, *_ in LAG_TOLERANT]
)
def test_lag_tolerant_lists_read_from_the_replica(desk, name, params, table):
    client = APIClient()
    client.force_authenticate(desk["author"])
    with Queries() as queries:
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body  # the mirror sees the committed rows
    assert queries.touching(queries.replica, table)
    assert not queries.touching(queries.primary, table)


@needs_replica
@through_replica
def test_a_projects_annotation_container_reads_from_the_replica(desk):
    client = APIClient()
    client.force_authenticate(desk["author"])
    with Queries() as queries:
        response = client.get(reverse("v1:project-annotation-list", args=[main_desk().pk]))
    assert response.status_code == 200
    assert response.json()["total"] == 1
    assert queries.touching(queries.replica, "annotations_claim")
    assert not queries.touching(queries.primary, "annotations_claim")


@needs_replica
@through_replica
def test_the_article_list_page_reads_from_the_replica(desk, client):
    client.force_login(desk["author"])
    with Queries() as queries:
        response = client.get(reverse("article_list"))
    assert response.status_code == 200
    assert desk["approved"].article.title in response.content.decode()
    assert queries.touching(queries.replica, "articles_article")
    assert not queries.touching(queries.primary, "articles_article")


@needs_replica
@through_replica
def test_the_export_command_reads_from_the_replica(desk, tmp_path: Path):
    output = tmp_path / "claims.jsonl"
    with Queries() as queries:
        call_command("export_claims", "--format", "jsonl", "--output", output, "--no-progress")
    assert len(output.read_text().splitlines()) == 1
    assert queries.touching(queries.replica, "annotations_claim")
    assert not queries.touching(queries.primary, "annotations_claim")


@needs_replica
@through_replica
def test_one_object_is_read_from_the_primary(desk):
    client = APIClient()
    client.force_authenticate(desk["author"])
    with Queries() as queries:
        response = client.get(reverse("v1:claim-detail", args=[desk["draft"].pk]))
    assert response.status_code == 200
    assert not queries.replica.captured_queries


@needs_replica
@through_replica
def test_a_write_and_the_list_right_after_it_read_the_primary(desk):
    client = APIClient()
    client.force_authenticate(desk["author"])
    with Queries() as queries:
        created = client.post(
            reverse("v1:source-list"),
            {"name": "Ministry statement", "kind": SourceKind.OFFICIAL_STATEMENT},
        )
    assert created.status_code == 201
    assert not queries.replica.captured_queries
    assert replica.STICKY_COOKIE in created.cookies

    # The client keeps the cookie: the next list is read where the write was made.
    with Queries() as queries:
        listed = client.get(reverse("v1:source-list"))
    assert "Ministry statement" in {source["name"] for source in listed.json()["results"]}
    assert not queries.replica.captured_queries

    # A few seconds later the cookie has expired and lists lag again.
    del client.cookies[replica.STICKY_COOKIE]
    with Queries() as queries:
        client.get(reverse("v1:source-list"))
    assert queries.touching(queries.replica, "articles_source")


@needs_replica
@through_replica
def test_a_workflow_transition_reads_the_primary(desk):
    client = APIClient()
    client.force_authenticate(desk["author"])
    draft = desk["draft"]
    with Queries() as queries:
        response = client.post(
            reverse("v1:claim-submit", args=[draft.pk]), {"version": draft.version}
        )
    assert response.status_code == 200
    assert not queries.replica.captured_queries


@needs_replica
@through_replica
@pytest.mark.parametrize("sparse_limit", [1000, 1])
def test_a_claim_search_reads_from_the_replica(desk, monkeypatch, sparse_limit):
    """`q` on the claim list: the bounded probe that chooses how to narrow, and the
    narrowed list, both read the replica (few matches, and many)."""
    from search import selectors

    monkeypatch.setattr(selectors, "SPARSE_LIMIT", sparse_limit)
    client = APIClient()
    client.force_authenticate(desk["author"])
    with Queries() as queries:
        response = client.get(reverse("v1:claim-list"), {"q": "cyberattacks"})
        assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [
        desk["draft"].pk,
        desk["approved"].pk,
    ]
    on_primary = [q["sql"] for q in queries.primary.captured_queries]
    assert not [sql for sql in on_primary if "annotations_claim" in sql]
    assert [q for q in queries.replica.captured_queries if "search_document" in q["sql"]]
