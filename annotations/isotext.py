"""Timestamps and dates as ISO 8601 text, the way the API and the exports write them.

`iso` formats a value in Python. `IsoDateTime` and `IsoDate` make the database hand
back the same text: reads of many claims (exports, pages of the API) would otherwise
parse every timestamp into an aware datetime only to format it again, which costs more
than the rest of a record. Tests check that both give the same text on each database.
"""

from __future__ import annotations

import datetime as dt

from django.db import NotSupportedError
from django.db.models import CharField, Func


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601; datetimes in UTC with a `Z`."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not dt.UTC:  # the database hands back UTC already
            value = value.astimezone(dt.UTC)
        return value.isoformat()[:-6] + "Z"
    return value.isoformat()


class VendorFunc(Func):
    """A function written for each database by its `as_sqlite`/`as_postgresql`; any other
    database is refused."""

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"{type(self).__name__} has no SQL for {connection.vendor}.")


class IsoDateTime(VendorFunc):
    """A timestamp as the text `iso` makes of it ("2022-09-07T10:00:00Z", with
    ".ffffff" before the `Z` when the microseconds are not 0), made by the database.

    Exports read every timestamp of a claim, its revision and its reviews: parsing each
    into an aware datetime and formatting it again costs more than the rest of a
    record. Timestamps are stored in UTC (the connection's time zone with `USE_TZ`).
    """

    output_field = CharField()
    arity = 1

    # Django stores `str()` of the naive UTC datetime: "YYYY-MM-DD HH:MM:SS", then
    # ".ffffff" unless the microseconds are 0; that text needs a `T` and a `Z`. Text
    # written otherwise (SQLite's own clock, `Now()`, writes three digits) has its
    # fraction padded to six digits, or left out when it is zero, as Python does.
    _SQLITE = (
        "CASE WHEN length({v}) = 19 OR (length({v}) = 26 AND substr({v}, 21) <> '000000') "
        "THEN replace({v}, ' ', 'T') || 'Z' "
        "ELSE replace(substr({v}, 1, 19), ' ', 'T') || "
        "CASE WHEN rtrim(substr({v}, 21), '0') = '' THEN '' "
        "ELSE '.' || substr(substr({v}, 21) || '000000', 1, 6) END || 'Z' END"
    )

    def as_sqlite(self, compiler, connection, **extra_context):
        if connection.timezone_name != "UTC":
            raise NotSupportedError("IsoDateTime reads timestamps that SQLite keeps in UTC.")
        value, params = compiler.compile(self.source_expressions[0])
        return self._SQLITE.format(v=value), tuple(params) * self._SQLITE.count("{v}")

    def as_postgresql(self, compiler, connection, **extra_context):
        # `.US` always writes six digits; Python leaves them out when they are all 0.
        value, params = compiler.compile(self.source_expressions[0])
        sql = (
            f"replace(to_char({value} AT TIME ZONE 'UTC', "
            f"'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
        )
        return sql, params


class IsoDate(VendorFunc):
    """A date as the text `iso` makes of it ("2022-09-07"), made by the database."""

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        # Stored as that text already: read it as text, not as a `date` column (which
        # the driver would parse).
        value, params = compiler.compile(self.source_expressions[0])
        return f"CAST({value} AS text)", params

    def as_postgresql(self, compiler, connection, **extra_context):
        value, params = compiler.compile(self.source_expressions[0])
        return f"to_char({value}, 'YYYY-MM-DD')", params
