"""Claim services: create, edit, submit, delete, re-attach.

Each runs in one transaction that locks the claim row, checks the client's `version`,
applies `annotations.workflow`, bumps the version with a conditional update (so a lost
race is a `StaleVersion` on SQLite too, where row locks do nothing) and writes a
`ClaimEvent`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations import workflow
from annotations.anchoring.selection import anchor_from_selection, splits_character
from annotations.models import (
    ActorRole,
    AnchorState,
    Certainty,
    Claim,
    ClaimActor,
    ClaimSource,
    EventKind,
)
from annotations.roles import can_annotate, can_review
from annotations.services.actors import actors_locked
from annotations.services.events import (
    claim_snapshot,
    diff_snapshots,
    marked_span_snapshot,
    record_event,
)
from annotations.services.relation_links import RelationLink, plan_relations, write_relations
from annotations.services.rounds import review_round_start
from articles.models import Article, ArticleRevision
from claimdesk import characters, limits
from claimdesk.checks import may
from claimdesk.errors import (
    AnchorMismatch,
    Conflict,
    InvalidInput,
    NotAllowed,
    StaleRevision,
    StaleVersion,
)


@dataclass(frozen=True)
class MarkedSpan:
    """A cue or source mention as a door sends it: code-point offsets into the claim's
    revision and the words seen there (None: take them from the text, as the claim form
    does, which sends offsets only)."""

    start: int
    end: int
    exact: str | None = None


class _Unchanged:
    """`claim_update`'s default for a span: keep what the claim has (None clears it)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()

SPAN_LABELS = {"cue": "cue", "source_mention": "source mention"}


def marked_span(*, text: str, name: str, span: MarkedSpan | None) -> dict[str, Any]:
    """Check a cue or source mention (`name`) against the revision text: the one rule
    the API, the claim form, the admin and the commands share.

    Returns the model fields (`<name>_start`, `<name>_end`, `<name>_exact`), all empty
    for None. The span may lie anywhere in the text (typically the passage's sentence):
    the claimant is often named outside the quoted words. Raises AnchorMismatch naming
    `<name>.start`, `<name>.end` (offsets out of range) or `<name>.exact` (the words do
    not match the text), and InvalidInput (code `splits_character`) as the passage does.
    """
    if span is None:
        return {f"{name}_start": None, f"{name}_end": None, f"{name}_exact": ""}
    label = SPAN_LABELS[name]
    start, end = span.start, span.end
    if not 0 <= start < len(text):
        raise AnchorMismatch(f"The {label} starts outside the article text.", field=f"{name}.start")
    if not start < end <= len(text):
        raise AnchorMismatch(
            f"The {label} must end after it starts and inside the article text.",
            field=f"{name}.end",
        )
    exact = text[start:end] if span.exact is None else span.exact
    if text[start:end] != exact:
        raise AnchorMismatch(
            f"The {label} does not match the article text at these offsets.",
            field=f"{name}.exact",
        )
    for part, offset in (("start", start), ("end", end)):
        if splits_character(text, offset):
            raise InvalidInput.for_field(
                f"The {label} {part}s inside a character (offset {offset}). Select whole "
                "characters.",
                field=f"{name}.{part}",
                code="splits_character",
            )
    return {f"{name}_start": start, f"{name}_end": end, f"{name}_exact": exact}


