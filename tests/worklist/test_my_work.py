"""My work and in-app notifications: a claim sent back appears with its reviewer's
comment and a link to the edit; decisions and mentions notify; unread counts change and
stay bounded; another user's notice cannot be touched; queries stay constant."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from tests.factories import UserFactory, make_claim
from worklist.models import Notification, NotificationKind
from worklist.services import mentioned_claim_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return UserFactory(username="writer", roles=["researcher"])


@pytest.fixture
def checker():
    return UserFactory(username="checker", roles=["reviewer"])


def submitted(author, **kwargs):
    claim = make_claim(author=author, **kwargs)
    return claim_submit(user=author, claim_id=claim.pk, version=claim.version)


def send_back(checker, claim, comment="Name the source of the quote."):
    return review_decide(
        user=checker,
        claim_id=claim.pk,
        version=claim.version,
        decision="request_changes",
        comment=comment,
    )


def test_a_claim_sent_back_appears_with_its_comment_and_a_link_to_edit(client, writer, checker):
    claim = send_back(checker, submitted(writer))
    client.force_login(writer)
    page = client.get(reverse("my_work")).content.decode()
    assert "Name the source of the quote." in page
    assert reverse("claim_edit", args=[claim.pk]) in page
    assert 'data-testid="count-sent_back">1<' in page


def test_sections_drafts_waiting_decided_and_what_a_reviewer_decided(client, writer, checker):
    make_claim(author=writer, statement="A draft of mine.")
    submitted(writer, statement="Waiting for someone.")
    approved = submitted(writer, statement="Approved one.")
    review_decide(user=checker, claim_id=approved.pk, version=approved.version, decision="approve")
    client.force_login(writer)
    sections = {s.key: s for s in client.get(reverse("my_work")).context["sections"]}
    assert [c.statement for c in sections["drafts"].rows] == ["A draft of mine."]
    assert [c.statement for c in sections["waiting"].rows] == ["Waiting for someone."]
    assert [c.statement for c in sections["decided"].rows] == ["Approved one."]
    client.force_login(checker)
    decisions = client.get(reverse("my_work")).context["decisions"]
    assert [r.claim_id for r in decisions.rows] == [approved.pk]


def test_a_decision_and_a_mention_notify_and_the_unread_count_changes(client, writer, checker):
    other_author = UserFactory(username="other", roles=["researcher"])
    earlier = submitted(other_author, statement="The earlier claim.")
    claim = submitted(writer)
    send_back(checker, claim, comment=f"This repeats claim #{earlier.pk}.")
    assert Notification.objects.get(recipient=writer).kind == NotificationKind.DECISION
    assert Notification.objects.get(recipient=other_author).kind == NotificationKind.MENTION
    client.force_login(writer)
    page = client.get(reverse("my_work")).content.decode()
    assert 'data-testid="unread-count"' in page
    notice = Notification.objects.get(recipient=writer)
    response = client.post(reverse("notification_read", args=[notice.pk]))
    assert response.status_code == 302
    page = client.get(reverse("my_work")).content.decode()
    assert 'data-testid="unread-count"' not in page


def test_another_users_notice_is_not_found(client, writer, checker):
    send_back(checker, submitted(writer))
    notice = Notification.objects.get(recipient=writer)
    client.force_login(checker)
    assert client.post(reverse("notification_read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(client, writer, checker):
    send_back(checker, submitted(writer))
    send_back(checker, submitted(writer))
    client.force_login(writer)
    client.post(reverse("notifications_read_all"))
    assert not Notification.objects.filter(recipient=writer, read_at__isnull=True).exists()


def test_mentions_are_read_from_the_comment():
    assert mentioned_claim_ids("See claim 12, #13 and /claims/14/ and claim 12.") == [12, 13, 14]


def test_my_work_reads_a_fixed_number_of_queries(client, writer, checker):
    client.force_login(writer)

    def add(n):
        for _ in range(n):
            send_back(checker, submitted(writer))
            make_claim(author=writer)
            submitted(writer)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("my_work")).status_code == 200
        return len(captured)

    add(2)
    first = count()
    add(2)
    assert count() == first


def test_a_relation_to_my_claim_notifies_me_not_the_one_who_made_it(client, writer, checker):
    from annotations.models import ClaimRelation
    from worklist.services import notify_relation

    colleague = UserFactory(username="colleague", roles=["researcher"])
    mine = submitted(writer, statement="Iran carried out the attacks.")
    theirs = submitted(colleague, statement="Tehran denies it.")
    relation = ClaimRelation.objects.create(
        from_claim=theirs, to_claim=mine, kind="contradicts", created_by=colleague
    )
    notify_relation(relation=relation, user=colleague)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.claim, notice.kind) == (writer, mine, "relation")
    client.force_login(writer)
    page = client.get(reverse("my_work")).content.decode()
    assert "colleague related a claim to yours (contradicts)" in page
