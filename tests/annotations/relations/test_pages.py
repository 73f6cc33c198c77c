"""Relations on the pages, through the test client as a browser posts them: the claim
page both ways ("Denied by …") with add and remove, the claim form's relation rows (new
and edit), and the claim picker's search (aliases, likely claims first)."""

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimEvent, ClaimRelation
from annotations.services.claims import claim_submit
from annotations.services.relations import relation_add
from annotations.services.reviews import review_decide
from tests.factories import ActorFactory, ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

ACCUSATION = "the Iranian state was behind the July cyberattacks"
DENIAL = "Tehran rejected the accusation as baseless"


@pytest.fixture
def iran(db):
    return ActorFactory(name="Iran", kind="state", aliases=["Tehran", "the Iranian state"])


@pytest.fixture
def rama(db):
    return ActorFactory(name="Edi Rama", kind="person", aliases=["Rama"])


@pytest.fixture
def accusation(researcher, article, rama, iran):
    return make_claim(
        author=researcher,
        article=article,
        exact=ACCUSATION,
        claimant=rama,
        actors=[(iran, "accused")],
        certainty="asserted",
    )


@pytest.fixture
def denial(researcher, article, iran):
    return make_claim(
        author=researcher,
        article=article,
        exact=DENIAL,
        statement="Iran denies that it attacked Albania.",
        claimant=iran,
        certainty="denied",
    )


def approve(claim, author, reviewer):
    claim = claim_submit(user=author, claim_id=claim.pk, version=claim.version)
    return review_decide(
        user=reviewer, claim_id=claim.pk, version=claim.version, decision="approve"
    )


