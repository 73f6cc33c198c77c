"""Revising an article's text, and re-attaching the claims a revision left behind.

`article_revise` is the only way an article's text changes once it exists: the article
edit page and `PATCH /api/v1/articles/{id}/` both call it. A new text becomes a new,
immutable `ArticleRevision`, and every claim of the article, whatever its status, is
re-anchored on it (`annotations.anchoring.reanchor.reanchor_many`, the design's four steps):

- `anchored` / `moved` / `fuzzy`: the claim now points at the new revision, with the
  offsets, quote and context found there. A fuzzy match changed the quoted words, so an
  approved claim goes back to `submitted` for review (`workflow.Action.FUZZY_REANCHOR`).
- `orphaned`: nothing close enough is left. The claim keeps its quote, offsets, context
  and its `revision`: the last revision it was anchored on. So for every claim,
  orphaned or not, `claim.revision.text[claim.start:claim.end] == claim.exact`, and the
  orphaned claims page can show the passage where it was. A claim is never deleted.

Each re-anchored claim gets its version bumped (a page or client holding the old version
holds offsets into the old text) and one `reanchored` event with the anchor before and
after. The writes are batched: one conditional UPDATE and one INSERT per batch of
hundreds of claims, never a query per claim.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from annotations import workflow
from annotations.anchoring.reanchor import reanchor_many
from annotations.anchoring.selection import Anchor, anchor_from_selection, context_around
from annotations.models import AnchorState, Claim, ClaimEvent, EventKind
from annotations.roles import can_annotate, can_look_after_claims, can_revise_articles
from annotations.selectors import claims_visible_to
from annotations.selectors.articles import anchor_state_counts
from annotations.services.claims import lock_claim, save_transition
from annotations.services.events import record_event
from annotations.services.rounds import review_round_start
from articles import text_listeners
from articles.cleaning import normalise_text
from articles.models import Article, ArticleRevision
from articles.services import check_article_text
from claimdesk import characters
from claimdesk.checks import may
from claimdesk.errors import InvalidInput, InvalidTransition, NotAllowed, StaleVersion

NOTE_MAX_LENGTH = ArticleRevision._meta.get_field("note").max_length
REATTACHABLE_STATES = frozenset({AnchorState.ORPHANED, AnchorState.FUZZY})

# The anchor as events keep it; `changes` holds the fields a person reads in a timeline.
CHANGE_FIELDS = (
    "revision",
    "start",
    "end",
    "exact",
    "anchor_state",
    "cue",
    "source_mention",
    "status",
)

# Columns the re-anchoring writes for every claim, in this order.
_ANCHOR_COLUMNS = (*Claim.ANCHOR_FIELDS, *Claim.MARKED_SPAN_FIELDS, "revision_id")
# SQLite's parameter limit makes smaller batches; PostgreSQL's is far away.
_MAX_ROWS_PER_BATCH = 500


@dataclass(frozen=True)
class RevisionResult:
    """What `article_revise` did.

    `changed` is False when the text was already the current one (no revision made);
    `counts` maps every anchor state to the number of the article's claims in it now;
    `touched` is the number of claims re-anchored; `resubmitted` the approved claims sent
    back to review because their quote only nearly matches now.
    """

    article: Article
    revision: ArticleRevision
    changed: bool
    counts: dict[str, int]
    touched: int = 0
    resubmitted: int = 0


def anchor_counts(article: Article) -> dict[str, int]:
    """The number of the article's claims in each anchor state (every state listed)."""
    return anchor_state_counts(article)


def check_revise_article(*, user, article: Article | None = None) -> None:
    """Raise NotAllowed unless the user may change the article's text (`article_revise`):
    a researcher or editor of its project (of some project, without an article)."""
    if not can_revise_articles(user, article.project_id if article is not None else None):
        raise NotAllowed("Only researchers and editors of its project change an article's text.")


def can_revise_article(user, article: Article | None = None) -> bool:
    return may(check_revise_article, user=user, article=article)


