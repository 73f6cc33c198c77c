"""The search page's answer: what `search.selectors` finds, by kind, with highlighted
snippets and bounded counts.

Apart from the selectors because it reads through the annotations app's selectors and
presenter, which themselves use `search.selectors` for `q`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.claim_presenter import may_read_note
from annotations.selectors.articles import articles_visible_to
from annotations.selectors.claims import claims_visible_to
from search.index import ACTORS, ARTICLES, CLAIMS, CONFIG, INDEXED
from search.selectors import (
    COUNT_LIMIT,
    Query,
    ranked_actors,
    ranked_articles,
    ranked_claims,
    read_query,
)

OPEN, CLOSE = "\ue000", "\ue001"  # highlight marks, private-use characters
_HEADLINE = (
    f'StartSel="{OPEN}", StopSel="{CLOSE}", MaxWords=30, MinWords=12, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def highlighted(text: str) -> SafeString:
    """`text` escaped, its highlight marks made `<mark>` elements."""
    safe = escape(text)
    return mark_safe(safe.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


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
    q = read_query(text)
    if q.empty:
        return Results(q, Found(), Found(), Found())
    articles = ranked_articles(articles_visible_to(user).defer("text", "raw"), q)
    claims = ranked_claims(claims_visible_to(user), q, note_reader=user).select_related(
        "article", "claimant"
    )
    actors = ranked_actors(q)
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
