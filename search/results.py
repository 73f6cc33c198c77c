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
from annotations.models import Actor, Claim
from annotations.selectors.claims import claims_visible_to
from articles.models import Article
from projects import access
from search import query as parse
from search.index import ACTORS, ARTICLES, CLAIMS, CONFIG, INDEXED
from search.selectors import (
    RANKED,
    Query,
    ranked_actors,
    ranked_article_ids,
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


# A long text is highlighted in a window around the first place a word of the query
# occurs: `ts_headline` parses all the text it is given, and twenty article bodies of
# thousands of words each cost more than the rest of the search together.
WINDOW = 700
WINDOW_BEFORE = 150
LONG_COLUMNS = {"text"}


def _needles(q: Query) -> list[str]:
    """What to look for, lower-cased, to place the window: the query's words and phrases
    and the names it expands to, a word cut before the ending that stemming ignores
    ("sanctioned" finds "sanctions")."""
    found = []
    for term in parse.terms(q.text):
        if term == "OR" or term.negated:
            continue
        text = term.text.lower().strip()
        if not term.phrase and len(text) > 5:
            text = text[: max(5, len(text) - 3)]
        found.append(text)
    found += [name.lower() for name in q.names]
    return [needle for needle in found if needle][:8]


def _windowed(column: str, needles: list[str]) -> tuple[str, list]:
    """SQL (PostgreSQL) for the part of `column` around the first needle it holds, or
    its start when it holds none."""
    if not needles:
        return f"left({column}, {WINDOW})", []
    first = ", ".join(f"nullif(strpos(lower({column}), %s), 0)" for _ in needles)
    start = f"greatest(coalesce(least({first}), 1) - {WINDOW_BEFORE}, 1)"
    return f"substr({column}, {start}, {WINDOW})", list(needles)


def _headlines(q: Query, table: str, fts: str, columns: list[str], ids: list[int]) -> dict:
    """{id: {column: highlighted text}} for the rows `ids` (one query)."""
    if not ids:
        return {}
    marks = ", ".join("%s" for _ in ids)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsq, params = q.tsquery()
            needles = _needles(q)
            heads, head_params = [], []
            for column in columns:
                source, source_params = (
                    _windowed(column, needles) if column in LONG_COLUMNS else (column, [])
                )
                heads.append(f"ts_headline('{CONFIG}', {source}, {tsq}, %s)")
                head_params += [*source_params, *params, _HEADLINE]
            cursor.execute(
                f"SELECT id, {', '.join(heads)} FROM {table} WHERE id IN ({marks})",
                [*head_params, *ids],
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
    """The first hits of one kind, and how many were found: exactly, or at least `count`
    when `capped` (the first `count` matches found were ranked; more match)."""

    hits: list[Hit] = field(default_factory=list)
    count: int = 0
    capped: bool = False

    @property
    def count_label(self) -> str:
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


@dataclass
class Results:
    query: Query
    articles: Found
    claims: Found
    actors: Found

    @property
    def total(self) -> int:
        return self.articles.count + self.claims.count + self.actors.count

    @property
    def capped(self) -> bool:
        """Whether a kind reached its bound: its order is the best of the matches read."""
        return self.articles.capped or self.claims.capped or self.actors.capped


def _first(ids: list[int], rows: QuerySet, limit: int, bound: int) -> tuple[list, int, bool]:
    """The first `limit` of the ranked `ids` (at most `bound` of them), read from `rows`;
    how many were ranked, and whether they reached the bound. The ids were read through
    the visibility rules, so the rows shown are read by id alone."""
    shown = ids[:limit]
    found = rows.in_bulk(shown) if shown else {}
    return [found[pk] for pk in shown if pk in found], len(ids), len(ids) >= bound


def _ids(ranked: QuerySet) -> list[int]:
    return list(ranked.values_list("pk", flat=True))


def _marked(text: str | None) -> bool:
    return bool(text) and OPEN in text


def search(*, user, text: str, limit: int = 20) -> Results:
    """Everything `user` may read that `text` finds, by kind, best first, `limit` of each
    with highlighted snippets; each kind ranks the first `RANKED` matches found at most and
    says when it reached that bound. A fixed number of queries whatever the number of
    matches."""
    q = read_query(text)
    if q.empty:
        return Results(q, Found(), Found(), Found())
    readable = access.readable_project_ids(user)
    scope = None if readable is None else sorted(readable)
    claims = ranked_claims(claims_visible_to(user), q, note_reader=user, scope=scope)
    # Articles are visible by desk alone: the scope is their visibility.
    article_rows, article_count, articles_capped = _first(
        ranked_article_ids(q, scope=scope),
        Article.objects.defer("text", "raw").select_related("outlet"),
        limit,
        RANKED["articles"],
    )
    claim_rows, claim_count, claims_capped = _first(
        _ids(claims), Claim.objects.select_related("article", "claimant"), limit, RANKED["claims"]
    )
    actor_rows, actor_count, actors_capped = _first(
        _ids(ranked_actors(q)), Actor.objects.all(), limit, RANKED["actors"]
    )

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
        Found([article_hit(a) for a in article_rows], article_count, articles_capped),
        Found([claim_hit(c) for c in claim_rows], claim_count, claims_capped),
        Found([actor_hit(a) for a in actor_rows], actor_count, actors_capped),
    )
