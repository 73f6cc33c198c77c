"""Number the review rounds of the claims and reviews that exist already.

Until now a review counted in its claim's current round when it was made at or after the
claim's `submitted_at`. The rounds are rebuilt from each claim's audit trail, in order:

- a round begins at every event that brings the claim into `submitted` from another
  status (a submission, a resubmission, an approved claim edited or re-anchored back
  into review), and at every re-anchoring or re-attachment that changes the quoted words
  of a claim under review;
- a review belongs to the round in force at the event that recorded it (decision events
  name their review), or else to the last round begun at or before it was made.

A claim whose trail holds no such event (rows written without the services) falls back
on `submitted_at`: one round if it was ever submitted, holding the reviews made since.
A claim never submitted stays in round 0 with its reviews, so that they count as they
did. The work goes a batch of claims at a time: a few queries a batch, whatever the
size of the desk.
"""

from bisect import bisect_right
from itertools import groupby

from django.db import migrations

BATCH_SIZE = 500
# Ids per `IN (...)` of an UPDATE: below SQLite's oldest limit of parameters.
IDS_PER_UPDATE = 900
SUBMITTED = "submitted"
REANCHORING_KINDS = frozenset({"reanchored", "reattached"})


def begins_round(kind, from_status, to_status, data):
    if to_status != SUBMITTED:
        return False
    if from_status != SUBMITTED:
        return True
    if kind not in REANCHORING_KINDS or not isinstance(data, dict):
        return False
    before, after = data.get("from") or {}, data.get("to") or {}
    return before.get("exact") != after.get("exact")


def rounds_of_claim(submitted_at, events, reviews):
    """(the claim's round, {review id: its round}) from the claim's events in order
    `(kind, from_status, to_status, created, data)` and its reviews `(id, created)`."""
    starts = []
    by_event = {}
    for kind, from_status, to_status, created, data in events:
        if begins_round(kind, from_status, to_status, data):
            starts.append(created)
        review_id = data.get("review") if isinstance(data, dict) else None
        if review_id is not None:
            by_event[review_id] = len(starts)
    if not starts and submitted_at is not None:
        starts = [submitted_at]
    starts.sort()
    review_rounds = {
        review_id: by_event.get(review_id, bisect_right(starts, created))
        for review_id, created in reviews
    }
    return len(starts), review_rounds


def _write(model, rounds):
    """Set `review_round` of the rows `{id: round}`, one UPDATE per round number and
    slice of ids (0 is what the new column holds already)."""
    by_round = {}
    for pk, number in rounds.items():
        if number:
            by_round.setdefault(number, []).append(pk)
    for number, ids in by_round.items():
        for begin in range(0, len(ids), IDS_PER_UPDATE):
            model.objects.filter(pk__in=ids[begin : begin + IDS_PER_UPDATE]).update(
                review_round=number
            )


def fill_review_rounds(apps, schema_editor):
    Claim = apps.get_model("annotations", "Claim")
    ClaimEvent = apps.get_model("annotations", "ClaimEvent")
    Review = apps.get_model("annotations", "Review")
    last = 0
    while True:
        claims = list(
            Claim.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "submitted_at")[:BATCH_SIZE]
        )
        if not claims:
            return
        last = claims[-1][0]
        ids = [pk for pk, _ in claims]
        events = {
            claim_id: [row[1:] for row in rows]
            for claim_id, rows in groupby(
                ClaimEvent.objects.filter(claim_id__in=ids)
                .order_by("claim_id", "id")
                .values_list("claim_id", "kind", "from_status", "to_status", "created", "data"),
                key=lambda row: row[0],
            )
        }
        reviews = {
            claim_id: [row[1:] for row in rows]
            for claim_id, rows in groupby(
                Review.objects.filter(claim_id__in=ids)
                .order_by("claim_id", "id")
                .values_list("claim_id", "id", "created"),
                key=lambda row: row[0],
            )
        }
        claim_rounds, review_rounds = {}, {}
        for pk, submitted_at in claims:
            claim_rounds[pk], of_reviews = rounds_of_claim(
                submitted_at, events.get(pk, []), reviews.get(pk, [])
            )
            review_rounds.update(of_reviews)
        _write(Claim, claim_rounds)
        _write(Review, review_rounds)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_review_round"),
    ]

    operations = [
        migrations.RunPython(fill_review_rounds, migrations.RunPython.noop, elidable=True),
    ]
