"""Claims and their attribution: actors, links, reviews and the audit trail.

The database keeps the invariants (offsets, uniqueness, PROTECT where deleting would lose
work); services in `annotations/services.py` keep the rules that span rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from articles.models import Article, ArticleRevision, Source
from claimdesk.models import AppendOnly

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id is Q followed by digits, such as Q222.", code="wikidata_id"
)


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    STATE = "state", "State"
    GROUP = "group", "Group"
    OTHER = "other", "Other"


class Actor(models.Model):
    """Someone who makes claims or is named in them. `folded` is the name for matching."""

    name = models.CharField(max_length=300)
    folded = models.CharField(max_length=300, editable=False, db_index=True)
    kind = models.CharField(max_length=16, choices=ActorKind.choices, default=ActorKind.OTHER)
    description = models.TextField(blank=True, default="")
    wikidata_id = models.CharField(
        max_length=20, blank=True, default="", validators=[wikidata_id_validator]
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        permissions = [("merge_actor", "Can merge actors")]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="actor_wikidata_unique_when_set",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="actor_not_own_parent"),
        ]
        indexes = [models.Index(fields=["name"], name="actor_name_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from annotations.text import fold

        self.folded = fold(self.name)
        super().save(*args, **kwargs)


class ActorAlias(models.Model):
    """Another name of an actor: "Tehran" and "the Iranian state" for Iran."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    folded = models.CharField(max_length=300, editable=False, db_index=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(fields=["actor", "folded"], name="alias_unique_per_actor"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from annotations.text import fold

        self.folded = fold(self.name)
        super().save(*args, **kwargs)


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class AnchorState(models.TextChoices):
    ANCHORED = "anchored", "Anchored"
    MOVED = "moved", "Moved"
    FUZZY = "fuzzy", "Fuzzy"
    ORPHANED = "orphaned", "Orphaned"


class Certainty(models.TextChoices):
    ASSERTED = "asserted", "Asserted"
    ALLEGED = "alleged", "Alleged"
    DENIED = "denied", "Denied"
    CONFIRMED = "confirmed", "Confirmed"
    SPECULATED = "speculated", "Speculated"


class ActorRole(models.TextChoices):
    ACCUSED = "accused", "Accused"
    TARGET = "target", "Target"
    SUPPORTER = "supporter", "Supporter"
    DENIER = "denier", "Denier"
    MENTIONED = "mentioned", "Mentioned"


