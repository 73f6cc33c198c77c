"""The claim page's publishing card and the forms it posts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Claim
from publishing.models import Publication, PublicationState
from tests.factories import make_claim
from tests.publishing.helpers import EXPLANATION, approve, publish

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_is_offered_the_form_and_publishes(room):
    client = client_of(room.editor)
    claim = room.accusation
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert 'data-testid="publishing-panel"' in page
    assert 'name="explanation"' in page
    response = client.post(
        reverse("claim_publish", args=[claim.pk]),
        {"version": claim.version, "explanation": EXPLANATION},
        follow=True,
    )
    assert "Fact check published." in response.content.decode()
    assert Publication.objects.get(claim=claim).state == PublicationState.PUBLISHED
    page = client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert reverse("public_review", args=[claim.pk]) in page
    assert "Withdraw" in page


def test_the_author_and_reviewers_are_not_offered_it(room):
    for user in (room.researcher, room.reviewer):
        page = client_of(user).get(reverse("claim_detail", args=[room.accusation.pk]))
        assert 'data-testid="publishing-panel"' not in page.content.decode()
        response = client_of(user).post(
            reverse("claim_publish", args=[room.accusation.pk]),
            {"version": room.accusation.version, "explanation": EXPLANATION},
        )
        assert response.status_code == 403
    assert not Publication.objects.exists()


def test_a_missing_explanation_or_stale_version_is_a_message(room):
    client = client_of(room.editor)
    claim = room.accusation
    url = reverse("claim_publish", args=[claim.pk])
    response = client.post(url, {"version": claim.version, "explanation": ""}, follow=True)
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"version": claim.version + 5, "explanation": "x"}, follow=True)
    assert "changed after you opened the page" in response.content.decode()
    assert client.post(url, {"explanation": "x"}).status_code == 400
    assert not Publication.objects.exists()


def test_withdrawing_from_the_page(room):
    publish(room.accusation, room.editor)
    client = client_of(room.manager)
    response = client.post(
        reverse("claim_unpublish", args=[room.accusation.pk]),
        {"version": room.accusation.version, "reason": "Corrected."},
        follow=True,
    )
    assert "Fact check withdrawn." in response.content.decode()
    assert Publication.objects.get().state == PublicationState.WITHDRAWN


def test_a_long_statement_is_pointed_out(room):
    long = "The Iranian state carried out the July and September 2022 cyberattacks on Albania."
    claim = make_claim(
        author=room.researcher, article=room.accusation.article, exact="July", statement=long
    )
    approve(claim, author=room.researcher, reviewer=room.reviewer)
    page = client_of(room.editor).get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert 'data-testid="long-summary"' in page
    assert Claim.objects.get(pk=claim.pk).status == "approved"
