"""The one full-text search: the search page, the claim and article lists' `q` (pages and
API) and the claims page all read it.

What a query finds:
- articles by title, byline and body;
- claims by statement and quote, and by note for the claims whose note the reader may
  read (`annotations.claim_presenter.may_read_note`: their own, and those of the desks
  where they review);
- actors by name, description and alias.
It is alias-aware: a query that is the name or an alias of actors in the registry
("Tehran") also finds what names them otherwise (their name and other aliases: "Iran",
"the Iranian state"), and the claims they make or are part of.

Everything is read through `claims_visible_to` / `articles_visible_to`, so another desk's
text is never found. Matching always starts from the full-text index (a GIN index on
PostgreSQL, FTS5 on SQLite; see `search.index`): a query that matches nothing reads no
claim.

Two questions, two costs:
- `matching_*` narrow a list (the API's and the pages' `q`) to every match, as a set of
  ids from the indexes; the list orders and pages it (keyset on the API).
- `ranked_*` (the search page) rank a bounded set: at most `RANKED` matches of each kind,
  each branch of the match (words, note, claimant, actor links) read from its index with
  a `LIMIT` and no order (an order would read every match to sort it), the union cut at
  `RANKED` again. Ranking every match would read every match, and "Iran" matches
  200,000 claims of a large desk; so the page ranks the first thousand found and says so
  (`Found.capped` in `search.results`) instead of growing with the desk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, Case, F, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from annotations.models import Actor, ActorAlias, Claim
from annotations.text import fold
from articles.models import Article
from claimdesk.counting import CappedPaginator
from projects import access
from projects.roles import ProjectRole
from search import query as parse
from search.index import ACTORS, ALIASES, ARTICLES, CLAIMS, CONFIG

# The results counted per kind; beyond, the page says "1,000+" (as the review queue does):
# a count of every match would read every match.
COUNT_LIMIT = 1000
# The matches of each kind that are ranked, at most: the first found (see the module's
# docstring). Articles are long, so ranking one reads its whole index entry.
RANKED = {"claims": COUNT_LIMIT, "articles": 200, "actors": 200}


class SearchPaginator(CappedPaginator):
    """The pages of a list under a search (`q`), counted up to `COUNT_LIMIT`: the API's
    lists with page numbers and the article list page."""

    limit = COUNT_LIMIT


# Actors whose names a query is expanded with, at most: a name shared by more actors than
# this is not a name that picks out anyone.
EXPANSION_LIMIT = 20


@dataclass(frozen=True)
class Query:
    """A query as both databases read it, with the alias expansion found in the registry."""

    text: str
    fts: str  # FTS5 syntax (SQLite)
    names: tuple[str, ...] = ()  # names and aliases of the actors the query names
    actor_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.fts

    def tsquery(self) -> tuple[str, list]:
        """PostgreSQL: the query, or any of the names it expands to."""
        sql = f"websearch_to_tsquery('{CONFIG}', %s)"
        params: list = [self.text]
        for name in self.names:
            sql += f" || phraseto_tsquery('{CONFIG}', %s)"
            params.append(name)
        return f"({sql})", params

    def fts_any(self) -> str:
        """SQLite: the query, or any of the names it expands to."""
        return parse.any_of(self.fts, list(self.names))


def read_query(text: str) -> Query:
    """The query with the actors it names: those whose name or an alias is the query
    itself, folded ("tehran", "TEHRAN" and "Tehrān" name Iran). Two indexed lookups of
    the registry, none when the query holds no word."""
    text = (text or "").strip()[: parse.MAX_QUERY]
    fts = parse.fts5_query(text)
    folded = fold(text)
    if not fts or not folded:
        return Query(text=text, fts="")
    # A union of two index lookups (an OR of the two would read the whole registry).
    named = RawSQL(
        f"SELECT id FROM {ACTORS.table} WHERE folded = %s "
        f"UNION SELECT actor_id FROM {ALIASES.table} WHERE folded = %s",
        [folded, folded],
    )
    actors = list(
        Actor.objects.filter(pk__in=named)
        .order_by("pk")
        .values_list("pk", "name")[:EXPANSION_LIMIT]
    )
    if not actors:
        return Query(text=text, fts=fts)
    actor_ids = tuple(pk for pk, _ in actors)
    names = {name for _, name in actors}
    names |= set(ActorAlias.objects.filter(actor_id__in=actor_ids).values_list("name", flat=True))
    names = {name for name in names if fold(name) != folded}
    return Query(text=text, fts=fts, names=tuple(sorted(names)), actor_ids=actor_ids)


def _as_query(text: str | Query) -> Query:
    # A caller that reads several kinds reads the registry for the expansion once.
    return text if isinstance(text, Query) else read_query(text)


# -- what matches ------------------------------------------------------------------------


def _note_readers_clause(user, prefix: str = "") -> tuple[str, list]:
    """SQL over annotations_claim (its columns named after `prefix`, "table." or ""):
    the claims whose note `user` may read."""
    if user is None or not user.is_authenticated:
        return "1 = 0", []
    if user.is_superuser:
        return "1 = 1", []
    reviewing = sorted(access.project_ids(user, ProjectRole.REVIEWER))
    if not reviewing:
        return f"{prefix}author_id = %s", [user.pk]
    marks = ", ".join("%s" for _ in reviewing)
    return f"({prefix}author_id = %s OR {prefix}project_id IN ({marks}))", [user.pk, *reviewing]


def claim_ids_sql(q: Query, *, note_reader=None) -> tuple[str, list]:
    """SQL selecting the ids of the claims `q` finds: by statement or quote, by note
    where `note_reader` may read it, by the actors the query names (as claimant or in
    any role). Every branch starts from an index."""
    pg = connection.vendor == "postgresql"
    if pg:
        tsq, tsq_params = q.tsquery()
        sql = f"SELECT id FROM {CLAIMS.table} WHERE search_document @@ {tsq}"
        params = list(tsq_params)
    else:
        sql = f"SELECT rowid FROM {CLAIMS.fts} WHERE {CLAIMS.fts} MATCH %s"
        params = ["{statement exact} : (" + q.fts_any() + ")"]
    if note_reader is not None and note_reader.is_authenticated:
        readers, reader_params = _note_readers_clause(note_reader)
        if pg:
            matches = f"search_note @@ {tsq}"
            params_note = list(tsq_params)
        else:
            matches = f"id IN (SELECT rowid FROM {CLAIMS.fts} WHERE {CLAIMS.fts} MATCH %s)"
            params_note = ["{note} : (" + q.fts_any() + ")"]
        sql += f" UNION SELECT id FROM {CLAIMS.table} WHERE {matches} AND {readers}"
        params += params_note + reader_params
    if q.actor_ids:
        marks = ", ".join("%s" for _ in q.actor_ids)
        sql += (
            f" UNION SELECT id FROM {CLAIMS.table} WHERE claimant_id IN ({marks})"
            f" UNION SELECT claim_id FROM annotations_claimactor WHERE actor_id IN ({marks})"
        )
        params += [*q.actor_ids, *q.actor_ids]
    return sql, params


def claim_rank(q: Query) -> RawSQL:
    """How well a claim's statement and quote match (higher first; a claim found only by
    the actors the query names ranks after those found by their words)."""
    if connection.vendor == "postgresql":
        tsq, params = q.tsquery()
        return RawSQL(f"ts_rank({CLAIMS.table}.search_document, {tsq})", params)
    return RawSQL(
        f"coalesce((SELECT -bm25({CLAIMS.fts}, 10.0, 4.0, 1.0) FROM {CLAIMS.fts} "
        f"WHERE {CLAIMS.fts} MATCH %s AND rowid = {CLAIMS.table}.id), 0)",
        ["{statement exact} : (" + q.fts_any() + ")"],
    )


def claim_match_sql(q: Query, *, note_reader=None) -> tuple[str, list]:
    """PostgreSQL: a condition on one row of annotations_claim, true when `q` finds it
    (what `claim_ids_sql` selects, asked of one row: its own tsvectors, its claimant, a
    probe of the actor links' unique index). A list ordered by an index and cut by a
    `LIMIT` then stops after a few rows per match when matches are many."""
    tsq, tsq_params = q.tsquery()
    table = CLAIMS.table
    parts, params = [f"{table}.search_document @@ {tsq}"], list(tsq_params)
    if note_reader is not None and note_reader.is_authenticated:
        readers, reader_params = _note_readers_clause(note_reader, f"{table}.")
        parts.append(f"({table}.search_note @@ {tsq} AND {readers})")
        params += [*tsq_params, *reader_params]
    if q.actor_ids:
        by_claimant, actor_params = _in(f"{table}.claimant_id", q.actor_ids)
        by_link, _ = _in("link.actor_id", q.actor_ids)
        parts.append(by_claimant)
        # OFFSET 0 keeps this a probe per row: without it PostgreSQL may hash every link
        # of the actor first (200,000 for a desk's Iran) to answer the first row.
        parts.append(
            "EXISTS (SELECT 1 FROM annotations_claimactor link "
            f"WHERE link.claim_id = {table}.id AND {by_link} OFFSET 0)"
        )
        params += [*actor_params, *actor_params]
    return "(" + " OR ".join(parts) + ")", params


# Below this many matches, a list's `q` is narrowed to the set of their ids (read from the
# indexes); from it on, to a condition each row is tested against in the list's order.
SPARSE_LIMIT = 1000


def matching_claims(
    claims: QuerySet[Claim], text: str | Query, *, note_reader=None
) -> QuerySet[Claim]:
    """`claims` narrowed to those the query `text` finds (none when it holds no word).

    The list that asks orders and pages the result (newest first on the API), and both
    ways of narrowing keep its pages bounded: when the query matches fewer than
    `SPARSE_LIMIT` claims (a bounded read of the indexes says so), to the set of their
    ids, which the list sorts; when it matches more (a common word, an actor in two
    claims of five), on PostgreSQL to a condition per row (`claim_match_sql`), so the
    list walks its own index and stops at its page instead of collecting every match.
    """
    q = _as_query(text)
    if q.empty:
        return claims.none()
    if connection.vendor == "postgresql":
        # The database the list reads (a replica for a lag-tolerant read) is asked too.
        bounded, params = claim_candidates_sql(
            q, note_reader=note_reader, limit=SPARSE_LIMIT, using=claims.db
        )
        with connections[claims.db].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({bounded}) AS probe", params)
            found = cursor.fetchone()[0]
        if found < SPARSE_LIMIT:
            # Every branch ended before its limit: this is every match.
            return claims.filter(pk__in=RawSQL(bounded, params))
        sql, params = claim_match_sql(q, note_reader=note_reader)
        return claims.filter(RawSQL(sql, params, output_field=BooleanField()))
    sql, params = claim_ids_sql(q, note_reader=note_reader)
    return claims.filter(pk__in=RawSQL(sql, params))


def _first(sql: str, alias: str, limit: int, priority: int = 0) -> str:
    # A branch of a union cut to the first `limit` rows its index yields (SQLite accepts
    # a LIMIT in a compound SELECT only inside a subquery), with the branch's priority.
    # An ORDER BY there only where noted: an order makes the database read every match
    # to sort them, which is what the bound avoids.
    return f"SELECT id, {int(priority)} AS priority FROM ({sql} LIMIT {int(limit)}) AS {alias}"


def _in(column: str, values) -> tuple[str, list]:
    values = list(values)
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join('%s' for _ in values)})", values


# A match is dense when the planner expects at least this share of a table to match.
DENSE_SHARE = 0.02


def _dense(table: str, where: str, params: list, using: str = DEFAULT_DB_ALIAS) -> bool:
    """PostgreSQL: whether the planner expects `where` to hold for at least `DENSE_SHARE`
    of `table` (its own estimate, from the full-text statistics; one EXPLAIN, no rows
    read). A dense match is read newest first through the primary key, which stops after
    a few rows per match; a sparse one from the GIN index, whose bitmap stops at the
    `LIMIT`. Left to itself, the planner reads a dense match with a bounded but
    sequential scan of the table."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} WHERE {where}", params)
        value = cursor.fetchone()[0]
        plan = (json.loads(value) if isinstance(value, str) else value)[0]["Plan"]
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    total = row[0] if row else 0
    return total > 0 and plan.get("Plan Rows", 0) >= DENSE_SHARE * total


