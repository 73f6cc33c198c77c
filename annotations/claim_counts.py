"""How many claims each project holds in each status, kept by the database itself.

A count of a desk's approved claims is asked on every page of its annotation container.
Counted afresh, it reads every approved claim of the desk (275,000 at the large size).
Kept here, it is one row. The row is kept by triggers on the claim table, in the same
transaction as the change that moves the count: a claim created, deleted, or whose status
or project changes, by whatever path (a service, the re-anchoring's bulk update, a
merge, an article moved to another desk, a restore). A hook in Python would miss the
paths that update claims in bulk, which Django sends straight to the database.

One row a project holds every status, so a transaction that moves claims of one desk
waits for one lock only, and two such transactions never wait for each other in a
circle. The triggers are written for SQLite and PostgreSQL (`trigger_sql`); the
migration that made the table created them and filled it, and a test checks they
exist after every migration, because SQLite drops a table's triggers when a migration
rebuilds the table.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Sum

from annotations.models import ClaimStatus, ProjectClaimCount

TABLE = "annotations_projectclaimcount"
CLAIMS = "annotations_claim"
STATUSES = tuple(ClaimStatus.values)
TRIGGER_NAMES = {
    "sqlite": (
        "annotations_claim_count_insert",
        "annotations_claim_count_delete",
        "annotations_claim_count_update",
    ),
    "postgresql": ("annotations_claim_count_change", "annotations_claim_count_move"),
}


def _bump(row: str, sign: str) -> str:
    return ", ".join(
        f"{status} = {status} {sign} CASE WHEN {row}.status = '{status}' THEN 1 ELSE 0 END"
        for status in STATUSES
    )


def _statements() -> tuple[str, str, str]:
    """(make the new project's row, count the new row in, count the old row out)."""
    columns = ", ".join(STATUSES)
    zeros = ", ".join("0" for _ in STATUSES)
    ensure = (
        f"INSERT INTO {TABLE} (project_id, {columns}) VALUES (NEW.project_id, {zeros}) "
        "ON CONFLICT (project_id) DO NOTHING"
    )
    add = f"UPDATE {TABLE} SET {_bump('NEW', '+')} WHERE project_id = NEW.project_id"
    remove = f"UPDATE {TABLE} SET {_bump('OLD', '-')} WHERE project_id = OLD.project_id"
    return ensure, add, remove


# The transition tables of a statement updating claims, on PostgreSQL: the rows before
# and after it. Claims moved to another status or project are counted once a statement,
# whatever their number (`moved_claims`): counted row by row, a statement moving an
# article's 1,000 claims to another desk updated the same count rows 1,000 times in one
# transaction, each update walking the versions the earlier ones left (6.5 s).
OLD_ROWS = "claims_before"
NEW_ROWS = "claims_after"
MOVED = (
    "OLD_ROWS.status IS DISTINCT FROM NEW_ROWS.status "
    "OR OLD_ROWS.project_id IS DISTINCT FROM NEW_ROWS.project_id"
)


def moved_claims(changed: str = MOVED) -> str:
    """The claims a statement changed so that `changed` (SQL over OLD_ROWS and NEW_ROWS)
    holds, as a derived table `m`: `id`, and `was_`/`now_` before the status, project
    and claimant before and after."""
    condition = changed.replace("OLD_ROWS.", "was.").replace("NEW_ROWS.", "now.")
    sides = ", ".join(
        f"{side}.{column} AS {side}_{column}"
        for side in ("was", "now")
        for column in ("project_id", "status", "claimant_id")
    )
    return (
        f"(SELECT was.id, {sides} FROM {OLD_ROWS} was JOIN {NEW_ROWS} now "
        f"ON now.id = was.id WHERE {condition}) AS m"
    )


def _pg_moves_function() -> str:
    columns = ", ".join(STATUSES)
    zeros = ", ".join("0" for _ in STATUSES)
    sums = ", ".join(
        f"SUM(CASE WHEN status = '{status}' THEN delta ELSE 0 END) AS {status}"
        for status in STATUSES
    )
    bumps = ", ".join(f"{status} = {TABLE}.{status} + d.{status}" for status in STATUSES)
    moved = moved_claims()
    return f"""CREATE OR REPLACE FUNCTION annotations_claim_count_moves() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM {moved}) THEN RETURN NULL; END IF;
        INSERT INTO {TABLE} (project_id, {columns})
            SELECT DISTINCT now_project_id, {zeros} FROM {moved}
            ON CONFLICT (project_id) DO NOTHING;
        PERFORM 1 FROM {TABLE} WHERE project_id IN (
            SELECT was_project_id FROM {moved} UNION SELECT now_project_id FROM {moved}
        ) ORDER BY project_id FOR NO KEY UPDATE;
        UPDATE {TABLE} SET {bumps} FROM (
            SELECT project_id, {sums} FROM (
                SELECT was_project_id AS project_id, was_status AS status, -1 AS delta
                    FROM {moved}
                UNION ALL SELECT now_project_id, now_status, 1 FROM {moved}
            ) AS changes GROUP BY project_id
        ) AS d WHERE {TABLE}.project_id = d.project_id;
        RETURN NULL;
    END $$"""


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """(statements creating the triggers, statements dropping them) for `vendor`.

    On PostgreSQL a claim's insertion or deletion is counted row by row, its moves (an
    update of status or project) once a statement; SQLite, which has no statement
    triggers, counts row by row."""
    ensure, add, remove = _statements()
    if vendor == "postgresql":
        change, move = TRIGGER_NAMES["postgresql"]
        create = [
            f"""CREATE OR REPLACE FUNCTION annotations_claim_count() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {remove}; END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN {ensure}; {add}; END IF;
                RETURN NULL;
            END $$""",
            f"""CREATE TRIGGER {change} AFTER INSERT OR DELETE ON {CLAIMS}
            FOR EACH ROW EXECUTE FUNCTION annotations_claim_count()""",
            _pg_moves_function(),
            f"""CREATE TRIGGER {move} AFTER UPDATE ON {CLAIMS}
            REFERENCING OLD TABLE AS {OLD_ROWS} NEW TABLE AS {NEW_ROWS}
            FOR EACH STATEMENT EXECUTE FUNCTION annotations_claim_count_moves()""",
        ]
        drop = [
            f"DROP TRIGGER IF EXISTS {change} ON {CLAIMS}",
            f"DROP TRIGGER IF EXISTS {move} ON {CLAIMS}",
            "DROP FUNCTION IF EXISTS annotations_claim_count()",
            "DROP FUNCTION IF EXISTS annotations_claim_count_moves()",
        ]
        return create, drop
    if vendor == "sqlite":
        insert, delete, update = TRIGGER_NAMES["sqlite"]
        create = [
            f"CREATE TRIGGER {insert} AFTER INSERT ON {CLAIMS} BEGIN {ensure}; {add}; END",
            f"CREATE TRIGGER {delete} AFTER DELETE ON {CLAIMS} BEGIN {remove}; END",
            f"""CREATE TRIGGER {update} AFTER UPDATE OF status, project_id ON {CLAIMS}
            WHEN OLD.status IS NOT NEW.status OR OLD.project_id IS NOT NEW.project_id
            BEGIN {remove}; {ensure}; {add}; END""",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {name}" for name in (insert, delete, update)]
        return create, drop
    raise NotImplementedError(f"claim counts are kept on SQLite and PostgreSQL, not {vendor}")


def installed_triggers(connection) -> set[str]:
    """The names of the claim-count triggers the database holds now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [CLAIMS],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [CLAIMS],
            )
        return {row[0] for row in cursor.fetchall()} & set(TRIGGER_NAMES[connection.vendor])


def fresh_counts(
    project_ids: Iterable[int] | None = None, *, using: str = "default"
) -> dict[int, dict[str, int]]:
    """The counts as a fresh count of every claim makes them (what the triggers keep;
    for filling the table and for tests)."""
    from django.db.models import Count

    from annotations.models import Claim

    claims = Claim.objects.using(using).all()
    if project_ids is not None:
        claims = claims.filter(project_id__in=list(project_ids))
    counts: dict[int, dict[str, int]] = {}
    rows = claims.order_by().values_list("project_id", "status").annotate(n=Count("pk"))
    for project_id, status, n in rows:
        counts.setdefault(project_id, dict.fromkeys(STATUSES, 0))[status] = n
    return counts


def rebuild(connection) -> None:
    """Count every project's claims afresh (`manage.py rebuild_claim_counts`), while no
    claim changes: PostgreSQL locks the claims against writes for the transaction."""
    from django.db import transaction

    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {CLAIMS} IN SHARE MODE")
        rows = ProjectClaimCount.objects.using(connection.alias)
        rows.all().delete()
        rows.bulk_create(
            ProjectClaimCount(project_id=project_id, **by_status)
            for project_id, by_status in fresh_counts(using=connection.alias).items()
        )


def kept_counts(project_ids: Iterable[int] | None = None) -> dict[int, dict[str, int]]:
    """The counts as the table keeps them, leaving out projects with no claim."""
    rows = ProjectClaimCount.objects.all()
    if project_ids is not None:
        rows = rows.filter(project_id__in=list(project_ids))
    kept = {row.project_id: {status: getattr(row, status) for status in STATUSES} for row in rows}
    return {pk: counts for pk, counts in kept.items() if any(counts.values())}


def approved_total(project_ids: Iterable[int] | None) -> int:
    """How many approved claims the projects hold (every project with None): one row a
    project, whatever their size."""
    rows = ProjectClaimCount.objects.all()
    if project_ids is not None:
        rows = rows.filter(project_id__in=sorted(project_ids))
    return rows.aggregate(total=Sum(ClaimStatus.APPROVED))["total"] or 0