def span_from_offsets(*, name: str, start: int | None, end: int | None) -> MarkedSpan | None:
    """A cue or source mention from a door that sends offsets only (the claim form, the
    admin): both empty is none; one without the other is refused (InvalidInput naming
    `<name>.start` or `<name>.end`). The words are then read from the text."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        missing = "start" if start is None else "end"
        raise InvalidInput(
            f"The {SPAN_LABELS[name]} needs both a start and an end.", field=f"{name}.{missing}"
        )
    return MarkedSpan(start, end, None)


def _marked_spans(text: str, **spans: MarkedSpan | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, span in spans.items():
        if span is not UNCHANGED:
            fields.update(marked_span(text=text, name=name, span=span))
    return fields


@dataclass(frozen=True)
class ActorLink:
    actor_id: int
    role: str


@dataclass(frozen=True)
class SourceLink:
    source_id: int
    locator: str = ""
    note: str = ""


def workflow_participant(*, user, claim: Claim) -> workflow.Participant:
    """What the workflow needs to know of `user` acting on `claim`: whether they wrote
    it, and whether they review in its project."""
    return workflow.Participant(
        is_author=claim.author_id == user.pk, can_review=can_review(user, claim.project_id)
    )


def _check_text_lengths(
    *, statement: str | None, note: str | None, sources: Sequence[SourceLink]
) -> None:
    characters.check_characters(statement=statement, note=note)
    limits.check_lengths(statement=(statement, limits.STATEMENT), note=(note, limits.CLAIM_NOTE))
    for index, link in enumerate(sources):
        characters.check_characters(
            **{f"sources.{index}.locator": link.locator, f"sources.{index}.note": link.note}
        )
        limits.check_lengths(
            **{
                f"sources.{index}.locator": (link.locator, limits.LOCATOR),
                f"sources.{index}.note": (link.note, limits.SOURCE_LINK_NOTE),
            }
        )


def _validate_links(
    actors: Sequence[ActorLink], sources: Sequence[SourceLink], claimant_id: int | None
) -> None:
    limit = settings.MAX_LINKS_PER_CLAIM
    if len(actors) > limit:
        raise InvalidInput(f"A claim can name at most {limit} further actors.", field="actors")
    if len(sources) > limit:
        raise InvalidInput(f"A claim can cite at most {limit} sources.", field="sources")
    seen = set()
    for link in actors:
        if link.role not in ActorRole.values:
            raise InvalidInput(f"Unknown role {link.role!r}.", field="actors")
        if (link.actor_id, link.role) in seen:
            raise InvalidInput("The same actor is listed twice with the same role.", field="actors")
        seen.add((link.actor_id, link.role))
    seen_sources = set()
    for link in sources:
        key = (link.source_id, link.locator)
        if key in seen_sources:
            raise InvalidInput("The same source is cited twice at the same place.", field="sources")
        seen_sources.add(key)
    if claimant_id is None:
        raise InvalidInput("Say who makes the claim.", field="claimant")


def _actor_gone(field: str, what: str) -> Conflict:
    detail = (
        f"The actor chosen as {what} is no longer in the registry: an editor merged it into "
        "another actor (or removed it) after you chose it. Nothing was saved; choose it "
        "again (a merged actor's name is now an alias of the one it was merged into)."
    )
    return Conflict(
        detail, field=field, errors=[{"field": field, "code": "actor_gone", "detail": detail}]
    )


def _check_actors_present(
    present: set[int], claimant_id: int | None, actors: Sequence[ActorLink]
) -> None:
    """Refuse a claim naming an actor that `actors_locked` did not find.

    Such an actor existed when the door looked it up and was merged away before the
    claim was written. The merge leaves no lasting record of where an actor went (its
    name becomes an alias of the survivor; an event is written only on claims that named
    it), and the researcher chose that actor, not the survivor: so the claim is refused
    with a conflict (409, code `actor_gone`) naming the field, and they choose again.
    """
    if claimant_id is not None and claimant_id not in present:
        raise _actor_gone("claimant", "claimant")
    for index, link in enumerate(actors):
        if link.actor_id not in present:
            raise _actor_gone(f"actors.{index}.actor", f"{link.role} (row {index + 1})")


def _lock_claim_and_its_actors(
    claim_id: int, *, version: int | None, naming: Iterable[int] = ()
) -> tuple[Claim, set[int]]:
    """Lock the actors the claim names now and those in `naming`, then the claim.

    A merge locks actors first and then rewrites the claims naming the loser; taking the
    locks in the same order (actors, then the claim) keeps an edit and a merge from each
    holding what the other waits for. The claim's actors are read without a lock first;
    if a merge moved them before the locks were taken, the claim now names an actor not
    locked here, and the edit is refused as a `Conflict` (reload and try again) rather
    than risk that circle. Returns the locked claim and the ids of the actors that exist.
    """
    current = Claim.objects.filter(pk=claim_id).values_list("claimant_id", flat=True).first()
    linked = set(ClaimActor.objects.filter(claim_id=claim_id).values_list("actor_id", flat=True))
    wanted = {*linked, *naming} | ({current} if current is not None else set())
    present = actors_locked(wanted)
    claim = lock_claim(claim_id, version=version)
    named_now = {claim.claimant_id, *claim.actor_links.values_list("actor_id", flat=True)}
    if not named_now <= present:
        raise Conflict()
    return claim, present


def _full_clean(claim: Claim) -> None:
    characters.check_instance(claim)
    try:
        claim.full_clean(exclude=["article", "revision", "author", "claimant"])
    except ValidationError as exc:
        errors = [
            {"field": field, "code": err.code or "invalid", "detail": " ".join(err.messages)}
            for field, errs in exc.error_dict.items()
            for err in errs
        ]
        raise InvalidInput(errors[0]["detail"], field=errors[0]["field"], errors=errors) from exc


def _replace_links(
    claim: Claim, actors: Iterable[ActorLink] | None, sources: Iterable[SourceLink] | None
) -> None:
    if actors is not None:
        claim.actor_links.all().delete()
        ClaimActor.objects.bulk_create(
            ClaimActor(claim=claim, actor_id=link.actor_id, role=link.role) for link in actors
        )
    if sources is not None:
        claim.source_links.all().delete()
        ClaimSource.objects.bulk_create(
            ClaimSource(claim=claim, source_id=link.source_id, locator=link.locator, note=link.note)
            for link in sources
        )


# -- may I? --------------------------------------------------------------------------------
# Each question is answered by the very test its service applies, so a page that hides a
# button asks the rule that would refuse the click.


def check_create_claim(*, user, article: Article | None = None) -> None:
    """Raise NotAllowed unless `user` is a researcher in the article's project (in some
    project, without an article: the API asks before it reads the body)."""
    if not can_annotate(user, article.project_id if article is not None else None):
        raise NotAllowed("Only researchers of the article's project can create claims.")


def can_create_claim(user, article: Article | None = None) -> bool:
    return may(check_create_claim, user=user, article=article)


def _may_take(user, claim: Claim, *actions: workflow.Action) -> bool:
    allowed = workflow.allowed_actions(claim.status, workflow_participant(user=user, claim=claim))
    return any(action in allowed for action in actions)


def can_edit_claim(user, claim: Claim) -> bool:
    """The author, while the workflow lets them edit (a note-only edit counts)."""
    return _may_take(user, claim, workflow.Action.EDIT, workflow.Action.EDIT_NOTE)


def can_submit_claim(user, claim: Claim) -> bool:
    return _may_take(user, claim, workflow.Action.SUBMIT)


def can_delete_claim(user, claim: Claim) -> bool:
    return _may_take(user, claim, workflow.Action.DELETE)


def check_edit_claim(*, user, claim: Claim) -> None:
    """Raise unless `can_edit_claim`: NotAllowed for anyone but the author (as
    `claim_update` does before reading any input), else InvalidTransition."""
    if not can_edit_claim(user, claim):
        workflow.next_status(
            claim.status, workflow.Action.EDIT, workflow_participant(user=user, claim=claim)
        )


# -- create -------------------------------------------------------------------------------


def _revision_to_annotate(article: Article, revision: ArticleRevision | None) -> ArticleRevision:
    """The article's current revision; a revision the door was given must be it.

    Raises InvalidInput (field `article`) when the article has no text, InvalidInput
    (field `revision`, code `does_not_exist`) for a revision of another article, and
    StaleRevision (field `revision`) for an older revision of this one.
    """
    current = article.current_revision
    if current is None:
        raise InvalidInput("This article has no text to annotate.", field="article")
    if revision is None or revision.pk == current.pk:
        return current
    if revision.article_id != article.pk:
        detail = "This revision is not one of the article's revisions."
        raise InvalidInput(
            detail,
            field="revision",
            errors=[{"field": "revision", "code": "does_not_exist", "detail": detail}],
        )
    raise StaleRevision(
        f"Revision {revision.number} is no longer the article's current text (revision "
        f"{current.number} is); select the passage again in the current text.",
        field="revision",
    )


@transaction.atomic
def claim_create(
    *,
    user,
    article: Article,
    start: int,
    end: int,
    exact: str,
    statement: str,
    claimant_id: int,
    certainty: str = Certainty.ASSERTED,
    actors: Sequence[ActorLink] = (),
    sources: Sequence[SourceLink] = (),
    note: str = "",
    revision: ArticleRevision | None = None,
    submit: bool = False,
    relations: Sequence[RelationLink] = (),
    cue: MarkedSpan | None = None,
    source_mention: MarkedSpan | None = None,
) -> Claim:
    """Create a draft claim on the article's current revision; with `submit`, send it to
    review in the same transaction (both events are written, or neither). `relations`
    (`RelationLink`s) are recorded with it, one `related`
    event each, refused as `plan_relations` refuses them.

    `revision`, when a door names the revision the offsets were counted in, must be the
    current one. Raises NotAllowed for users who may not annotate, InvalidInput and
    StaleRevision for the revision (see `_revision_to_annotate`), AnchorMismatch when
    `text[start:end] != exact`, InvalidInput for bad fields (over-long text: code
    `max_length`). `cue` and `source_mention` are checked by `marked_span`.

    The actors it names are locked before the claim is written (`actors_locked`), so a
    merge at the same moment either waits and then moves this claim to the survivor, or
    has already deleted the actor: then Conflict (code `actor_gone`, field `claimant` or
    `actors.N.actor`).
    """
    check_create_claim(user=user, article=article)
    revision = _revision_to_annotate(article, revision)
    _check_text_lengths(statement=statement, note=note, sources=sources)
    anchor = anchor_from_selection(text=revision.text, start=start, end=end, exact=exact)
    spans = _marked_spans(revision.text, cue=cue, source_mention=source_mention)
    _validate_links(actors, sources, claimant_id)
    present = actors_locked([claimant_id, *(link.actor_id for link in actors)])
    _check_actors_present(present, claimant_id, actors)
    claim = Claim(
        article=article,
        project_id=article.project_id,
        revision=revision,
        start=anchor.start,
        end=anchor.end,
        exact=anchor.exact,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        anchor_state=AnchorState.ANCHORED,
        statement=statement.strip(),
        claimant_id=claimant_id,
        certainty=certainty,
        note=note,
        status=workflow.Status.DRAFT,
        author=user,
        **spans,
    )
    _full_clean(claim)
    claim.save()
    _replace_links(claim, actors, sources)
    record_event(
        claim=claim,
        kind=EventKind.CREATED,
        user=user,
        to_status=claim.status,
        changes=diff_snapshots({}, claim_snapshot(claim)),
    )
    if relations:
        plan = plan_relations(user=user, claim=claim, relations=relations)
        write_relations(user=user, claim=claim, plan=plan, from_status=claim.status)
    return _submit_if_asked(user=user, claim=claim, submit=submit)


def lock_claim(claim_id: int, *, version: int | None) -> Claim:
    """Lock the claim row for the rest of the transaction and check the client's version."""
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    if version is not None and claim.version != version:
        raise StaleVersion(
            f"The claim is at version {claim.version}, not {version}; reload and try again.",
            field="version",
        )
    return claim