@transaction.atomic
def article_revise(
    *,
    user,
    article_id: int,
    text: str,
    note: str = "",
    expected_revision: int | None = None,
) -> RevisionResult:
    """Give the article a new text and re-anchor all of its claims on it.

    Locks the article row, then every claim of the article. The text is normalised
    (`articles.cleaning.normalise_text`) first; a text equal to the current one makes no
    revision and touches no claim. `expected_revision`, when given, is the revision
    number the caller's text was based on; if the article has moved on since, nothing
    changes.

    Raises NotAllowed (the user may not revise articles), Article.DoesNotExist,
    InvalidInput with `field="text"` (empty, too long, NUL) or `field="note"`, and
    StaleVersion with `field="revision"` (the article changed since `expected_revision`,
    or a claim changed under the re-anchoring).
    """
    check_revise_article(user=user)
    article = Article.objects.select_for_update().get(pk=article_id)
    check_revise_article(user=user, article=article)
    current = article.current_revision
    current_number = current.number if current else 0
    if expected_revision is not None and expected_revision != current_number:
        raise StaleVersion(
            f"The article is at revision {current_number}, not {expected_revision}: "
            "someone changed it meanwhile. Reload and make your change again.",
            field="revision",
        )
    text = normalise_text(text)
    try:
        check_article_text(text)
    except ValidationError as exc:
        detail = " ".join(exc.message_dict.get("text", exc.messages))
        raise InvalidInput(detail, field="text") from exc
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(f"The note is longer than {NOTE_MAX_LENGTH} characters.", field="note")
    characters.check_characters(note=note)
    old_text = current.text if current else article.text
    if current is not None and text == old_text:
        return RevisionResult(
            article=article, revision=current, changed=False, counts=anchor_counts(article)
        )

    author = user if user.is_authenticated else None
    revision = ArticleRevision.objects.create(
        article=article,
        number=current_number + 1,
        text=text,
        author=author,
        note=note or "Text revised",
    )
    article.text = text
    article.save(update_fields=["text", "text_sha256", "modified"])
    touched, resubmitted, counts = _reanchor_claims(
        article=article, old_text=old_text, revision=revision, user=author
    )
    text_listeners.new_text(article.pk)
    return RevisionResult(
        article=article,
        revision=revision,
        changed=True,
        counts=counts,
        touched=touched,
        resubmitted=resubmitted,
    )


class _ClaimRow(NamedTuple):
    """What re-anchoring reads of a claim; plain tuples, as model instances cost more."""

    id: int
    revision_id: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    anchor_state: str
    status: str
    version: int
    cue_start: int | None
    cue_end: int | None
    cue_exact: str
    source_mention_start: int | None
    source_mention_end: int | None
    source_mention_exact: str

    def marked_span(self, name: str) -> tuple[int, int, str] | None:
        start = getattr(self, f"{name}_start")
        if start is None:
            return None
        return start, getattr(self, f"{name}_end"), getattr(self, f"{name}_exact")


def _reanchor_marked_spans(
    claims: Sequence[_ClaimRow], results: Sequence, *, old_text: str, text: str
) -> dict[tuple[int, str], tuple[int, int, str] | None]:
    """Carry the cue and source mention of every claim whose passage was found onto the
    new text, by the passage's own four steps (one `reanchor_many` for all of them).

    Keys are `(claim id, span name)`; the value is the span found, or None when it was
    not found (the claim drops it rather than becoming orphaned for want of a "said").
    Their context is read from `old_text` when the span still lies there (claims of the
    current revision); spans of a claim orphaned earlier are searched without it. An
    orphaned passage keeps its spans as they are, on the revision it keeps.
    """
    keys: list[tuple[int, str]] = []
    anchors: list[Anchor] = []
    for claim, found in zip(claims, results, strict=True):
        if found.state == AnchorState.ORPHANED:
            continue
        for name in Claim.MARKED_SPANS:
            span = claim.marked_span(name)
            if span is None:
                continue
            start, end, exact = span
            if not exact or end - start != len(exact):
                continue  # not a span a check let in; dropped below
            context = ("", "")
            if old_text[start:end] == exact:
                context = context_around(old_text, start, end)
            keys.append((claim.id, name))
            anchors.append(Anchor(start, end, exact, *context))
    moved = reanchor_many(anchors=anchors, old_text=old_text, text=text) if anchors else []
    return {
        key: None if found.state == AnchorState.ORPHANED else (found.start, found.end, found.exact)
        for key, found in zip(keys, moved, strict=True)
    }


def _marked_span_fields(name: str, span: tuple[int, int, str] | None) -> dict[str, Any]:
    if span is None:
        return {f"{name}_start": None, f"{name}_end": None, f"{name}_exact": ""}
    return dict(zip((f"{name}_start", f"{name}_end", f"{name}_exact"), span, strict=True))


