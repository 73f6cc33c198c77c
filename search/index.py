"""The full-text index of articles, claims and the registry, kept by the database.

PostgreSQL: each searched table carries a stored generated `tsvector` column with a GIN
index (`search_document`, and `search_note` for a claim's note, which only some readers
may search). The database computes it in the row's own write, whatever path writes the
row (a service, the re-anchoring's bulk update, an article moved to another desk, a
restore), so the index can never lag behind the text.

SQLite: an FTS5 table per searched table, holding no copy of the text (`content=`), kept
by triggers in the same transaction as each write. Django rebuilds a SQLite table on some
migrations and drops its triggers with it: a test checks they exist after every
migration, and a migration that rebuilds one of these tables must run `create_sql` again.

Neither database knows these columns or tables as model fields: the search selector
(`search.selectors`) reads them with SQL. A migration that changes the type of a column
a PostgreSQL `search_document` reads must drop the generated column first.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIG = "english"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Indexed:
    table: str
    fts: str  # the SQLite FTS5 table
    columns: tuple[str, ...]  # in FTS5 column order
    weights: tuple[str, ...]  # PostgreSQL weight of each column in search_document
    note: str | None = None  # a column indexed apart (search_note)


ARTICLES = Indexed(
    "articles_article", "search_article_fts", ("title", "byline", "text"), ("A", "B", "C")
)
CLAIMS = Indexed(
    "annotations_claim", "search_claim_fts", ("statement", "exact", "note"), ("A", "B"), "note"
)
ACTORS = Indexed("annotations_actor", "search_actor_fts", ("name", "description"), ("A", "C"))
ALIASES = Indexed("annotations_actoralias", "search_alias_fts", ("name",), ("A",))
INDEXED = (ARTICLES, CLAIMS, ACTORS, ALIASES)


def _document(indexed: Indexed) -> str:
    parts = [
        f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, weight in zip(indexed.columns, indexed.weights, strict=False)
    ]
    return " || ".join(parts)


def gin_index(indexed: Indexed, column: str = "search_document") -> str:
    return f"{indexed.table}_{column}_gin"


def trigger_names(indexed: Indexed) -> tuple[str, str, str]:
    return (f"{indexed.fts}_insert", f"{indexed.fts}_delete", f"{indexed.fts}_update")


def create_sql(vendor: str, indexed: Indexed) -> list[str]:
    """The statements that make and fill the index of `indexed` on `vendor`."""
    if vendor == "postgresql":
        statements = [
            f"ALTER TABLE {indexed.table} ADD COLUMN IF NOT EXISTS search_document tsvector "
            f"GENERATED ALWAYS AS ({_document(indexed)}) STORED",
            f"CREATE INDEX IF NOT EXISTS {gin_index(indexed)} ON {indexed.table} "
            "USING GIN (search_document)",
        ]
        if indexed.note:
            statements += [
                f"ALTER TABLE {indexed.table} ADD COLUMN IF NOT EXISTS search_note tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('{CONFIG}'::regconfig, "
                f"coalesce({indexed.note}, ''))) STORED",
                f"CREATE INDEX IF NOT EXISTS {gin_index(indexed, 'search_note')} "
                f"ON {indexed.table} USING GIN (search_note)",
            ]
        return statements
    if vendor == "sqlite":
        columns = ", ".join(indexed.columns)
        new = ", ".join(f"new.{column}" for column in indexed.columns)
        old = ", ".join(f"old.{column}" for column in indexed.columns)
        insert, delete, update = trigger_names(indexed)
        add = f"INSERT INTO {indexed.fts}(rowid, {columns}) VALUES (new.id, {new});"
        remove = (
            f"INSERT INTO {indexed.fts}({indexed.fts}, rowid, {columns}) "
            f"VALUES ('delete', old.id, {old});"
        )
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {indexed.fts} USING fts5({columns}, "
            f"content='{indexed.table}', content_rowid='id', tokenize='{FTS_TOKENIZER}')",
            f"INSERT INTO {indexed.fts}({indexed.fts}) VALUES ('rebuild')",
            f"DROP TRIGGER IF EXISTS {insert}",
            f"DROP TRIGGER IF EXISTS {delete}",
            f"DROP TRIGGER IF EXISTS {update}",
            f"CREATE TRIGGER {insert} AFTER INSERT ON {indexed.table} BEGIN {add} END",
            f"CREATE TRIGGER {delete} AFTER DELETE ON {indexed.table} BEGIN {remove} END",
            f"CREATE TRIGGER {update} AFTER UPDATE OF {columns}, id ON {indexed.table} "
            f"BEGIN {remove} {add} END",
        ]
    raise NotImplementedError(f"search is kept on SQLite and PostgreSQL, not {vendor}")


def drop_sql(vendor: str, indexed: Indexed) -> list[str]:
    if vendor == "postgresql":
        return [
            f"ALTER TABLE {indexed.table} DROP COLUMN IF EXISTS search_document",
            f"ALTER TABLE {indexed.table} DROP COLUMN IF EXISTS search_note",
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in trigger_names(indexed)] + [
        f"DROP TABLE IF EXISTS {indexed.fts}"
    ]


def installed(connection) -> set[str]:
    """What of the index the database holds now: the GIN indexes on PostgreSQL, the
    triggers on SQLite (what a test compares with `expected`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_gin"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()} & expected(connection.vendor)


def expected(vendor: str) -> set[str]:
    if vendor == "postgresql":
        names = {gin_index(indexed) for indexed in INDEXED}
        return names | {gin_index(indexed, "search_note") for indexed in INDEXED if indexed.note}
    return {name for indexed in INDEXED for name in trigger_names(indexed)}