def save_transition(claim: Claim, *, expected_version: int, **fields: Any) -> Claim:
    """Write `fields` and the next version only if nobody else has in the meantime."""
    updated = Claim.objects.filter(pk=claim.pk, version=expected_version).update(
        version=F("version") + 1, modified=timezone.now(), **fields
    )
    if updated != 1:
        raise StaleVersion(field="version")
    claim.refresh_from_db()
    return claim


@transaction.atomic
def claim_update(
    *,
    user,
    claim_id: int,
    version: int,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
    statement: str | None = None,
    claimant_id: int | None = None,
    certainty: str | None = None,
    actors: Sequence[ActorLink] | None = None,
    sources: Sequence[SourceLink] | None = None,
    note: str | None = None,
    submit: bool = False,
    relations: Sequence[RelationLink] | None = None,
    cue: MarkedSpan | None = UNCHANGED,
    source_mention: MarkedSpan | None = UNCHANGED,
) -> Claim:
    """Edit a claim. Only the author edits; a substantive edit of an approved claim
    sends it back to `submitted` for review again, in a new review round. The anchor,
    when given, is checked against the claim's current revision. With `submit`, a claim
    that may then be submitted (a draft, or one whose changes were requested) is sent to
    review in the same transaction. `relations`, when given, become the claim's own
    relations (see `annotations.services.relation_links.plan_relations`): a change of them is
    substantive and writes `related`/`unrelated` events beside the `edited` one.
    `cue` and `source_mention` (`MarkedSpan`, None to clear, left out to keep) are spans
    of the claim's revision checked by `marked_span`; a change of either is substantive,
    like the anchor: it changes the words a reviewer checked the attribution against.

    Locks the actors the claim names and those it is to name, then the claim (see
    `_lock_claim_and_its_actors`). Raises Conflict (code `actor_gone`, field `claimant`
    or `actors.N.actor`) when a newly named actor was merged away after the door looked
    it up."""
    naming = [] if claimant_id is None else [claimant_id]
    naming += [link.actor_id for link in actors or ()]
    claim, present = _lock_claim_and_its_actors(claim_id, version=version, naming=naming)
    participant = workflow_participant(user=user, claim=claim)
    # Who may edit does not depend on what changes: refuse others before reading input.
    workflow.check_allowed(workflow.Action.EDIT, participant)
    _check_text_lengths(statement=statement, note=note, sources=sources or ())
    before = claim_snapshot(claim)
    fields: dict[str, Any] = {}
    if start is not None or end is not None or exact is not None:
        anchor = anchor_from_selection(
            text=claim.revision.text,
            start=claim.start if start is None else start,
            end=claim.end if end is None else end,
            exact=claim.exact if exact is None else exact,
        )
        fields.update(
            start=anchor.start,
            end=anchor.end,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
        )
    fields.update(_marked_spans(claim.revision.text, cue=cue, source_mention=source_mention))
    if statement is not None:
        fields["statement"] = statement.strip()
    if claimant_id is not None:
        fields["claimant_id"] = claimant_id
    if certainty is not None:
        fields["certainty"] = certainty
    if note is not None:
        fields["note"] = note
    for key, value in fields.items():
        setattr(claim, key, value)
    _validate_links(
        actors if actors is not None else [],
        sources if sources is not None else [],
        claim.claimant_id,
    )
    _check_actors_present(present, claimant_id, actors or ())
    _full_clean(claim)

    after = dict(before)
    after.update(
        {
            key.removesuffix("_id"): value
            for key, value in fields.items()
            if key.removesuffix("_id") in before
        }
    )
    after.update(marked_span_snapshot(claim))
    if actors is not None:
        after["actors"] = sorted([link.actor_id, link.role] for link in actors)
    if sources is not None:
        after["sources"] = sorted([link.source_id, link.locator, link.note] for link in sources)
    changes = diff_snapshots(before, after)
    plan = None
    if relations is not None:
        plan = plan_relations(user=user, claim=claim, relations=relations)
    action = workflow.edit_action([*changes, *(["relations"] if plan else [])])
    target = workflow.next_status(claim.status, action, participant)
    if not changes and not plan:
        return _submit_if_asked(user=user, claim=claim, submit=submit)

    from_status = claim.status
    extra = {}
    if target != from_status:
        extra["status"] = target
    if workflow.starts_review_round(from_status, target, changed=action is workflow.Action.EDIT):
        extra.update(review_round_start())
    claim = save_transition(claim, expected_version=version, **fields, **extra)
    _replace_links(claim, actors, sources)
    if changes:
        record_event(
            claim=claim,
            kind=EventKind.EDITED,
            user=user,
            from_status=from_status,
            to_status=claim.status,
            changes=changes,
            data={"resubmitted_for_review": True} if target != from_status else {},
        )
        from_status = claim.status
    if plan:
        write_relations(user=user, claim=claim, plan=plan, from_status=from_status)
    return _submit_if_asked(user=user, claim=claim, submit=submit)


