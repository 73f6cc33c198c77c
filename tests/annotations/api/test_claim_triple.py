"""The cue and source mention through the API: in every claim answer, set, changed and
cleared on create and update, checked against the text with the field named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import ClaimEvent, EventKind
from tests.annotations.exports.builders import DENIAL
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def payload(desk, **changes) -> dict:
    text = desk.article.revisions.get(number=1).text
    start = text.index(DENIAL)
    body = {
        "article": desk.article.pk,
        "start": start,
        "end": start + len(DENIAL),
        "exact": DENIAL,
        "statement": "Iran rejects the accusation.",
        "claimant": desk.iran.pk,
        "certainty": "denied",
        "cue": {"start": start + 7, "end": start + 15, "exact": "rejected"},
        "source_mention": {"start": start, "end": start + 6, "exact": "Tehran"},
    }
    body.update(changes)
    return body


def test_a_claim_is_created_with_its_cue_and_source_mention(desk, as_user, researcher):
    body = payload(desk)
    response = as_user(researcher).post(reverse("v1:claim-list"), body, format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["cue"] == body["cue"]
    assert answer["source_mention"] == body["source_mention"]
    again = as_user(researcher).get(reverse("v1:claim-detail", args=[answer["id"]])).json()
    assert again["cue"]["exact"] == "rejected"


@pytest.mark.parametrize(
    ("name", "span", "field"),
    [
        ("cue", {"start": 0, "end": 8, "exact": "rejected"}, "cue.exact"),
        (
            "source_mention",
            {"start": 10**6, "end": 10**6 + 6, "exact": "Tehran"},
            "source_mention.start",
        ),
    ],
)
def test_a_span_not_matching_the_text_is_an_anchor_mismatch_naming_it(
    desk, as_user, researcher, name, span, field
):
    before = ClaimEvent.objects.count()
    response = as_user(researcher).post(
        reverse("v1:claim-list"), payload(desk, **{name: span}), format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "anchor_mismatch"
    assert [error["field"] for error in body["errors"]] == [field]
    assert ClaimEvent.objects.count() == before


def test_patch_changes_and_clears_the_spans(desk, as_user, researcher):
    client = as_user(researcher)
    created = client.post(reverse("v1:claim-list"), payload(desk), format="json").json()
    detail = reverse("v1:claim-detail", args=[created["id"]])

    response = client.patch(detail, {"version": created["version"], "cue": None}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["cue"] is None
    assert response.json()["source_mention"]["exact"] == "Tehran"
    event = ClaimEvent.objects.filter(claim_id=created["id"], kind=EventKind.EDITED).get()
    assert event.changes["cue"][1] is None


def test_utf16_offsets_of_a_cue_are_converted(as_user, researcher):
    article = ArticleFactory(text="🇦🇱 Rama said Iran was behind the attacks.")
    text = article.text
    passage = "Iran was behind the attacks"
    start = text.index(passage)
    cue = text.index("said")
    response = as_user(researcher).post(
        reverse("v1:claim-list"),
        {
            "article": article.pk,
            "offset_unit": "utf16",
            "start": start + 2,
            "end": start + 2 + len(passage),
            "exact": passage,
            "statement": "Iran did it.",
            "claimant": _actor().pk,
            "certainty": "asserted",
            "cue": {"start": cue + 2, "end": cue + 6, "exact": "said"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["cue"] == {"start": cue, "end": cue + 4, "exact": "said"}


def _actor():
    from tests.factories import ActorFactory

    return ActorFactory()