class RelationKind(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    DENIES = "denies", "Denies"
    REPEATS = "repeats", "Repeats"


class Claim(models.Model):
    """One annotation: a span of one article revision and what it asserts, by whom."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    # The article's project, copied so that a desk's claims are read through the
    # composite indexes below without a join; `article_move` keeps it equal.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="claims")
    start = models.PositiveIntegerField(help_text="Code-point offset into the revision text.")
    end = models.PositiveIntegerField(help_text="Code-point offset, exclusive.")
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True, default="")
    suffix = models.CharField(max_length=64, blank=True, default="")
    anchor_state = models.CharField(
        max_length=16, choices=AnchorState.choices, default=AnchorState.ANCHORED
    )
    # PARC's cue (the reporting words: "said", "rejected") and source mention (where the
    # claimant is named), optional spans of the same revision as the passage, kept beside
    # it and re-anchored with it (`annotations.services.claims.marked_span`).
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    cue_exact = models.TextField(blank=True, default="")
    source_mention_start = models.PositiveIntegerField(null=True, blank=True)
    source_mention_end = models.PositiveIntegerField(null=True, blank=True)
    source_mention_exact = models.TextField(blank=True, default="")
    statement = models.TextField()
    claimant = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="claims_made")
    certainty = models.CharField(
        max_length=16, choices=Certainty.choices, default=Certainty.ASSERTED
    )
    note = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)  # the current round's start
    review_round = models.PositiveIntegerField(
        default=0,
        help_text="The claim's current review round: 0 before its first submission, then "
        "one more each time a round starts (see `annotations.services.rounds`).",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article_id", "start", "id"]
        permissions = [("review_claim", "Can review claims")]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="claim_start_not_negative"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            models.CheckConstraint(
                condition=Q(cue_start__isnull=True, cue_end__isnull=True)
                | Q(cue_start__lt=F("cue_end")),
                name="claim_cue_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(source_mention_start__isnull=True, source_mention_end__isnull=True)
                | Q(source_mention_start__lt=F("source_mention_end")),
                name="claim_source_mention_span_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(anchor_state__in=AnchorState.values), name="claim_anchor_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(certainty__in=Certainty.values), name="claim_certainty_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="claim_status_submitted_idx"),
            # Exports and the annotation container page approved claims by id and
            # report their latest change.
            models.Index(fields=["status", "id"], name="claim_status_id_idx"),
            models.Index(fields=["status", "modified"], name="claim_status_modified_idx"),
            models.Index(fields=["project", "status", "id"], name="claim_project_status_id_idx"),
            models.Index(
                fields=["project", "status", "submitted_at"], name="claim_project_submitted_idx"
            ),
            models.Index(
                fields=["project", "status", "modified"], name="claim_project_modified_idx"
            ),
            # A desk's claims newest first (the API's claim list and its cursor pages).
            models.Index(fields=["project", "created", "id"], name="claim_project_created_idx"),
            # The claims page's other orders, each walked through its index (sorted afresh,
            # a desk of 450,000 claims took 0.8 s a page): recently changed, recently
            # reviewed, by status; `modified` alone for a user of several desks.
            models.Index(fields=["project", "modified", "id"], name="claim_project_changed_idx"),
            models.Index(
                fields=["project", "reviewed_at", "id"], name="claim_project_reviewed_idx"
            ),
            models.Index(
                fields=["project", "status", "-created", "-id"], name="claim_project_status_new_idx"
            ),
            models.Index(fields=["modified"], name="claim_modified_idx"),
            # An article's claims newest first (`?article=` on the claim list). Without it a
            # planner with no statistics (SQLite before ANALYZE) walks the desk's index
            # above and filters every claim of the desk for the article's few.
            models.Index(fields=["article", "created", "id"], name="claim_article_created_idx"),
            models.Index(fields=["article", "start"], name="claim_article_start_idx"),
            models.Index(fields=["claimant", "status"], name="claim_claimant_status_idx"),
            # The actor pages list an actor's claims newest first, page by page.
            models.Index(fields=["claimant", "id"], name="claim_claimant_id_idx"),
            models.Index(fields=["claimant", "certainty", "id"], name="claim_claimant_denied_idx"),
            models.Index(fields=["anchor_state"], name="claim_anchor_state_idx"),
            models.Index(fields=["certainty"], name="claim_certainty_idx"),
            models.Index(fields=["created"], name="claim_created_idx"),
            models.Index(fields=["reviewed_at"], name="claim_reviewed_at_idx"),
            models.Index(fields=["author", "status"], name="claim_author_status_idx"),
        ]

    # The fields that place a claim in its revision's text, and its moments, in the order
    # the admin and the exports list them.
    ANCHOR_FIELDS = ("start", "end", "exact", "prefix", "suffix", "anchor_state")
    # The optional spans of the triple besides the passage, by public name.
    MARKED_SPANS = ("cue", "source_mention")
    MARKED_SPAN_FIELDS = tuple(
        f"{name}_{part}" for name in MARKED_SPANS for part in ("start", "end", "exact")
    )
    TIMESTAMP_FIELDS = ("created", "modified", "submitted_at", "reviewed_at")

    def __str__(self) -> str:
        return f"Claim {self.pk}: {self.statement[:60]}"

    def marked_span(self, name: str) -> tuple[int, int, str] | None:
        """The cue or source mention (`name`) as `(start, end, exact)`, or None."""
        start = getattr(self, f"{name}_start")
        if start is None:
            return None
        return start, getattr(self, f"{name}_end"), getattr(self, f"{name}_exact")


class ClaimActor(models.Model):
    """A further actor of a claim, with its role (accused, target, denier…)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="actor_links")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="claim_links")
    role = models.CharField(max_length=16, choices=ActorRole.choices)

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "actor", "role"], name="claim_actor_role_unique"
            ),
            models.CheckConstraint(condition=Q(role__in=ActorRole.values), name="claim_role_valid"),
        ]
        indexes = [
            # An actor's claims in a role, newest first (the actor pages' denials).
            models.Index(fields=["actor", "role", "claim"], name="claimactor_role_claim_idx")
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role})"


