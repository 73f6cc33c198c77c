"""The one full-text search, on both databases: what it finds (any word of an article,
a claim's statement and quote, a note for those who may read it, the registry), aliases,
ranking, scoping to the reader's desks, query syntax that never fails, constant queries,
an index kept in the write's own transaction and read through its index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.services.claims import claim_update
from projects.models import Project
from search import index
from search.results import search
from search.selectors import claim_ids_sql, read_query
from tests.factories import ActorFactory, ArticleFactory, UserFactory, main_desk, make_claim
from tests.projects.conftest import member

pytestmark = pytest.mark.django_db

BODY = (
    "Nasser Kanaani, speaking for the foreign ministry, rejected the accusation.\n\n"
    "Edi Rama said an investigation had shown who was behind the cyberattacks."
)


@pytest.fixture
def iran():
    return ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"])


@pytest.fixture
def writer():
    return UserFactory(username="writer", roles=["researcher"])


@pytest.fixture
def reviewer():
    return UserFactory(username="checker", roles=["reviewer"])


@pytest.fixture
def colleague():
    return UserFactory(username="colleague", roles=["researcher"])


def found(user, text):
    results = search(user=user, text=text)
    return (
        [hit.object.pk for hit in results.articles.hits],
        [hit.object.pk for hit in results.claims.hits],
        [hit.object.pk for hit in results.actors.hits],
    )


def test_the_index_exists_after_every_migration():
    assert index.installed(connection) == index.expected(connection.vendor)


def test_a_word_of_an_article_body_finds_the_article(writer):
    article = ArticleFactory(title="Albania cuts ties", text=BODY)
    ArticleFactory(title="Something else", text="Nothing to see here.")
    articles, _, _ = found(writer, "Kanaani")
    assert articles == [article.pk]


def test_a_title_ranks_before_a_body(writer):
    in_body = ArticleFactory(title="Ties cut", text=BODY)
    in_title = ArticleFactory(title="Kanaani answers", text="The spokesman answered.")
    articles, _, _ = found(writer, "Kanaani")
    assert articles == [in_title.pk, in_body.pk]


def test_statement_ranks_before_quote_and_quotes_are_found(writer):
    article = ArticleFactory()
    in_quote = make_claim(author=writer, article=article, statement="Somebody attacked.")
    in_statement = make_claim(
        author=writer,
        article=article,
        exact="Tehran rejected the accusation",
        statement="The cyberattacks were planned for a year.",
    )
    _, claims, _ = found(writer, "cyberattacks")
    assert claims == [in_statement.pk, in_quote.pk]


def test_an_alias_finds_the_actor_its_claims_and_texts_naming_it(writer, iran):
    article = ArticleFactory(title="Sanctions", text="Washington sanctioned Iran on Friday.")
    linked = make_claim(
        author=writer,
        exact="the July cyberattacks",
        statement="The attacks were state-sponsored.",
        actors=[(iran, "accused")],
    )
    articles, claims, actors = found(writer, "tehran")
    assert actors == [iran.pk]
    assert linked.pk in claims
    assert article.pk in articles


def test_another_desks_text_and_someone_elses_draft_are_never_found(writer, colleague):
    elsewhere = Project.objects.create(name="Balkans", slug="balkans")
    ArticleFactory(project=elsewhere, title="Zebrafish", text="Zebrafish everywhere.")
    make_claim(author=colleague, statement="A zebrafish draft of someone else.")
    outsider_claim_article = ArticleFactory(project=elsewhere)
    other = UserFactory(username="balkan")
    member(elsewhere, other, "researcher")
    make_claim(author=other, article=outsider_claim_article, statement="Zebrafish claims.")
    assert found(writer, "zebrafish") == ([], [], [])


def test_a_note_is_found_only_by_those_who_may_read_it(writer, reviewer, colleague):
    claim = make_claim(author=writer)
    claim_update(user=writer, claim_id=claim.pk, version=claim.version, note="Pelican check")
    from annotations.services.claims import claim_submit

    claim = claim_submit(user=writer, claim_id=claim.pk, version=claim.version + 1)
    assert found(writer, "pelican")[1] == [claim.pk]
    assert found(reviewer, "pelican")[1] == [claim.pk]
    assert found(colleague, "pelican")[1] == []
    hits = search(user=colleague, text="cyberattacks").claims.hits
    assert hits and all(hit.note is None for hit in hits)


def test_the_index_follows_an_edit_in_the_same_transaction(writer):
    claim = make_claim(author=writer, statement="Ospreys nest here.")
    claim_update(
        user=writer, claim_id=claim.pk, version=claim.version, statement="Herons nest here."
    )
    assert found(writer, "herons")[1] == [claim.pk]
    assert found(writer, "ospreys")[1] == []


def test_snippets_are_highlighted_and_escaped(writer):
    make_claim(author=writer, statement="Kanaani <script>alert(1)</script> spoke.")
    hit = search(user=writer, text="Kanaani").claims.hits[0]
    assert "<mark>Kanaani</mark>" in hit.snippet
    # Escaped (SQLite) or left out of the headline (PostgreSQL drops tags): never markup.
    assert "<script" not in hit.snippet


ODD = [
    '"',
    "(",
    ")",
    "NOT",
    "-",
    "a OR",
    "OR",
    "*",
    '":',
    "{note}: x",
    "AND (",
    "\x00",
    "'",
    "é" * 400,
]


@pytest.mark.parametrize("text", ODD)
def test_no_query_is_an_error(client, writer, text):
    make_claim(author=writer)
    client.force_login(writer)
    # A NUL byte is refused by the whole site (400); every other query is read.
    expected = 400 if "\x00" in text else 200
    assert client.get(reverse("search"), {"q": text}).status_code == expected
    api = APIClient()
    api.force_authenticate(writer)
    answer = api.get(reverse("v1:claim-list"), {"q": text[:300]})
    assert answer.status_code in (200, 400), answer.content
    if answer.status_code == 400:
        assert answer.json()["errors"][0]["field"] == "q"
    assert api.get(reverse("v1:article-list"), {"q": text[:300]}).status_code in (200, 400)


def test_the_api_q_searches_claims_and_articles(writer, iran):
    article = ArticleFactory(title="Albania", text=BODY)
    claim = make_claim(
        author=writer, article=article, exact="the cyberattacks", actors=[(iran, "accused")]
    )
    api = APIClient()
    api.force_authenticate(writer)
    claims = api.get(reverse("v1:claim-list"), {"q": "Tehran"}).json()["results"]
    assert [c["id"] for c in claims] == [claim.pk]
    articles = api.get(reverse("v1:article-list"), {"q": "Kanaani"}).json()["results"]
    assert [a["id"] for a in articles] == [article.pk]


def test_the_search_page_groups_by_kind(client, writer, iran):
    article = ArticleFactory(title="Kanaani speaks", text=BODY)
    make_claim(
        author=writer, article=article, exact="the cyberattacks", statement="Kanaani rejected it."
    )
    client.force_login(writer)
    page = client.get(reverse("search"), {"q": "Kanaani"}).content.decode()
    assert 'data-testid="search-claims"' in page and 'data-testid="search-articles"' in page
    assert "<mark>Kanaani</mark>" in page
    assert 'data-testid="nav-search"' in page


def _page_queries(client, django_assert_max_num_queries, text):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as captured:
        assert client.get(reverse("search"), {"q": text}).status_code == 200
    return len(captured)


def test_the_search_page_reads_a_fixed_number_of_queries(
    client, writer, iran, django_assert_max_num_queries
):
    client.force_login(writer)

    def add(n):
        for i in range(n):
            article = ArticleFactory(title=f"Kanaani {i}", text=BODY)
            make_claim(
                author=writer, article=article, exact="the cyberattacks", actors=[(iran, "accused")]
            )

    add(3)
    first = _page_queries(client, django_assert_max_num_queries, "Kanaani")
    add(3)
    assert _page_queries(client, django_assert_max_num_queries, "Kanaani") == first


def test_a_search_that_matches_nothing_reads_through_the_index():
    """With sequential scans priced out, the plan of the claims a query finds starts from
    the full-text index (SQLite: the FTS5 table), never from the claim table."""
    main_desk()
    sql, params = claim_ids_sql(read_query("nothingmatchesthis"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index.gin_index(index.CLAIMS) in plan
            assert "Seq Scan" not in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
            assert "SCAN annotations_claim" not in plan


def test_an_article_search_reads_through_the_index():
    from articles.models import Article
    from search.selectors import matching_articles

    ArticleFactory(title="Kanaani", text=BODY)
    query = matching_articles(Article.objects.all(), "nothingmatchesthis")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
        assert index.gin_index(index.ARTICLES) in plan
        assert "Seq Scan on articles_article" not in plan
    else:
        plan = query.explain()
        assert "VIRTUAL TABLE INDEX" in plan


def test_a_query_matching_more_than_is_ranked_says_so(client, writer, iran, monkeypatch):
    """Beyond its bound a kind ranks only what it read first: the count says "N+" and the
    page says that the order is approximate; below it, counts are exact and nothing is
    said."""
    from search import selectors

    monkeypatch.setitem(selectors.RANKED, "claims", 3)
    article = ArticleFactory(title="Heron report", text=BODY)
    for i in range(4):
        make_claim(
            author=writer, article=article, exact="the cyberattacks", statement=f"Herons {i}."
        )
    results = search(user=writer, text="herons")
    assert results.claims.capped and results.claims.count_label == "3+"
    assert len(results.claims.hits) == 3
    assert not results.articles.capped and results.articles.count_label == "1"
    client.force_login(writer)
    page = client.get(reverse("search"), {"q": "herons"}).content.decode()
    assert 'data-testid="search-capped"' in page
    assert "3+ claims" in page
    page = client.get(reverse("search"), {"q": "Kanaani"}).content.decode()
    assert 'data-testid="search-capped"' not in page


def test_an_actor_found_by_its_links_is_ranked_within_the_bound(writer, iran, monkeypatch):
    """The claims an actor's name finds through its links come from a bounded read of the
    links too: with more linked claims than the bound, the bound is what is ranked."""
    from search import selectors

    monkeypatch.setitem(selectors.RANKED, "claims", 2)
    for _ in range(3):
        make_claim(author=writer, statement="Nothing in words.", actors=[(iran, "accused")])
    results = search(user=writer, text="Tehran")
    assert results.claims.capped and len(results.claims.hits) == 2


def test_the_ranked_claims_read_through_the_indexes():
    """The bounded read of the claims a common name finds (its words, the claimant, the
    actor links) starts from indexes, never from a scan of the claims."""
    from search.selectors import claim_candidates_sql

    iran = ActorFactory(name="Iran", kind="state", aliases=["Tehran"])
    q = read_query("Tehran")
    assert q.actor_ids == (iran.pk,)
    with connection.cursor() as cursor:
        for scope in (None, [main_desk().pk]):
            sql, params = claim_candidates_sql(q, scope=scope)
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan" not in plan
                if scope is None:
                    assert index.gin_index(index.CLAIMS) in plan
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                assert "VIRTUAL TABLE INDEX" in plan
                assert "SCAN annotations_claim\n" not in plan + "\n"


@pytest.mark.parametrize("sparse_limit", [1000, 1])
def test_the_api_q_finds_the_same_claims_however_many_match(
    writer, reviewer, colleague, iran, monkeypatch, sparse_limit
):
    """Few matches narrow the list to their ids; many (here: more than one) to a test of
    each row in the list's own order (PostgreSQL). Both find the same claims, newest
    first: by words, by note (only for those who may read it), as claimant, by link."""
    from annotations.services.claims import claim_submit
    from search import selectors

    monkeypatch.setattr(selectors, "SPARSE_LIMIT", sparse_limit)
    article = ArticleFactory(title="Albania", text=BODY)
    by_words = make_claim(
        author=writer, article=article, exact="the cyberattacks", statement="Tehran did it."
    )
    by_link = make_claim(
        author=writer,
        article=article,
        exact="rejected the accusation",
        statement="Attacks happened.",
        actors=[(iran, "accused")],
    )
    as_claimant = make_claim(
        author=writer, article=article, exact="Edi Rama", statement="A denial.", claimant=iran
    )
    noted = make_claim(
        author=writer, article=article, exact="foreign ministry", statement="The ministry spoke."
    )
    claim_update(user=writer, claim_id=noted.pk, version=noted.version, note="Tehran says so")
    noted = claim_submit(user=writer, claim_id=noted.pk, version=noted.version + 1)
    make_claim(author=writer, article=article, exact="speaking for", statement="Unrelated.")

    def found_by(user, text):
        api = APIClient()
        api.force_authenticate(user)
        answer = api.get(reverse("v1:claim-list"), {"q": text})
        assert answer.status_code == 200, answer.content
        return [c["id"] for c in answer.json()["results"]]

    # The author sees their drafts and reads their note; the desk's reviewer sees the
    # submitted claim and reads its note; a colleague sees it but not its note.
    assert found_by(writer, "Tehran") == [noted.pk, as_claimant.pk, by_link.pk, by_words.pk]
    assert found_by(reviewer, "Tehran") == [noted.pk]
    assert found_by(colleague, "Tehran") == []
    assert found_by(writer, "zzyzxq") == []


def test_the_bound_keeps_what_the_words_found_before_what_the_actor_found(
    writer, iran, monkeypatch
):
    """A name in many claims fills the bound with the claims it is linked to; those whose
    words match, which rank first, are kept whatever their age."""
    from search import selectors

    monkeypatch.setitem(selectors.RANKED, "claims", 2)
    article = ArticleFactory(title="Albania", text=BODY)
    in_words = make_claim(
        author=writer, article=article, exact="the cyberattacks", statement="Tehran denies."
    )
    for _ in range(3):
        make_claim(
            author=writer,
            article=article,
            exact="rejected the accusation",
            statement="Nothing in words.",
            actors=[(iran, "accused")],
        )
    results = search(user=writer, text="Tehran")
    assert results.claims.capped
    assert results.claims.hits[0].object.pk == in_words.pk