def _reanchor_claims(
    *, article: Article, old_text: str, revision: ArticleRevision, user
) -> tuple[int, int, dict[str, int]]:
    """Re-anchor every claim of the article on `revision`, in a few queries per batch."""
    claims = [
        _ClaimRow(*values)
        for values in Claim.objects.select_for_update()
        .filter(article=article)
        .order_by("id")
        .values_list(*_ClaimRow._fields)
    ]
    numbers = dict(article.revisions.values_list("id", "number"))
    results = reanchor_many(
        anchors=[Anchor(c.start, c.end, c.exact, c.prefix, c.suffix) for c in claims],
        old_text=old_text,
        text=revision.text,
    )
    spans = _reanchor_marked_spans(claims, results, old_text=old_text, text=revision.text)
    now = timezone.now()
    anchors: list[tuple] = []
    events: list[tuple] = []
    # Claims whose status changes or whose review round starts, by (status, new round).
    moved_on: dict[tuple[str, bool], list[int]] = {}
    resubmitted = 0
    for claim, found in zip(claims, results, strict=True):
        before = _anchor_of(claim, numbers[claim.revision_id])
        dropped = []
        if found.state == AnchorState.ORPHANED:
            after = {**before, "anchor_state": found.state}
            revision_id = claim.revision_id
        else:
            after = {
                "revision": revision.number,
                "start": found.start,
                "end": found.end,
                "exact": found.exact,
                "prefix": found.prefix,
                "suffix": found.suffix,
                "anchor_state": found.state,
            }
            for name in Claim.MARKED_SPANS:
                if before[name] is not None:
                    after[name] = spans.get((claim.id, name))
                    if after[name] is None:
                        dropped.append(name)
                else:
                    after[name] = None
            revision_id = revision.pk
        columns = {
            **{name: after[name] for name in Claim.ANCHOR_FIELDS},
            **_marked_span_fields("cue", after["cue"]),
            **_marked_span_fields("source_mention", after["source_mention"]),
        }
        anchors.append(
            (
                claim.id,
                claim.version,
                *(columns[name] for name in _ANCHOR_COLUMNS[:-1]),
                revision_id,
            )
        )
        status = claim.status
        fuzzy = found.state == AnchorState.FUZZY
        if fuzzy:
            status = workflow.next_status(
                claim.status, workflow.Action.FUZZY_REANCHOR, workflow.SYSTEM
            )
            resubmitted += status != claim.status
        # A fuzzy match changed the words under review: approvals given to the old quote
        # no longer count.
        new_round = workflow.starts_review_round(claim.status, status, changed=fuzzy)
        if new_round or status != claim.status:
            moved_on.setdefault((status, new_round), []).append(claim.id)
        changes = {
            key: [before[key], after[key]]
            for key in CHANGE_FIELDS
            if key in after and before[key] != after[key]
        }
        if status != claim.status:
            changes["status"] = [claim.status, status]
        data = {
            "from": before,
            "to": after,
            "score": round(found.score, 4),
            "resubmitted_for_review": status != claim.status,
        }
        if dropped:
            # The passage was found but this cue or source mention was not: it is
            # dropped (the claim stays anchored), and the event says so.
            data["dropped"] = dropped
        events.append((claim.id, claim.status, status, claim.version + 1, changes, data))
    _update_anchors(anchors, modified=now)
    for (status, new_round), claim_ids in moved_on.items():
        # Back in the review queue, as newly submitted, in a new review round.
        round_fields = review_round_start(at=now) if new_round else {}
        Claim.objects.filter(pk__in=claim_ids).update(status=status, **round_fields)
    _insert_events(events, user=user, created=now)
    counts = Counter(found.state for found in results)
    return (
        len(claims),
        resubmitted,
        {state: counts.get(state, 0) for state in AnchorState.values},
    )


def _anchor_of(claim: Claim | _ClaimRow, revision_number: int) -> dict[str, Any]:
    """The anchor as events keep it, with the cue and source mention as
    `[start, end, exact]` or None."""
    return {
        "revision": revision_number,
        "start": claim.start,
        "end": claim.end,
        "exact": claim.exact,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "anchor_state": claim.anchor_state,
        **{
            name: list(span) if (span := claim.marked_span(name)) else None
            for name in Claim.MARKED_SPANS
        },
    }


# Re-anchoring writes its rows in plain SQL: the ORM's per-row CASE expressions (what
# `bulk_update` builds) and per-object work in `bulk_create` cost about a millisecond of
# Python per claim, while one multi-row statement per batch costs next to nothing and
# reads the same on PostgreSQL and SQLite (3.33 or later, for UPDATE ... FROM).


