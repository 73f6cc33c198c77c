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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.models import Actor, ActorAlias, Claim
from annotations.text import fold
from articles.models import Article
from projects import access
from projects.roles import ProjectRole
from search import query as parse
from search.index import ACTORS, ALIASES, ARTICLES, CLAIMS, CONFIG

# The results counted per kind; beyond, the page says "1,000+" (as the review queue does):
# a count of every match would read every match.
COUNT_LIMIT = 1000
# Actors whose names a query is expanded with, at most: a name shared by more actors than
# this is not a name that picks out anyone.
EXPANSION_LIMIT = 20
OPEN, CLOSE = "\ue000", "\ue001"  # highlight marks, private-use characters
_HEADLINE = (
    f'StartSel="{OPEN}", StopSel="{CLOSE}", MaxWords=30, MinWords=12, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def highlighted(text: str) -> SafeString:
    """`text` escaped, its highlight marks made `<mark>` elements."""
    safe = escape(text)
    return mark_safe(safe.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


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
    by_alias = ActorAlias.objects.filter(folded=folded).values("actor_id")
    actors = list(
        Actor.objects.filter(folded=folded).values_list("pk", flat=True)[:EXPANSION_LIMIT]
    ) + list(Actor.objects.filter(pk__in=by_alias).values_list("pk", flat=True)[:EXPANSION_LIMIT])
    actor_ids = tuple(sorted(set(actors)))[:EXPANSION_LIMIT]
    if not actor_ids:
        return Query(text=text, fts=fts)
    names = set(Actor.objects.filter(pk__in=actor_ids).values_list("name", flat=True))
    names |= set(ActorAlias.objects.filter(actor_id__in=actor_ids).values_list("name", flat=True))
    names = {name for name in names if fold(name) != folded}
    return Query(text=text, fts=fts, names=tuple(sorted(names)), actor_ids=actor_ids)


# -- what matches ------------------------------------------------------------------------


def _note_readers_clause(user) -> tuple[str, list]:
    """SQL over annotations_claim: the claims whose note `user` may read."""
    if user is None or not user.is_authenticated:
        return "1 = 0", []
    if user.is_superuser:
        return "1 = 1", []
    reviewing = sorted(access.project_ids(user, ProjectRole.REVIEWER))
    if not reviewing:
        return "author_id = %s", [user.pk]
    marks = ", ".join("%s" for _ in reviewing)
    return f"(author_id = %s OR project_id IN ({marks}))", [user.pk, *reviewing]


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


def matching_claims(claims: QuerySet[Claim], text: str, *, note_reader=None) -> QuerySet[Claim]:
    """`claims` narrowed to those the query `text` finds (none when it holds no word)."""
    q = read_query(text)
    if q.empty:
        return claims.none()
    sql, params = claim_ids_sql(q, note_reader=note_reader)
    return claims.filter(pk__in=RawSQL(sql, params))


def ranked_claims(claims: QuerySet[Claim], text: str, *, note_reader=None) -> QuerySet[Claim]:
    """`matching_claims`, best match first."""
    q = read_query(text)
    if q.empty:
        return claims.none()
    sql, params = claim_ids_sql(q, note_reader=note_reader)
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


def matching_articles(articles: QuerySet[Article], text: str) -> QuerySet[Article]:
    """`articles` narrowed to those whose title, byline or text the query finds."""
    q = read_query(text)
    if q.empty:
        return articles.none()
    sql, params = _article_ids_sql(q)
    return articles.filter(pk__in=RawSQL(sql, params))


def ranked_articles(articles: QuerySet[Article], text: str) -> QuerySet[Article]:
    q = read_query(text)
    if q.empty:
        return articles.none()
    sql, params = _article_ids_sql(q)
    return (
        articles.filter(pk__in=RawSQL(sql, params))
        .annotate(search_rank=_article_rank(q))
        .order_by(F("search_rank").desc(), "-pk")
    )


def _actor_ids_sql(q: Query) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        tsq, params = q.tsquery()
        return (
            f"SELECT id FROM {ACTORS.table} WHERE search_document @@ {tsq} "
            f"UNION SELECT actor_id FROM {ALIASES.table} WHERE search_document @@ {tsq}",
            params + params,
        )
    return (
        f"SELECT rowid FROM {ACTORS.fts} WHERE {ACTORS.fts} MATCH %s UNION "
        f"SELECT actor_id FROM {ALIASES.table} WHERE id IN "
        f"(SELECT rowid FROM {ALIASES.fts} WHERE {ALIASES.fts} MATCH %s)",
        [q.fts, q.fts],
    )


def ranked_actors(text: str) -> QuerySet[Actor]:
    """Actors whose name, description or an alias the query finds; those the query names
    exactly first."""
    q = read_query(text)
    if q.empty:
        return Actor.objects.none()
    sql, params = _actor_ids_sql(q)
    marks = ", ".join("%s" for _ in q.actor_ids)
    named = RawSQL(
        f"CASE WHEN {ACTORS.table}.id IN ({marks}) THEN 1 ELSE 0 END" if q.actor_ids else "0",
        list(q.actor_ids),
    )
    return (
        Actor.objects.filter(pk__in=RawSQL(sql, params))
        .annotate(search_rank=named)
        .order_by(F("search_rank").desc(), "name", "pk")
    )


# -- snippets ----------------------------------------------------------------------------


def _headlines(q: Query, table: str, fts: str, columns: list[str], ids: list[int]) -> dict:
    """{id: {column: highlighted text}} for the rows `ids` (one query)."""
    if not ids:
        return {}
    marks = ", ".join("%s" for _ in ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsq, params = q.tsquery()
            heads = ", ".join(f"ts_headline('{CONFIG}', {c}, {tsq}, %s)" for c in columns)
            head_params = []
            for _ in columns:
                head_params += [*params, _HEADLINE]
            cursor.execute(
                f"SELECT id, {heads} FROM {table} WHERE id IN ({marks})", [*head_params, *ids]
            )
        else:
            from search.index import INDEXED

            order = next(i for i in INDEXED if i.fts == fts).columns
            heads = ", ".join(
                f"snippet({fts}, {order.index(c)}, '{OPEN}', '{CLOSE}', ' … ', 24)" for c in columns
            )
            cursor.execute(
                f"SELECT rowid, {heads} FROM {fts} WHERE {fts} MATCH %s AND rowid IN ({marks})",
                [q.fts_any(), *ids],
            )
        rows = cursor.fetchall()
    return {row[0]: dict(zip(columns, row[1:], strict=True)) for row in rows}


# -- the search page ---------------------------------------------------------------------


@dataclass
class Hit:
    object: object
    snippet: SafeString
    detail: SafeString | None = None  # a second highlighted text (a quote, a note)
    note: SafeString | None = None


@dataclass
class Found:
    hits: list[Hit] = field(default_factory=list)
    count: int = 0

    @property
    def count_label(self) -> str:
        return f"{COUNT_LIMIT:,}+" if self.count > COUNT_LIMIT else f"{self.count:,}"


@dataclass
class Results:
    query: Query
    articles: Found
    claims: Found
    actors: Found

    @property
    def total(self) -> int:
        return self.articles.count + self.claims.count + self.actors.count


def _bounded_count(queryset: QuerySet) -> int:
    return queryset.order_by()[: COUNT_LIMIT + 1].count()


def _marked(text: str | None) -> bool:
    return bool(text) and OPEN in text


def search(*, user, text: str, limit: int = 20) -> Results:
    """Everything `user` may read that `text` finds, by kind, best first, `limit` of each
    with highlighted snippets and a count bounded at `COUNT_LIMIT`. A fixed number of
    queries whatever the number of matches."""
    from annotations.claim_presenter import may_read_note
    from annotations.selectors.articles import articles_visible_to
    from annotations.selectors.claims import claims_visible_to

    q = read_query(text)
    if q.empty:
        return Results(q, Found(), Found(), Found())
    articles = ranked_articles(articles_visible_to(user).defer("text", "raw"), text)
    claims = ranked_claims(claims_visible_to(user), text, note_reader=user).select_related(
        "article", "claimant"
    )
    actors = ranked_actors(text)
    article_rows = list(articles.select_related("outlet")[:limit])
    claim_rows = list(claims[:limit])
    actor_rows = list(actors[:limit])

    article_heads = _headlines(
        q, ARTICLES.table, ARTICLES.fts, ["title", "text"], [a.pk for a in article_rows]
    )
    claim_heads = _headlines(
        q, CLAIMS.table, CLAIMS.fts, ["statement", "exact", "note"], [c.pk for c in claim_rows]
    )
    actor_heads = _headlines(
        q, ACTORS.table, ACTORS.fts, ["name", "description"], [a.pk for a in actor_rows]
    )

    def article_hit(article):
        heads = article_heads.get(article.pk, {})
        title = heads.get("title") if _marked(heads.get("title")) else article.title
        return Hit(article, highlighted(title), highlighted(heads.get("text") or ""))

    def claim_hit(claim):
        heads = claim_heads.get(claim.pk, {})
        statement = heads.get("statement") if _marked(heads.get("statement")) else None
        exact = heads.get("exact") if _marked(heads.get("exact")) else None
        note = None
        if _marked(heads.get("note")) and may_read_note(
            user, author_id=claim.author_id, project_id=claim.project_id
        ):
            note = highlighted(heads["note"])
        return Hit(
            claim,
            highlighted(statement or claim.statement),
            highlighted(exact) if exact else None,
            note,
        )

    def actor_hit(actor):
        heads = actor_heads.get(actor.pk, {})
        name = heads.get("name") if _marked(heads.get("name")) else actor.name
        description = heads.get("description")
        return Hit(actor, highlighted(name), highlighted(description) if description else None)

    return Results(
        q,
        Found([article_hit(a) for a in article_rows], _bounded_count(articles)),
        Found([claim_hit(c) for c in claim_rows], _bounded_count(claims)),
        Found([actor_hit(a) for a in actor_rows], _bounded_count(actors)),
    )
