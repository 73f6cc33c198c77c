"""How many claims name each actor, in each role and status, per project, kept by the
database itself: what the actor pages show at a glance.

Counted afresh, Iran's page read every claim that names Iran (200,000 of the large
benchmark desk's 501,000) on every request: 11 s. Kept here, the page reads a few rows a
project. Like `annotations.claim_counts`, the counts are kept by triggers on the claim and
claim-actor tables, in the transaction of the change, whatever path makes it (the claim
services, the re-anchoring's bulk status updates, a merge of actors moving links and
claimants in bulk, an article moved to another desk, a restore), on SQLite and
PostgreSQL alike. Three tables:

- `ActorClaimCount` (actor, role, project, status → claims): `role` is a role of
  `ActorRole` (link rows, one per claim by the link's uniqueness), `claimant`,
  `involved`: the claims that name the actor at all, each once, or `linked`: the claims
  that link it in any role, each once.
- `ActorInvolvement` (claim, actor → as claimant 0/1, links): how often a claim names an
  actor. `involved` counts a claim when this reaches one and stops when it falls to zero,
  so a claim naming Iran as its claimant and as accused counts once, whatever order the
  database fires its row triggers in (PostgreSQL fires them at the end of a statement
  that may move several links of one claim at once; SQLite row by row).
- `AccusationCount` (claimant, accused, project, status → claims): "who accuses whom".

A trigger never reads more than the rows of the claims that changed. On PostgreSQL an
UPDATE moving claims (status, project, claimant) is counted once a statement, from its
transition tables: a move of 1,000 claims in one statement took 6.5 s counted row by row
(each row updating count rows the earlier rows had just updated) and takes about 0.5 s.
On PostgreSQL every trigger first locks its project's row of `ProjectClaimCount` (the lock a claim's
insertion or status change already takes), so two transactions writing claims of one
desk take the actors' rows one after the other and never wait for each other in a
circle. The migration that made the tables created the triggers and filled the tables;
`rebuild()` (`manage.py rebuild_claim_counts`) counts everything again.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

from annotations.claim_counts import NEW_ROWS, OLD_ROWS, STATUSES, moved_claims
from annotations.claim_counts import TABLE as PROJECT_COUNTS

COUNTS = "annotations_actorclaimcount"
PAIRS = "annotations_accusationcount"
INVOLVED = "annotations_actorinvolvement"
CLAIMS = "annotations_claim"
LINKS = "annotations_claimactor"
TABLES = (CLAIMS, LINKS)
# The pseudo-roles of `ActorClaimCount.role` beside those of `ActorRole`.
CLAIMANT = "claimant"
INVOLVEMENT = "involved"
LINKED = "linked"

TRIGGER_NAMES = {
    "sqlite": (
        "annotations_actor_count_claim_insert",
        "annotations_actor_count_claim_delete",
        "annotations_actor_count_claim_update",
        "annotations_actor_count_link_insert",
        "annotations_actor_count_link_delete",
        "annotations_actor_count_link_update",
    ),
    "postgresql": (
        "annotations_actor_count_claim_change",
        "annotations_actor_count_claim_move",
        "annotations_actor_count_link_change",
        "annotations_actor_count_link_move",
    ),
}

_ENSURE_COUNT = (
    f"INSERT INTO {COUNTS} (actor_id, role, project_id, status, claims) {{select}} "
    "ON CONFLICT (actor_id, role, project_id, status) DO NOTHING"
)
_ENSURE_PAIR = (
    f"INSERT INTO {PAIRS} (claimant_id, accused_id, project_id, status, claims) {{select}} "
    "ON CONFLICT (claimant_id, accused_id, project_id, status) DO NOTHING"
)


def _claim_side(row: str, sign: str) -> list[str]:
    """Count the claim `row` (NEW or OLD) with its present links in (+) or out (-)."""
    where = f"project_id = {row}.project_id AND status = {row}.status"
    counted = [
        f"UPDATE {COUNTS} SET claims = claims {sign} 1 WHERE actor_id = {row}.claimant_id "
        f"AND role = '{CLAIMANT}' AND {where}",
        f"UPDATE {COUNTS} SET claims = claims {sign} 1 WHERE {where} AND (actor_id, role) IN "
        f"(SELECT actor_id, role FROM {LINKS} WHERE claim_id = {row}.id)",
        f"UPDATE {COUNTS} SET claims = claims {sign} 1 WHERE {where} AND role = '{INVOLVEMENT}' "
        f"AND actor_id IN (SELECT actor_id FROM {INVOLVED} WHERE claim_id = {row}.id)",
        f"UPDATE {COUNTS} SET claims = claims {sign} 1 WHERE {where} AND role = '{LINKED}' "
        f"AND actor_id IN (SELECT actor_id FROM {INVOLVED} WHERE claim_id = {row}.id "
        "AND links > 0)",
        f"UPDATE {PAIRS} SET claims = claims {sign} 1 WHERE claimant_id = {row}.claimant_id "
        f"AND {where} AND accused_id IN "
        f"(SELECT actor_id FROM {LINKS} WHERE claim_id = {row}.id AND role = 'accused')",
    ]
    if sign == "-":
        # Counted out while the claimant still names it; then the claimant's reason goes.
        return [
            *counted,
            f"UPDATE {INVOLVED} SET as_claimant = 0 WHERE claim_id = {row}.id "
            f"AND actor_id = {row}.claimant_id",
            f"DELETE FROM {INVOLVED} WHERE claim_id = {row}.id AND as_claimant + links = 0",
        ]
    values = f"{row}.project_id, {row}.status, 0"
    return [
        f"INSERT INTO {INVOLVED} (claim_id, actor_id, as_claimant, links) "
        f"VALUES ({row}.id, {row}.claimant_id, 0, 0) ON CONFLICT (claim_id, actor_id) DO NOTHING",
        f"UPDATE {INVOLVED} SET as_claimant = 1 WHERE claim_id = {row}.id "
        f"AND actor_id = {row}.claimant_id",
        _ENSURE_COUNT.format(
            select=f"SELECT {row}.claimant_id, '{CLAIMANT}', {values} WHERE 1 = 1"
        ),
        _ENSURE_COUNT.format(
            select=f"SELECT actor_id, role, {values} FROM {LINKS} WHERE claim_id = {row}.id"
        ),
        _ENSURE_COUNT.format(
            select=f"SELECT actor_id, '{INVOLVEMENT}', {values} FROM {INVOLVED} "
            f"WHERE claim_id = {row}.id"
        ),
        _ENSURE_COUNT.format(
            select=f"SELECT actor_id, '{LINKED}', {values} FROM {INVOLVED} "
            f"WHERE claim_id = {row}.id AND links > 0"
        ),
        _ENSURE_PAIR.format(
            select=f"SELECT {row}.claimant_id, actor_id, {values} FROM {LINKS} "
            f"WHERE claim_id = {row}.id AND role = 'accused'"
        ),
        *counted,
    ]


def _link_side(row: str, sign: str) -> list[str]:
    """Count the link `row` (NEW or OLD) in (+) or out (-) of its claim's counts; nothing
    when its claim is gone (the claim's deletion counted its links out)."""
    claim = f"(SELECT project_id, status FROM {CLAIMS} WHERE id = {row}.claim_id)"
    pair_claim = f"(SELECT claimant_id, project_id, status FROM {CLAIMS} WHERE id = {row}.claim_id)"
    this = f"claim_id = {row}.claim_id AND actor_id = {row}.actor_id"
    # The claim names the actor exactly once (+: for the first time; -: no longer).
    boundary = "as_claimant + links = 1" if sign == "+" else "as_claimant + links = 0"
    linked_boundary = "links = 1" if sign == "+" else "links = 0"
    counted = [
        f"UPDATE {COUNTS} SET claims = claims {sign} 1 WHERE actor_id = {row}.actor_id "
        f"AND role = {row}.role AND (project_id, status) = {claim}",
        f"UPDATE {INVOLVED} SET links = links {sign} 1 WHERE {this}",
        f"UPDATE {COUNTS} SET claims = claims {sign} 1 WHERE actor_id = {row}.actor_id "
        f"AND role = '{INVOLVEMENT}' AND (project_id, status) = {claim} "
        f"AND EXISTS (SELECT 1 FROM {INVOLVED} WHERE {this} AND {boundary})",
        f"UPDATE {COUNTS} SET claims = claims {sign} 1 WHERE actor_id = {row}.actor_id "
        f"AND role = '{LINKED}' AND (project_id, status) = {claim} "
        f"AND EXISTS (SELECT 1 FROM {INVOLVED} WHERE {this} AND {linked_boundary})",
        f"UPDATE {PAIRS} SET claims = claims {sign} 1 WHERE {row}.role = 'accused' "
        f"AND accused_id = {row}.actor_id AND (claimant_id, project_id, status) = {pair_claim}",
    ]
    if sign == "-":
        return [*counted, f"DELETE FROM {INVOLVED} WHERE {this} AND as_claimant + links = 0"]
    of_claim = f"FROM {CLAIMS} c WHERE c.id = {row}.claim_id"
    return [
        _ENSURE_COUNT.format(
            select=f"SELECT {row}.actor_id, {row}.role, c.project_id, c.status, 0 {of_claim}"
        ),
        _ENSURE_COUNT.format(
            select=f"SELECT {row}.actor_id, '{INVOLVEMENT}', c.project_id, c.status, 0 {of_claim}"
        ),
        _ENSURE_COUNT.format(
            select=f"SELECT {row}.actor_id, '{LINKED}', c.project_id, c.status, 0 {of_claim}"
        ),
        f"INSERT INTO {INVOLVED} (claim_id, actor_id, as_claimant, links) "
        f"SELECT {row}.claim_id, {row}.actor_id, 0, 0 {of_claim} "
        "ON CONFLICT (claim_id, actor_id) DO NOTHING",
        _ENSURE_PAIR.format(
            select=f"SELECT c.claimant_id, {row}.actor_id, c.project_id, c.status, 0 {of_claim} "
            f"AND {row}.role = 'accused'"
        ),
        *counted,
    ]


def _pg_lock(projects: str) -> str:
    """Take the projects' counting lock (their `ProjectClaimCount` rows) in id order."""
    return (
        f"PERFORM 1 FROM {PROJECT_COUNTS} WHERE project_id IN ({projects}) "
        "ORDER BY project_id FOR NO KEY UPDATE"
    )


def _block(statements: list[str]) -> str:
    return "; ".join(statements)


def _pg_add(table: str, columns: str, values: str, delta: str) -> str:
    """Add `delta` to the row of `table` with the key `values` (made when missing): one
    statement that finds its row through the table's unique index, whatever the
    planner's statistics say (a fresh table has none)."""
    return (
        f"INSERT INTO {table} ({columns}, claims) VALUES ({values}, {delta}) "
        f"ON CONFLICT ({columns}) DO UPDATE SET claims = {table}.claims + EXCLUDED.claims"
    )


def _pg_count(actor: str, role: str, where: str, delta: str) -> str:
    return _pg_add(COUNTS, "actor_id, role, project_id, status", f"{actor}, {role}, {where}", delta)


def _pg_pair(claimant: str, accused: str, where: str, delta: str) -> str:
    return _pg_add(
        PAIRS,
        "claimant_id, accused_id, project_id, status",
        f"{claimant}, {accused}, {where}",
        delta,
    )


def _pg_claim_side(row: str, delta: str) -> str:
    """PL/pgSQL counting the claim `row` with its links in (+1) or out (-1): a loop over
    the claim's own links and involvements, each count found by its key."""
    where = f"{row}.project_id, {row}.status"
    loops = f"""
        {_pg_count(f"{row}.claimant_id", f"'{CLAIMANT}'", where, delta)};
        FOR r IN SELECT actor_id, role FROM {LINKS} WHERE claim_id = {row}.id LOOP
            {_pg_count("r.actor_id", "r.role", where, delta)};
            IF r.role = 'accused' THEN
                {_pg_pair(f"{row}.claimant_id", "r.actor_id", where, delta)};
            END IF;
        END LOOP;
        FOR r IN SELECT actor_id, links FROM {INVOLVED} WHERE claim_id = {row}.id LOOP
            {_pg_count("r.actor_id", f"'{INVOLVEMENT}'", where, delta)};
            IF r.links > 0 THEN {_pg_count("r.actor_id", f"'{LINKED}'", where, delta)}; END IF;
        END LOOP;"""
    if delta == "-1":
        # Counted out while the claimant still names it; then the claimant's reason goes.
        return f"""{loops}
        UPDATE {INVOLVED} SET as_claimant = 0 WHERE claim_id = {row}.id
            AND actor_id = {row}.claimant_id;
        DELETE FROM {INVOLVED} WHERE claim_id = {row}.id AND as_claimant + links = 0;"""
    return f"""
        INSERT INTO {INVOLVED} (claim_id, actor_id, as_claimant, links)
            VALUES ({row}.id, {row}.claimant_id, 1, 0)
            ON CONFLICT (claim_id, actor_id) DO UPDATE SET as_claimant = 1;
        {loops}"""


def _pg_link_side(row: str, delta: str) -> str:
    """PL/pgSQL counting the link `row` in (+1) or out (-1) of its claim's counts;
    nothing when its claim is gone (the claim's deletion counted its links out)."""
    where = "c.project_id, c.status"
    named = (
        f"INSERT INTO {INVOLVED} (claim_id, actor_id, as_claimant, links) "
        f"VALUES ({row}.claim_id, {row}.actor_id, 0, 1) ON CONFLICT (claim_id, actor_id) "
        f"DO UPDATE SET links = {INVOLVED}.links + 1 RETURNING as_claimant, links INTO k"
        if delta == "1"
        else f"UPDATE {INVOLVED} SET links = links - 1 WHERE claim_id = {row}.claim_id "
        f"AND actor_id = {row}.actor_id RETURNING as_claimant, links INTO k"
    )
    # The claim names the actor exactly once (+: for the first time; -: no longer).
    edge = "1" if delta == "1" else "0"
    gone = (
        ""
        if delta == "1"
        else f"DELETE FROM {INVOLVED} WHERE claim_id = {row}.claim_id "
        f"AND actor_id = {row}.actor_id AND as_claimant + links = 0;"
    )
    return f"""
        SELECT project_id, status, claimant_id INTO c FROM {CLAIMS} WHERE id = {row}.claim_id;
        IF FOUND THEN
            {_pg_lock("c.project_id")};
            {_pg_count(f"{row}.actor_id", f"{row}.role", where, delta)};
            IF {row}.role = 'accused' THEN
                {_pg_pair("c.claimant_id", f"{row}.actor_id", where, delta)};
            END IF;
            {named};
            IF FOUND THEN
                IF k.links = {edge} THEN
                    {_pg_count(f"{row}.actor_id", f"'{LINKED}'", where, delta)};
                END IF;
                IF k.as_claimant + k.links = {edge} THEN
                    {_pg_count(f"{row}.actor_id", f"'{INVOLVEMENT}'", where, delta)};
                END IF;
            END IF;
            {gone}
        END IF;"""


def _pg_counted(moved: str, side: str, sign: str) -> list[str]:
    """Statements counting the claims `moved` (see `moved_claims`) with their links in
    (`side` "now", `sign` "+") or out ("was", "-"): each count's change summed over the
    statement's claims and applied once."""
    where = f"m.{side}_project_id AS project_id, m.{side}_status AS status"
    named = f"""
        SELECT m.{side}_claimant_id AS actor_id, '{CLAIMANT}' AS role, {where} FROM {moved}
        UNION ALL SELECT l.actor_id, l.role, {where}
            FROM {moved} JOIN {LINKS} l ON l.claim_id = m.id AND l.claim_id = ANY(moved_ids)
        UNION ALL SELECT i.actor_id, '{INVOLVEMENT}', {where}
            FROM {moved} JOIN {INVOLVED} i ON i.claim_id = m.id AND i.claim_id = ANY(moved_ids)
        UNION ALL SELECT i.actor_id, '{LINKED}', {where}
            FROM {moved} JOIN {INVOLVED} i ON i.claim_id = m.id AND i.claim_id = ANY(moved_ids)
            WHERE i.links > 0"""
    accused = f"""
        SELECT m.{side}_claimant_id AS claimant_id, l.actor_id AS accused_id, {where}
            FROM {moved} JOIN {LINKS} l ON l.claim_id = m.id AND l.claim_id = ANY(moved_ids)
            AND l.role = 'accused'"""
    return [
        f"""INSERT INTO {COUNTS} (actor_id, role, project_id, status, claims)
        SELECT actor_id, role, project_id, status, {sign}COUNT(*) FROM ({named}) AS n
        GROUP BY actor_id, role, project_id, status
        ON CONFLICT (actor_id, role, project_id, status)
        DO UPDATE SET claims = {COUNTS}.claims + EXCLUDED.claims""",
        f"""INSERT INTO {PAIRS} (claimant_id, accused_id, project_id, status, claims)
        SELECT claimant_id, accused_id, project_id, status, {sign}COUNT(*) FROM ({accused}) AS a
        GROUP BY claimant_id, accused_id, project_id, status
        ON CONFLICT (claimant_id, accused_id, project_id, status)
        DO UPDATE SET claims = {PAIRS}.claims + EXCLUDED.claims""",
    ]


def _pg_claim_moves_function(changed: str) -> str:
    """PL/pgSQL counting the claims an UPDATE statement moved (status, project or
    claimant) out with their old values and in with their new ones, once a statement
    (see `annotations.claim_counts.moved_claims` for why)."""
    moved = moved_claims(changed.replace("OLD.", "OLD_ROWS.").replace("NEW.", "NEW_ROWS."))
    new_claimant = moved_claims("OLD_ROWS.claimant_id IS DISTINCT FROM NEW_ROWS.claimant_id")
    columns = ", ".join(STATUSES)
    zeros = ", ".join("0" for _ in STATUSES)
    statements = [
        f"""INSERT INTO {PROJECT_COUNTS} (project_id, {columns})
        SELECT DISTINCT now_project_id, {zeros} FROM {moved}
        ON CONFLICT (project_id) DO NOTHING""",
        _pg_lock(f"SELECT was_project_id FROM {moved} UNION SELECT now_project_id FROM {moved}"),
        *_pg_counted(moved, "was", "-"),
        # The old claimant's reason to be named goes, the new one's comes.
        f"""UPDATE {INVOLVED} i SET as_claimant = 0 FROM {new_claimant}
        WHERE i.claim_id = m.id AND i.actor_id = m.was_claimant_id
        AND i.claim_id = ANY(moved_ids)""",
        f"""DELETE FROM {INVOLVED} i USING {new_claimant}
        WHERE i.claim_id = m.id AND i.as_claimant + i.links = 0
        AND i.claim_id = ANY(moved_ids)""",
        f"""INSERT INTO {INVOLVED} (claim_id, actor_id, as_claimant, links)
        SELECT m.id, m.now_claimant_id, 1, 0 FROM {new_claimant}
        ON CONFLICT (claim_id, actor_id) DO UPDATE SET as_claimant = 1""",
        *_pg_counted(moved, "now", ""),
    ]
    body = ";\n        ".join(statements)
    return f"""CREATE OR REPLACE FUNCTION annotations_actor_count_claim_moves()
    RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE moved_ids bigint[];
    BEGIN
        -- The moved claims' ids, so that their links are found through the claim index
        -- (the planner knows nothing of a transition table's size).
        moved_ids := ARRAY(SELECT m.id FROM {moved});
        IF cardinality(moved_ids) = 0 THEN RETURN NULL; END IF;
        {body};
        RETURN NULL;
    END $$"""


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """(statements creating the triggers, statements dropping them) for `vendor`.

    SQLite runs each trigger row by row with set statements over the claim's links; on
    PostgreSQL the same counting is written as PL/pgSQL that finds every count by its
    key (`_pg_add`), since plans made before the tables have statistics (a bulk load
    into a new database) may scan them otherwise."""
    remove_claim, add_claim = _claim_side("OLD", "-"), _claim_side("NEW", "+")
    forget = f"DELETE FROM {INVOLVED} WHERE claim_id = OLD.id"
    remove_link, add_link = _link_side("OLD", "-"), _link_side("NEW", "+")
    claim_changed = (
        "OLD.status IS DISTINCT FROM NEW.status OR OLD.project_id IS DISTINCT FROM "
        "NEW.project_id OR OLD.claimant_id IS DISTINCT FROM NEW.claimant_id"
    )
    link_changed = (
        "OLD.claim_id IS DISTINCT FROM NEW.claim_id OR OLD.actor_id IS DISTINCT FROM "
        "NEW.actor_id OR OLD.role IS DISTINCT FROM NEW.role"
    )
    if vendor == "postgresql":
        claim_change, claim_move, link_change, link_move = TRIGGER_NAMES["postgresql"]
        columns = ", ".join(STATUSES)
        zeros = ", ".join("0" for _ in STATUSES)
        ensure_project = (
            f"INSERT INTO {PROJECT_COUNTS} (project_id, {columns}) VALUES (NEW.project_id, "
            f"{zeros}) ON CONFLICT (project_id) DO NOTHING"
        )
        create = [
            f"""CREATE OR REPLACE FUNCTION annotations_actor_count_claim() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE r record;
            BEGIN
                IF TG_OP = 'INSERT' THEN {ensure_project}; {_pg_lock("NEW.project_id")};
                ELSIF TG_OP = 'UPDATE' THEN {ensure_project};
                    {_pg_lock("OLD.project_id, NEW.project_id")};
                ELSE {_pg_lock("OLD.project_id")};
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {_pg_claim_side("OLD", "-1")} END IF;
                IF TG_OP = 'DELETE' THEN {forget}; END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN {_pg_claim_side("NEW", "1")} END IF;
                RETURN NULL;
            END $$""",
            f"""CREATE OR REPLACE FUNCTION annotations_actor_count_link() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE c record; k record;
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {_pg_link_side("OLD", "-1")} END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN {_pg_link_side("NEW", "1")} END IF;
                RETURN NULL;
            END $$""",
            f"""CREATE TRIGGER {claim_change} AFTER INSERT OR DELETE ON {CLAIMS}
            FOR EACH ROW EXECUTE FUNCTION annotations_actor_count_claim()""",
            _pg_claim_moves_function(claim_changed),
            f"""CREATE TRIGGER {claim_move} AFTER UPDATE ON {CLAIMS}
            REFERENCING OLD TABLE AS {OLD_ROWS} NEW TABLE AS {NEW_ROWS}
            FOR EACH STATEMENT EXECUTE FUNCTION annotations_actor_count_claim_moves()""",
            f"""CREATE TRIGGER {link_change} AFTER INSERT OR DELETE ON {LINKS}
            FOR EACH ROW EXECUTE FUNCTION annotations_actor_count_link()""",
            f"""CREATE TRIGGER {link_move} AFTER UPDATE OF claim_id, actor_id, role
            ON {LINKS} FOR EACH ROW WHEN ({link_changed})
            EXECUTE FUNCTION annotations_actor_count_link()""",
        ]
        drop = [
            f"DROP TRIGGER IF EXISTS {claim_change} ON {CLAIMS}",
            f"DROP TRIGGER IF EXISTS {claim_move} ON {CLAIMS}",
            f"DROP TRIGGER IF EXISTS {link_change} ON {LINKS}",
            f"DROP TRIGGER IF EXISTS {link_move} ON {LINKS}",
            "DROP FUNCTION IF EXISTS annotations_actor_count_claim()",
            "DROP FUNCTION IF EXISTS annotations_actor_count_claim_moves()",
            "DROP FUNCTION IF EXISTS annotations_actor_count_link()",
        ]
        return create, drop
    if vendor == "sqlite":
        names = TRIGGER_NAMES["sqlite"]
        claim_insert, claim_delete, claim_update, link_insert, link_delete, link_update = names
        claim_when = claim_changed.replace("IS DISTINCT FROM", "IS NOT")
        link_when = link_changed.replace("IS DISTINCT FROM", "IS NOT")
        create = [
            f"CREATE TRIGGER {claim_insert} AFTER INSERT ON {CLAIMS} "
            f"BEGIN {_block(add_claim)}; END",
            f"CREATE TRIGGER {claim_delete} AFTER DELETE ON {CLAIMS} "
            f"BEGIN {_block(remove_claim)}; {forget}; END",
            f"CREATE TRIGGER {claim_update} AFTER UPDATE OF status, project_id, claimant_id "
            f"ON {CLAIMS} WHEN {claim_when} "
            f"BEGIN {_block(remove_claim)}; {_block(add_claim)}; END",
            f"CREATE TRIGGER {link_insert} AFTER INSERT ON {LINKS} BEGIN {_block(add_link)}; END",
            f"CREATE TRIGGER {link_delete} AFTER DELETE ON {LINKS} "
            f"BEGIN {_block(remove_link)}; END",
            f"CREATE TRIGGER {link_update} AFTER UPDATE OF claim_id, actor_id, role ON {LINKS} "
            f"WHEN {link_when} BEGIN {_block(remove_link)}; {_block(add_link)}; END",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {name}" for name in names]
        return create, drop
    raise NotImplementedError(f"actor counts are kept on SQLite and PostgreSQL, not {vendor}")


def installed_triggers(connection=default_connection) -> set[str]:
    """The names of the actor-count triggers the database holds now."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid IN (%s::regclass, %s::regclass)",
                list(TABLES),
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
                list(TABLES),
            )
        return {row[0] for row in cursor.fetchall()} & set(TRIGGER_NAMES[connection.vendor])


# -- counting afresh -----------------------------------------------------------------------

# What the triggers keep, counted from the claims and links themselves.
FRESH_INVOLVED = f"""SELECT claim_id, actor_id, MAX(as_claimant) AS as_claimant,
SUM(link) AS links FROM (
    SELECT id AS claim_id, claimant_id AS actor_id, 1 AS as_claimant, 0 AS link FROM {CLAIMS}
    UNION ALL SELECT claim_id, actor_id, 0, 1 FROM {LINKS}
) named GROUP BY claim_id, actor_id"""
FRESH_COUNTS = f"""SELECT claimant_id, '{CLAIMANT}', project_id, status, COUNT(*) FROM {CLAIMS}
GROUP BY claimant_id, project_id, status
UNION ALL
SELECT l.actor_id, l.role, c.project_id, c.status, COUNT(*)
FROM {LINKS} l JOIN {CLAIMS} c ON c.id = l.claim_id
GROUP BY l.actor_id, l.role, c.project_id, c.status
UNION ALL
SELECT i.actor_id, '{INVOLVEMENT}', c.project_id, c.status, COUNT(*)
FROM ({FRESH_INVOLVED}) i
JOIN {CLAIMS} c ON c.id = i.claim_id
GROUP BY i.actor_id, c.project_id, c.status
UNION ALL
SELECT i.actor_id, '{LINKED}', c.project_id, c.status, COUNT(*)
FROM ({FRESH_INVOLVED}) i
JOIN {CLAIMS} c ON c.id = i.claim_id WHERE i.links > 0
GROUP BY i.actor_id, c.project_id, c.status"""
FRESH_PAIRS = f"""SELECT c.claimant_id, l.actor_id, c.project_id, c.status, COUNT(*)
FROM {LINKS} l JOIN {CLAIMS} c ON c.id = l.claim_id WHERE l.role = 'accused'
GROUP BY c.claimant_id, l.actor_id, c.project_id, c.status"""

FILL = [
    f"DELETE FROM {COUNTS}",
    f"DELETE FROM {PAIRS}",
    f"DELETE FROM {INVOLVED}",
    f"INSERT INTO {INVOLVED} (claim_id, actor_id, as_claimant, links) {FRESH_INVOLVED}",
    f"INSERT INTO {COUNTS} (actor_id, role, project_id, status, claims) {FRESH_COUNTS}",
    f"INSERT INTO {PAIRS} (claimant_id, accused_id, project_id, status, claims) {FRESH_PAIRS}",
]


def fill(cursor) -> None:
    """Count every claim's actors afresh into the three tables (emptied first);
    `cursor` is a cursor or a migration's schema editor."""
    for statement in FILL:
        cursor.execute(statement)


def rebuild(connection=default_connection) -> None:
    """Count afresh, while no claim or link changes (PostgreSQL locks the two tables
    against writes for the transaction; SQLite writes one transaction at a time)."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {CLAIMS}, {LINKS} IN SHARE MODE")
        fill(cursor)


@contextmanager
def counted_afterwards(connection=default_connection):
    """Load claims in bulk without the triggers, then count them all at once and keep
    counting: for loads of many thousand claims (the benchmark's generator), where a
    trigger's few statements per row cost more than one count at the end. Nothing else
    should write claims meanwhile."""
    create, drop = trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
    try:
        yield
    finally:
        rebuild(connection)
        with connection.cursor() as cursor:
            for statement in create:
                cursor.execute(statement)


def _rows(sql: str, connection) -> dict[tuple, tuple | int]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}


def kept(connection=default_connection) -> dict[str, dict]:
    """Every kept count but zeros, keyed as `fresh()` keys them (for tests and checks)."""
    counts = _rows(f"SELECT actor_id, role, project_id, status, claims FROM {COUNTS}", connection)
    pairs = _rows(
        f"SELECT claimant_id, accused_id, project_id, status, claims FROM {PAIRS}", connection
    )
    involved = _rows(
        f"SELECT claim_id, actor_id, as_claimant * 1000 + links FROM {INVOLVED}", connection
    )
    return {
        "counts": {key: n for key, n in counts.items() if n},
        "pairs": {key: n for key, n in pairs.items() if n},
        "involved": involved,
    }


def fresh(connection=default_connection) -> dict[str, dict]:
    """The counts as a fresh count of every claim and link makes them."""
    involved = _rows(
        f"SELECT claim_id, actor_id, as_claimant * 1000 + links FROM ({FRESH_INVOLVED}) i",
        connection,
    )
    return {
        "counts": _rows(FRESH_COUNTS, connection),
        "pairs": _rows(FRESH_PAIRS, connection),
        "involved": involved,
    }
