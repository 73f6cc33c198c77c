"""Queries that read the rows of a batch of ids, compiled once and run for every batch.

The exports read the actors, sources and reviews of claims a chunk at a time, and the
API of a page at a time. Django's `__in` prepares every id on its own and writes SQL
that changes with the number of ids, so each batch compiled its queries again; with
the ids as one parameter (`AmongIds`) the SQL stays the same, and `BatchQuery` builds it
once.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
from django.db import connections
from django.db.models import BooleanField, QuerySet

from annotations.isotext import VendorFunc


class _Ids:
    """Stands for the batch's ids among the parameters of a compiled query."""


IDS = _Ids()


class AmongIds(VendorFunc):
    """`column` is one of the batch's ids, given as one parameter (`IDS`, bound by
    `BatchQuery.rows`): a JSON array on SQLite, an array on PostgreSQL."""

    conditional = True
    output_field = BooleanField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} IN (SELECT value FROM json_each(%s))", (*params, IDS)

    def as_postgresql(self, compiler, connection, **extra_context):
        # An array of the column's own type, whatever type the driver gives the list:
        # compared with another type, the column's index would not be used.
        column, params = compiler.compile(self.source_expressions[0])
        db_type = self.source_expressions[0].output_field.db_type(connection)
        return f"{column} = ANY(%s::{db_type}[])", (*params, IDS)


def ids_parameter(connection, ids: Sequence[int]):
    """The value bound to `IDS` on this connection."""
    if connection.vendor == "sqlite":
        return orjson.dumps(list(ids)).decode()
    return list(ids)


class BatchQuery:
    """A queryset filtered with `AmongIds`, compiled once and run for batch after batch.
    Rows are plain tuples as the driver reads them: no Django converter runs on them
    (read timestamps as `annotations.isotext` text)."""

    def __init__(self, queryset: QuerySet) -> None:
        self.using = queryset.db
        self.sql, self.params = queryset.query.get_compiler(self.using).as_sql()

    def rows(self, ids: Sequence[int]) -> list[tuple]:
        """The rows of this batch, read at once (a batch is bounded; row by row through
        Django's cursor wrapper cost more than reading them)."""
        connection = connections[self.using]
        bound = ids_parameter(connection, ids)
        params = [bound if param is IDS else param for param in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()