class ClaimSource(models.Model):
    """A source a claim cites, with an optional locator (page, paragraph, URL)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="source_links")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claim_links")
    locator = models.CharField(max_length=500, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["claim_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "locator"], name="claim_source_locator_unique"
            ),
        ]
        # A source's claims newest first (the source page), page by page.
        indexes = [models.Index(fields=["source", "claim"], name="claimsource_source_claim_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.locator}".strip()


class ClaimRelation(models.Model):
    """A claim relating to another: Tehran's denial contradicts Rama's accusation."""

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_out")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=16, choices=RelationKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"], name="claim_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")), name="claim_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_claim_id} {self.kind} {self.to_claim_id}"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    REQUEST_CHANGES = "request_changes", "Request changes"


class RejectReason(models.TextChoices):
    MISATTRIBUTED = "misattributed", "Misattributed"
    UNSUPPORTED = "unsupported", "Unsupported by sources"
    NOT_A_CLAIM = "not_a_claim", "Not a claim"
    DUPLICATE = "duplicate", "Duplicate"
    OTHER = "other", "Other"


def in_current_round(claim_round: Any = None) -> Q:
    """The condition a review of the claim's current review round meets.

    `claim_round` is the claim's round when the caller already holds it (a locked
    claim's number, `OuterRef("review_round")` in a subquery on claims); by default the
    review's claim is joined to read it.
    """
    return Q(review_round=F("claim__review_round") if claim_round is None else claim_round)


class ReviewQuerySet(models.QuerySet):
    def of_current_round(self, claim_round: Any = None) -> ReviewQuerySet:
        """The reviews given in their claim's current review round: the only ones that
        count towards `REQUIRED_APPROVALS`, keep a claim out of its approver's queue and
        rate it in the exports. See `in_current_round` for `claim_round`."""
        return self.filter(in_current_round(claim_round))


class Review(models.Model):
    """One reviewer's decision on one version of a claim, in one review round."""

    # A deleted draft takes its reviews along; the audit trail keeps each decision.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    claim_version = models.PositiveIntegerField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True, default="")
    comment = models.TextField(blank=True, default="")
    quote_checked = models.BooleanField(default=False)
    claimant_checked = models.BooleanField(default=False)
    sources_checked = models.BooleanField(default=False)
    rating_value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_label = models.CharField(max_length=100, blank=True, default="")
    review_round = models.PositiveIntegerField(
        default=0, help_text="The claim's review round when the decision was made."
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["claim_id", "created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "claim_version", "reviewer"],
                name="review_once_per_version_and_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True)
                | Q(rating_value__gte=1, rating_value__lte=5),
                name="review_rating_between_1_and_5",
            ),
            models.CheckConstraint(
                condition=~Q(decision="reject") | ~Q(reason=""), name="review_reject_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "created"], name="review_reviewer_idx"),
            # "Did this reviewer approve this claim in its current round?", asked per claim
            # of a review queue: one probe, never the reviewer's whole history.
            models.Index(
                fields=["claim", "reviewer", "review_round"], name="review_claim_reviewer_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} on claim {self.claim_id} v{self.claim_version}"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    APPROVAL_RECORDED = "approval_recorded", "Approval recorded"
    REJECTED = "rejected", "Rejected"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REANCHORED = "reanchored", "Re-anchored"
    REATTACHED = "reattached", "Re-attached"
    MERGED = "merged", "Actor merged"
    RELATED = "related", "Relation added"
    UNRELATED = "unrelated", "Relation removed"
    DELETED = "deleted", "Deleted"


class ClaimEvent(AppendOnly):
    """Append-only audit trail of a claim. Never updated, never deleted.

    `claim` has no database constraint so that deleting a draft keeps its trail.
    `changes` maps each changed field to [before, after].
    """

    claim = models.ForeignKey(
        Claim,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="events",
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_events",
    )
    created = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    changes = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)

    # What an event records, as the admin shows it and the re-anchoring writes it.
    RECORDED_FIELDS = (
        "claim_id",
        "kind",
        "actor",
        "created",
        "from_status",
        "to_status",
        "version",
        "changes",
        "data",
    )

    class Meta:
        ordering = ["claim_id", "id"]
        indexes = [models.Index(fields=["claim", "id"], name="claimevent_claim_idx")]

    def __str__(self) -> str:
        return f"{self.kind} claim {self.claim_id}"


class ProjectClaimCount(models.Model):
    """How many claims a project holds in each status, kept by database triggers in the
    transaction of every change (see `annotations.claim_counts`). Read, never written,
    by the application."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    draft = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    changes_requested = models.IntegerField(default=0)
    approved = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"claims of project {self.project_id}"


class ActorClaimCount(models.Model):
    """How many claims of a project, in a status, name an actor in a role, kept by
    database triggers in the transaction of every change (see
    `annotations.actor_counts`). `role` is a role of `ActorRole`, `claimant`,
    `involved` (the claims that name the actor at all, each counted once) or `linked`
    (the claims that link it in any role, each once). Read, never
    written, by the application."""

    actor = models.ForeignKey(
        Actor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    role = models.CharField(max_length=16)
    status = models.CharField(max_length=20)
    claims = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "role", "project", "status"], name="actor_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claims} {self.status} claims of actor {self.actor_id} as {self.role}"


class AccusationCount(models.Model):
    """How many claims of a project, in a status, by `claimant` accuse `accused`: the
    actor pages' "who accuses whom", kept by the triggers of `annotations.actor_counts`."""

    claimant = models.ForeignKey(
        Actor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    accused = models.ForeignKey(
        Actor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=20)
    claims = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claimant", "accused", "project", "status"],
                name="accusation_count_unique",
            ),
        ]
        # The pairs of an actor with the most claims in a status come first, from these.
        indexes = [
            models.Index(fields=["claimant", "status", "claims"], name="accusation_claimant_idx"),
            models.Index(fields=["accused", "status", "claims"], name="accusation_accused_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claimant_id} accuses {self.accused_id}: {self.claims} {self.status}"


class ActorInvolvement(models.Model):
    """That a claim names an actor, and how often: as its claimant (0 or 1) and in how
    many links. Kept by the triggers of `annotations.actor_counts`, which count a claim
    once for an actor however many times it names it; the actor pages list the claims
    "about" an actor through its (actor, claim) index."""

    claim = models.ForeignKey(
        Claim, on_delete=models.DO_NOTHING, db_constraint=False, related_name="involvements"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    as_claimant = models.IntegerField(default=0)
    links = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "actor"], name="involvement_unique"),
        ]
        indexes = [
            models.Index(
                fields=["actor", "claim"], condition=Q(links__gt=0), name="involvement_linked_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.claim_id} names actor {self.actor_id}"


# Registered with this app; the module says how keys make a write sent twice happen once.
from annotations.idempotency import IdempotencyKey  # noqa: E402, F401