def page(client, claim) -> str:
    response = client.get(reverse("claim_detail", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


# -- the claim page ----------------------------------------------------------------------


def test_the_claim_page_shows_a_relation_both_ways(
    client, researcher, reviewer, accusation, denial
):
    approve(accusation, researcher, reviewer)
    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    approve(Claim.objects.get(pk=denial.pk), researcher, reviewer)
    client.force_login(reviewer)

    on_accusation = page(client, accusation)
    assert "Denied by" in on_accusation
    assert "Iran denies that it attacked Albania." in on_accusation
    reader = reverse("article_reader", args=[denial.article_id])
    assert f"{reader}?claim={denial.pk}#claim-{denial.pk}" in on_accusation
    on_denial = page(client, denial)
    assert "Denies" in on_denial and accusation.statement in on_denial
    # The reviewer may not change either claim: no form, no remove button.
    assert 'id="relation-form"' not in on_denial
    assert "Remove" not in on_denial


def test_the_author_adds_and_removes_a_relation_from_the_claim_page(
    client, researcher, accusation, denial
):
    client.force_login(researcher)
    assert 'id="relation-form"' in page(client, denial)

    response = client.post(
        reverse("claim_relation_add", args=[denial.pk]),
        {"kind": "denies", "to_claim": accusation.pk, "version": denial.version},
        follow=True,
    )
    assert response.status_code == 200
    assert "Relation saved" in response.content.decode()
    relation = ClaimRelation.objects.get()
    assert (relation.from_claim_id, relation.to_claim_id) == (denial.pk, accusation.pk)
    assert "Denied by" in page(client, accusation)

    version = Claim.objects.get(pk=denial.pk).version
    response = client.post(
        reverse("claim_relation_remove", args=[denial.pk, relation.pk]),
        {"version": version},
        follow=True,
    )
    assert "Relation removed." in response.content.decode()
    assert not ClaimRelation.objects.exists()
    assert ClaimEvent.objects.filter(claim_id=denial.pk).latest("id").kind == "unrelated"


def test_a_number_typed_in_the_claim_page_form_is_the_claim(client, researcher, accusation, denial):
    client.force_login(researcher)
    client.post(
        reverse("claim_relation_add", args=[denial.pk]),
        {"kind": "contradicts", "to_claim": "", "to_claim_label": f"#{accusation.pk}"},
    )
    assert ClaimRelation.objects.get().kind == "contradicts"


def test_the_claim_page_refuses_with_a_message(
    client, researcher, other_researcher, accusation, denial
):
    client.force_login(researcher)
    response = client.post(
        reverse("claim_relation_add", args=[denial.pk]),
        {"kind": "denies", "to_claim": denial.pk},
        follow=True,
    )
    assert "A claim cannot relate to itself." in response.content.decode()
    hidden = make_claim(author=other_researcher, article=accusation.article)
    response = client.post(
        reverse("claim_relation_add", args=[denial.pk]),
        {"kind": "denies", "to_claim": hidden.pk},
        follow=True,
    )
    assert "not one you can see" in response.content.decode()
    assert not ClaimRelation.objects.exists()


def test_someone_else_may_not_relate_the_claim(client, researcher, other_researcher, accusation):
    submitted = claim_submit(user=researcher, claim_id=accusation.pk, version=accusation.version)
    other = make_claim(author=other_researcher, article=accusation.article, exact=DENIAL)
    client.force_login(other_researcher)
    response = client.post(
        reverse("claim_relation_add", args=[submitted.pk]),
        {"kind": "denies", "to_claim": other.pk},
    )
    assert response.status_code == 403
    # Another's draft is not there at all.
    client.force_login(researcher)
    response = client.post(
        reverse("claim_relation_add", args=[other.pk]),
        {"kind": "denies", "to_claim": submitted.pk},
    )
    assert response.status_code == 404


def test_relating_an_approved_claim_from_its_page_sends_it_to_review(
    client, researcher, reviewer, accusation, denial
):
    denial = approve(denial, researcher, reviewer)
    client.force_login(researcher)
    assert "sends this approved claim back for review" in page(client, denial)
    client.post(
        reverse("claim_relation_add", args=[denial.pk]),
        {"kind": "denies", "to_claim": accusation.pk, "version": denial.version},
    )
    assert Claim.objects.get(pk=denial.pk).status == "submitted"


# -- the claim form ----------------------------------------------------------------------


def test_the_edit_form_records_and_shows_relation_rows(client, researcher, accusation, denial):
    client.force_login(researcher)
    form = client.get(reverse("claim_edit", args=[denial.pk])).content.decode()
    assert 'name="relation_kind"' in form and 'data-picker="claim"' in form
    data = {
        "version": denial.version,
        "statement": denial.statement,
        "claimant": denial.claimant_id,
        "claimant_label": "Iran",
        "certainty": "denied",
        "note": "",
        "relation_kind": ["denies"],
        "relation_claim": [accusation.pk],
        "relation_label": [accusation.statement],
        "intent": "save",
    }
    response = client.post(reverse("claim_edit", args=[denial.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ClaimRelation.objects.get().to_claim_id == accusation.pk
    form = client.get(reverse("claim_edit", args=[denial.pk])).content.decode()
    assert f'name="relation_claim" value="{accusation.pk}"' in form

    # Saving the form unchanged changes nothing; an empty list removes the relation.
    version = Claim.objects.get(pk=denial.pk).version
    client.post(reverse("claim_edit", args=[denial.pk]), {**data, "version": version})
    assert Claim.objects.get(pk=denial.pk).version == version
    client.post(
        reverse("claim_edit", args=[denial.pk]),
        {
            **data,
            "version": version,
            "relation_kind": [],
            "relation_claim": [],
            "relation_label": [],
        },
    )
    assert not ClaimRelation.objects.exists()


def test_the_edit_form_shows_a_refused_row_at_the_row(client, researcher, denial):
    client.force_login(researcher)
    response = client.post(
        reverse("claim_edit", args=[denial.pk]),
        {
            "version": denial.version,
            "statement": denial.statement,
            "claimant": denial.claimant_id,
            "certainty": "denied",
            "relation_kind": ["denies", ""],
            "relation_claim": [denial.pk, ""],
            "relation_label": ["itself", "no such claim"],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pick the related claim from the list" in body
    assert not ClaimRelation.objects.exists()
    response = client.post(
        reverse("claim_edit", args=[denial.pk]),
        {
            "version": denial.version,
            "statement": denial.statement,
            "claimant": denial.claimant_id,
            "certainty": "denied",
            "relation_kind": ["denies"],
            "relation_claim": [denial.pk],
            "relation_label": ["itself"],
        },
    )
    assert "A claim cannot relate to itself." in response.content.decode()


def test_a_new_claim_from_the_reader_carries_its_relation(client, researcher, accusation, iran):
    client.force_login(researcher)
    article = accusation.article
    text = article.current_revision.text
    start = text.index(DENIAL)
    response = client.post(
        reverse("claim_create", args=[article.pk]),
        {
            "revision": article.current_revision.pk,
            "start": start,
            "end": start + len(DENIAL),
            "exact": DENIAL,
            "statement": "Iran denies it.",
            "claimant": iran.pk,
            "certainty": "denied",
            "relation_kind": ["denies"],
            "relation_claim": [""],
            "relation_label": [str(accusation.pk)],
            "intent": "submit",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.latest("id")
    assert claim.status == "submitted"
    assert ClaimRelation.objects.get().from_claim_id == claim.pk


# -- the picker ----------------------------------------------------------------------------


def pick(client, **params):
    response = client.get(reverse("claim_pick"), params)
    return response


def test_the_picker_finds_claims_by_alias_and_offers_likely_ones_first(
    client, researcher, accusation, denial, rama, iran
):
    elsewhere = make_claim(
        author=researcher,
        article=ArticleFactory(),
        exact=ACCUSATION,
        statement="Iran was behind it, says Washington.",
        claimant=ActorFactory(name="United States", aliases=["Washington"]),
        actors=[(iran, "accused")],
    )
    client.force_login(researcher)
    # "Tehran" is an alias of Iran: the claims Iran makes or is accused in.
    found = pick(client, claim=denial.pk, q="Tehran").json()["claims"]
    assert {c["id"] for c in found} == {accusation.pk, elsewhere.pk}
    # The likely ones first: same article, shared actors, opposite certainty.
    found = pick(client, claim=denial.pk).json()["claims"]
    assert [c["id"] for c in found] == [accusation.pk, elsewhere.pk]
    assert found[0]["reasons"] == ["same article", "shared actors", "opposite certainty"]
    assert found[0]["name"] == accusation.statement
    # Words of the statement or quote; from the reader's new claim, by article.
    found = pick(client, article=accusation.article_id, q="July cyberattacks").json()["claims"]
    assert {c["id"] for c in found} >= {accusation.pk}


def test_the_picker_keeps_to_what_the_user_may_see(
    client, researcher, other_researcher, accusation
):
    hidden = make_claim(author=other_researcher, article=accusation.article)
    client.force_login(researcher)
    found = pick(client, article=accusation.article_id).json()["claims"]
    assert hidden.pk not in {c["id"] for c in found}
    assert pick(client, claim=hidden.pk).status_code == 404
    assert pick(client, article=2**40).status_code == 404
    assert pick(client, article="x").status_code == 400
    client.logout()
    assert pick(client, article=accusation.article_id).status_code == 401


# -- the reader, the queue, the actor page -------------------------------------------------


def test_the_reader_links_each_claim_to_its_related_claims_passage(
    client, researcher, accusation, denial
):
    other_article = ArticleFactory(title="Sanctions")
    elsewhere = make_claim(author=researcher, article=other_article, exact=DENIAL)
    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    relation_add(user=researcher, claim_id=elsewhere.pk, kind="repeats", to_claim_id=denial.pk)
    client.force_login(researcher)

    html = client.get(reverse("article_reader", args=[accusation.article_id])).content.decode()

    reader = reverse("article_reader", args=[accusation.article_id])
    assert f'Denied by <a href="{reader}?claim={denial.pk}#claim-{denial.pk}"' in html
    assert f'Denies <a href="{reader}?claim={accusation.pk}#claim-{accusation.pk}"' in html
    # Across articles: the repetition is in another article's reader.
    other = reverse("article_reader", args=[other_article.pk])
    assert f'Repeated by <a href="{other}?claim={elsewhere.pk}#claim-{elsewhere.pk}"' in html


def test_the_readers_queries_stay_the_same_when_relations_double(
    client, researcher, accusation, denial
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = accusation.article
    claims = [
        make_claim(author=researcher, article=article, exact=DENIAL, statement=f"Copy {n}.")
        for n in range(4)
    ]
    client.force_login(researcher)
    url = reverse("article_reader", args=[article.pk])

    def count() -> int:
        client.get(url)  # warm what a first visit caches (the mention index)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for claim in claims[:2]:
        relation_add(user=researcher, claim_id=claim.pk, kind="repeats", to_claim_id=denial.pk)
    few = count()
    for claim in claims[2:]:
        relation_add(user=researcher, claim_id=claim.pk, kind="repeats", to_claim_id=denial.pk)
    assert count() == few


def test_the_review_queue_shows_the_related_claim_beside_the_claim(
    client, researcher, reviewer, accusation, denial
):
    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    approve(accusation, researcher, reviewer)
    claim_submit(user=researcher, claim_id=denial.pk, version=2)
    client.force_login(reviewer)

    html = client.get(reverse("review_queue")).content.decode()

    assert 'data-testid="review-related"' in html
    start = html.index(f'id="claim-{denial.pk}"')
    item = html[start : html.index("</article>", start)]
    assert "Denies" in item and accusation.statement in item and accusation.exact in item


def test_the_timeline_says_a_relation_was_added(client, researcher, accusation, denial):
    relation_add(user=researcher, claim_id=denial.pk, kind="denies", to_claim_id=accusation.pk)
    client.force_login(researcher)
    html = page(client, denial)
    assert "Relation added" in html
    assert f"denies claim {accusation.pk}" in html


def test_who_accuses_whom_counts_verified_and_unverified_apart(
    client, researcher, reviewer, accusation, rama, iran, article
):
    approve(accusation, researcher, reviewer)
    second = make_claim(
        author=researcher,
        article=article,
        exact=DENIAL,
        claimant=rama,
        actors=[(iran, "accused")],
    )
    claim_submit(user=researcher, claim_id=second.pk, version=second.version)
    client.force_login(reviewer)

    response = client.get(reverse("actor_detail", args=[iran.pk]))

    [pair] = response.context["claims"].accusations
    assert (pair["claimant"], pair["accused"], pair["verified"], pair["unreviewed"]) == (
        "Edi Rama",
        "Iran",
        1,
        1,
    )
    html = response.content.decode()
    assert "Counted from approved (verified) claims" in html
    assert f"{reverse('story_graph')}?actor={iran.pk}" in html