def claim_candidates_sql(
    q: Query,
    *,
    note_reader=None,
    scope=None,
    limit: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> tuple[str, list]:
    """SQL selecting the ids of at most `limit` claims `q` finds (what `claim_ids_sql`
    selects, bounded): each branch read from its index up to `limit` rows
    (`search_document`/`search_note` or FTS5, the claimant's (claimant, id) index, the
    actor links' (actor, claim) index), in the desks `scope` (ids; None: every desk)."""
    limit = RANKED["claims"] if limit is None else limit
    pg = connection.vendor == "postgresql"
    in_scope, scope_params = ("1 = 1", []) if scope is None else _in("project_id", scope)
    branches: list[str] = []
    params: list = []

    def words(column_filter: str, extra: str = "", extra_params=()) -> None:
        if pg:
            tsq, tsq_params = q.tsquery()
            column = "search_note" if column_filter == "{note}" else "search_document"
            where, where_params = f"{column} @@ {tsq}", tsq_params
        else:
            where = f"id IN (SELECT rowid FROM {CLAIMS.fts} WHERE {CLAIMS.fts} MATCH %s)"
            where_params = [column_filter + " : (" + q.fts_any() + ")"]
        sql = f"SELECT id FROM {CLAIMS.table} WHERE {where}{extra} AND {in_scope}"
        # Notes are few and read per reader (their author's, a reviewer's desks): only
        # the statements and quotes may match densely.
        dense = (
            pg and column_filter != "{note}" and _dense(CLAIMS.table, where, where_params, using)
        )
        if dense:
            # Many claims match: walk the newest first and stop at `limit` matches (a few
            # rows read per match), rather than let the planner scan the table for them.
            sql += " ORDER BY id DESC"
        branches.append(_first(sql, f"branch{len(branches)}", limit, len(branches)))
        params.extend([*where_params, *extra_params, *scope_params])

    words("{statement exact}")
    if note_reader is not None and note_reader.is_authenticated:
        readers, reader_params = _note_readers_clause(note_reader)
        words("{note}", f" AND {readers}", reader_params)
    if q.actor_ids:
        # Newest first: an actor in many claims is read backwards along the primary key
        # (or the links' unique index, which starts with the claim) and stops at `limit`;
        # one in few from its own index, sorted. The planner's estimates of a column
        # are good enough to choose; without an order it would scan for a common one.
        by_claimant, actor_params = _in("claimant_id", q.actor_ids)
        branches.append(
            _first(
                f"SELECT id FROM {CLAIMS.table} WHERE {by_claimant} AND {in_scope} "
                "ORDER BY id DESC",
                "claimant",
                limit,
                2,
            )
        )
        params += [*actor_params, *scope_params]
        by_link, _ = _in("link.actor_id", q.actor_ids)
        join, join_params = "", []
        if scope is not None:
            claim_scope, join_params = _in("claim.project_id", scope)
            join = f" JOIN {CLAIMS.table} claim ON claim.id = link.claim_id AND {claim_scope}"
        branches.append(
            _first(
                f"SELECT link.claim_id AS id FROM annotations_claimactor link{join} "
                f"WHERE {by_link} ORDER BY link.claim_id DESC",
                "linked",
                limit,
                3,
            )
        )
        params += [*join_params, *actor_params]
    # The cut keeps what the words found before what only the actors found: those rank
    # first, and a name in two claims of five would otherwise fill the bound.
    union = " UNION ALL ".join(branches)
    return (
        f"SELECT id FROM ({union}) AS found GROUP BY id "
        f"ORDER BY min(priority), id DESC LIMIT {int(limit)}",
        params,
    )


def ranked_claims(
    claims: QuerySet[Claim], text: str | Query, *, note_reader=None, scope=None
) -> QuerySet[Claim]:
    """At most `RANKED["claims"]` claims of `claims` the query `text` finds (see
    `claim_candidates_sql`), best match first."""
    q = _as_query(text)
    if q.empty:
        return claims.none()
    sql, params = claim_candidates_sql(q, note_reader=note_reader, scope=scope, using=claims.db)
    return (
        claims.filter(pk__in=RawSQL(sql, params))
        .annotate(search_rank=claim_rank(q))
        .order_by(F("search_rank").desc(), "-pk")
    )


def _article_ids_sql(q: Query) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        tsq, params = q.tsquery()
        return f"SELECT id FROM {ARTICLES.table} WHERE search_document @@ {tsq}", params
    return f"SELECT rowid FROM {ARTICLES.fts} WHERE {ARTICLES.fts} MATCH %s", [q.fts_any()]


def _article_rank(q: Query) -> RawSQL:
    if connection.vendor == "postgresql":
        tsq, params = q.tsquery()
        return RawSQL(f"ts_rank({ARTICLES.table}.search_document, {tsq})", params)
    return RawSQL(
        f"coalesce((SELECT -bm25({ARTICLES.fts}, 10.0, 4.0, 1.0) FROM {ARTICLES.fts} "
        f"WHERE {ARTICLES.fts} MATCH %s AND rowid = {ARTICLES.table}.id), 0)",
        [q.fts_any()],
    )


def matching_articles(articles: QuerySet[Article], text: str | Query) -> QuerySet[Article]:
    """`articles` narrowed to those whose title, byline or text the query finds."""
    q = _as_query(text)
    if q.empty:
        return articles.none()
    sql, params = _article_ids_sql(q)
    return articles.filter(pk__in=RawSQL(sql, params))


def ranked_article_ids(text: str | Query, *, scope=None, limit: int | None = None) -> list[int]:
    """Ids of at most `RANKED["articles"]` articles the query finds in the desks `scope`
    (ids; None: every desk), best match first. They are ranked in the read that finds
    them: the articles are read through the full-text index alone, and only those found
    are ranked (ranking reads an article's whole index entry)."""
    q = _as_query(text)
    if q.empty:
        return []
    limit = RANKED["articles"] if limit is None else limit
    in_scope, scope_params = ("1 = 1", []) if scope is None else _in("project_id", scope)
    if connection.vendor == "postgresql":
        tsq, where_params = q.tsquery()
        where = f"search_document @@ {tsq}"
    else:
        where = f"id IN (SELECT rowid FROM {ARTICLES.fts} WHERE {ARTICLES.fts} MATCH %s)"
        where_params = [q.fts_any()]
    rank = _article_rank(q)
    sql = (
        f"SELECT id FROM (SELECT id, {rank.sql} AS search_rank FROM {ARTICLES.table} "
        f"WHERE {where} AND {in_scope} ORDER BY id DESC LIMIT {int(limit)}) AS found "
        "ORDER BY search_rank DESC, id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rank.params, *where_params, *scope_params])
        return [row[0] for row in cursor.fetchall()]


def _actor_ids_sql(q: Query) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        tsq, params = q.tsquery()
        return (
            f"SELECT id FROM {ACTORS.table} WHERE search_document @@ {tsq} "
            f"UNION SELECT actor_id FROM {ALIASES.table} WHERE search_document @@ {tsq}",
            params + params,
        )
    return (
        f"SELECT rowid AS id FROM {ACTORS.fts} WHERE {ACTORS.fts} MATCH %s UNION "
        f"SELECT actor_id FROM {ALIASES.table} WHERE id IN "
        f"(SELECT rowid FROM {ALIASES.fts} WHERE {ALIASES.fts} MATCH %s)",
        [q.fts, q.fts],
    )


def ranked_actors(text: str | Query, *, limit: int | None = None) -> QuerySet[Actor]:
    """Actors whose name, description or an alias the query finds (at most `limit` of
    them, and always those the query names exactly, first)."""
    q = _as_query(text)
    if q.empty:
        return Actor.objects.none()
    sql, params = _actor_ids_sql(q)
    limit = RANKED["actors"] if limit is None else limit
    bounded = f"SELECT id FROM (SELECT id FROM ({sql}) AS matched LIMIT {int(limit)}) AS found"
    if not q.actor_ids:
        return Actor.objects.filter(pk__in=RawSQL(bounded, params)).order_by("name", "pk")
    # The actors the query names are always among those ranked, first (a union, so that
    # both halves are read from their indexes).
    named, named_params = _in("id", q.actor_ids)
    bounded += f" UNION SELECT id FROM {ACTORS.table} WHERE {named}"
    return (
        Actor.objects.filter(pk__in=RawSQL(bounded, [*params, *named_params]))
        .annotate(search_rank=Case(When(pk__in=q.actor_ids, then=Value(1)), default=Value(0)))
        .order_by(F("search_rank").desc(), "name", "pk")
    )