def _submit_if_asked(*, user, claim: Claim, submit: bool) -> Claim:
    """After an edit: send the claim to review when asked and the workflow allows (an
    approved claim that an edit sent back to review is submitted already)."""
    if submit and can_submit_claim(user, claim):
        return claim_submit(user=user, claim_id=claim.pk, version=claim.version)
    return claim


@transaction.atomic
def claim_submit(*, user, claim_id: int, version: int) -> Claim:
    """Send a draft (or a claim whose changes were requested) to the review queue, in a
    new review round."""
    claim = lock_claim(claim_id, version=version)
    target = workflow.next_status(
        claim.status, workflow.Action.SUBMIT, workflow_participant(user=user, claim=claim)
    )
    from_status = claim.status
    claim = save_transition(
        claim,
        expected_version=version,
        status=target,
        **review_round_start(),  # entering `submitted` always starts a round
    )
    record_event(
        claim=claim, kind=EventKind.SUBMITTED, user=user, from_status=from_status, to_status=target
    )
    return claim


@transaction.atomic
def claim_delete(*, user, claim_id: int, version: int | None = None) -> None:
    """Delete the author's own draft (or a claim sent back for changes).

    The audit trail stays: a `deleted` event keeps what the claim said. Its actors are
    locked before the claim, as a merge takes them (see `_lock_claim_and_its_actors`).
    """
    claim, _ = _lock_claim_and_its_actors(claim_id, version=version)
    workflow.next_status(
        claim.status, workflow.Action.DELETE, workflow_participant(user=user, claim=claim)
    )
    record_event(
        claim=claim,
        kind=EventKind.DELETED,
        user=user,
        from_status=claim.status,
        to_status="",
        data={"snapshot": claim_snapshot(claim), "article": claim.article_id},
    )
    claim.delete()