def _batches(rows: Sequence[tuple], *, params_per_row: int, extra_params: int):
    limit = connection.features.max_query_params
    size = _MAX_ROWS_PER_BATCH
    if limit:
        size = max(1, min(size, (limit - extra_params) // params_per_row))
    for begin in range(0, len(rows), size):
        yield rows[begin : begin + size]


def _update_anchors(rows: Sequence[tuple], *, modified) -> None:
    """Write the anchors of many claims and bump their versions, one UPDATE per batch.

    `rows` are `(pk, expected version, *values of _ANCHOR_COLUMNS)`. Each UPDATE is
    conditional on every claim still having the version read under the lock (the check
    `save_transition` makes, for many rows at once): a claim changed meanwhile raises
    StaleVersion and the whole revision rolls back.
    """
    quote = connection.ops.quote_name
    table = quote(Claim._meta.db_table)
    pk, version, changed = (
        quote(Claim._meta.get_field(name).column) for name in ("id", "version", "modified")
    )
    fields = [Claim._meta.get_field(name) for name in _ANCHOR_COLUMNS]
    columns = [quote(field.column) for field in fields]
    # The rows' columns are column1, column2, ...: what an unnamed VALUES list calls them
    # on both databases, and the names given to the recordset on PostgreSQL.
    assignments = ", ".join(f"{c} = v.column{i}" for i, c in enumerate(columns, start=3))
    when = connection.ops.adapt_datetimefield_value(modified)
    head = (
        f"UPDATE {table} SET {assignments}, {version} = {table}.{version} + 1, {changed} = %s "
        "FROM {rows} WHERE "
        f"{table}.{pk} = v.column1 AND {table}.{version} = v.column2"
    )
    types = [Claim._meta.get_field(name).db_type(connection) for name in ("id", "version")]
    types += [field.db_type(connection) for field in fields]
    for batch in _batches(rows, params_per_row=2 + len(columns), extra_params=1):
        sql, params = _rows_sql(batch, types)
        with connection.cursor() as cursor:
            cursor.execute(head.format(rows=sql), [when, *params])
            updated = cursor.rowcount
        if updated != len(batch):
            raise StaleVersion(
                "A claim of this article changed while its text was being revised; try again.",
                field="revision",
            )


def _rows_sql(rows: Sequence[tuple], types: Sequence[str]) -> tuple[str, list]:
    """Rows as a relation `v` of columns column1, column2, ... (of these database
    types), and its parameters. On PostgreSQL one JSON document (`json_to_recordset`):
    thousands of parameters would each be quoted into the statement by the driver, which
    cost more than the database's own work. On SQLite a VALUES list."""
    if connection.vendor == "postgresql":
        names = [f"column{i}" for i in range(1, len(types) + 1)]
        record = ", ".join(f"{name} {kind}" for name, kind in zip(names, types, strict=True))
        document = orjson.dumps([dict(zip(names, row, strict=True)) for row in rows])
        return f"json_to_recordset(%s::json) AS v({record})", [document.decode()]
    row = "(" + ", ".join(["%s"] * len(types)) + ")"
    return f"(VALUES {', '.join([row] * len(rows))}) AS v", [value for row in rows for value in row]


def _insert_events(rows: Sequence[tuple], *, user, created) -> None:
    """Append one `reanchored` event per row `(claim id, from, to, version, changes, data)`."""
    meta = ClaimEvent._meta
    fields = [meta.get_field(name) for name in ClaimEvent.RECORDED_FIELDS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(f"v.column{i}" for i in range(1, len(fields) + 1))
    types = [field.db_type(connection) for field in fields]
    changes_field, data_field = meta.get_field("changes"), meta.get_field("data")
    actor_id = user.pk if user is not None else None
    # In the JSON document of PostgreSQL the values stay as they are (a timestamp as
    # ISO text, the changes as JSON); a VALUES list takes them as the driver adapts them.
    as_json = connection.vendor == "postgresql"
    when = created if as_json else connection.ops.adapt_datetimefield_value(created)
    for batch in _batches(rows, params_per_row=len(fields), extra_params=0):
        prepared = [
            (
                claim_id,
                EventKind.REANCHORED.value,
                actor_id,
                when,
                from_status,
                to_status,
                version,
                changes if as_json else changes_field.get_db_prep_save(changes, connection),
                data if as_json else data_field.get_db_prep_save(data, connection),
            )
            for claim_id, from_status, to_status, version, changes, data in batch
        ]
        relation, params = _rows_sql(prepared, types)
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {values} FROM {relation}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def may_reattach(user, claim: Claim) -> bool:
    """The claim's author (while a researcher) or an editor re-attaches a claim.

    Re-attaching decides which words a claim is about. Its author knows; editors look
    after everyone's claims. Other researchers and reviewers do not move a colleague's
    claim (a reviewer asks for changes instead).
    """
    if not user.is_authenticated:
        return False
    return (
        claim.author_id == user.pk and can_annotate(user, claim.project_id)
    ) or can_look_after_claims(user, claim.project_id)


def check_reattach(*, user, claim: Claim) -> None:
    """Raise NotAllowed unless `may_reattach`: what `claim_reattach` refuses first."""
    if not may_reattach(user, claim):
        raise NotAllowed("Only the claim's author or an editor re-attaches a claim.")


@transaction.atomic
def claim_reattach(*, user, claim_id: int, version: int, start: int, end: int, exact: str) -> Claim:
    """Re-attach an orphaned or fuzzy claim to a passage of its article's current text.

    Locks the claim and checks `version`. The selection (code points) is checked against
    the current revision; the claim then points at it, `anchored`, and a `reattached`
    event records the anchor before and after. When the quoted words change, an approved
    claim goes back to `submitted`, as after a fuzzy re-anchoring: a reviewer approved
    other words. So a claim approved or under review starts a new review round, and the
    approvals given to the old words stop counting.

    Raises Claim.DoesNotExist (not visible to the user), NotAllowed (neither the author
    nor an editor), StaleVersion, InvalidTransition (the claim is anchored or moved: edit
    it instead), AnchorMismatch (the selection does not match the text).
    """
    claim = lock_claim(claim_id, version=None)
    if not claims_visible_to(user).filter(pk=claim.pk).exists():
        raise Claim.DoesNotExist("No such claim.")
    check_reattach(user=user, claim=claim)
    if claim.version != version:
        raise StaleVersion(
            f"The claim is at version {claim.version}, not {version}; reload and try again.",
            field="version",
        )
    if claim.anchor_state not in REATTACHABLE_STATES:
        raise InvalidTransition(
            "Only orphaned or fuzzy claims are re-attached; this one is "
            f"{claim.anchor_state}. Edit the claim to change its passage."
        )
    revision = claim.article.current_revision
    anchor = anchor_from_selection(text=revision.text, start=start, end=end, exact=exact)
    before = _anchor_of(claim, claim.revision.number)
    fields: dict[str, Any] = {
        "revision": revision,
        "start": anchor.start,
        "end": anchor.end,
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "anchor_state": AnchorState.ANCHORED,
    }
    # The cue and source mention were spans of the old revision: carried onto the new
    # text like the passage would be, dropped when they cannot be found there.
    dropped = []
    for name in Claim.MARKED_SPANS:
        span = _reanchor_span(claim.marked_span(name), claim.revision.text, revision.text)
        if span is None and claim.marked_span(name) is not None:
            dropped.append(name)
        fields.update(_marked_span_fields(name, span))
    from_status = claim.status
    if anchor.exact != claim.exact:
        target = workflow.next_status(claim.status, workflow.Action.FUZZY_REANCHOR, workflow.SYSTEM)
        if target != from_status:
            fields["status"] = target
        # Approvals given to the old words stop counting, whether the claim was approved
        # or still under review.
        if workflow.starts_review_round(from_status, target, changed=True):
            fields.update(review_round_start())
    claim = save_transition(claim, expected_version=version, **fields)
    after = _anchor_of(claim, revision.number)
    changes = {
        key: [before[key], after[key]]
        for key in CHANGE_FIELDS
        if key in after and before[key] != after[key]
    }
    if claim.status != from_status:
        changes["status"] = [from_status, claim.status]
    record_event(
        claim=claim,
        kind=EventKind.REATTACHED,
        user=user,
        from_status=from_status,
        to_status=claim.status,
        changes=changes,
        data={
            "from": before,
            "to": after,
            "resubmitted_for_review": claim.status != from_status,
            **({"dropped": dropped} if dropped else {}),
        },
    )
    return claim


def _reanchor_span(
    span: tuple[int, int, str] | None, old_text: str, text: str
) -> tuple[int, int, str] | None:
    """One cue or source mention carried from `old_text` to `text`, or None."""
    if span is None:
        return None
    start, end, exact = span
    if not exact or end - start != len(exact):
        return None
    context = context_around(old_text, start, end) if old_text[start:end] == exact else ("", "")
    found = reanchor_many(
        anchors=[Anchor(start, end, exact, *context)], old_text=old_text, text=text
    )[0]
    return None if found.state == AnchorState.ORPHANED else (found.start, found.end, found.exact)
