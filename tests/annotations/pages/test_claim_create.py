"""Creating a claim from the reader's form: classic POST, errors shown in the panel."""

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimStatus
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EMOJI_TEXT = (
    "Tiranë 🇦🇱 said: the attack 😡 came from abroad.\n\n"
    "Officials in Tehran denied it, calling the charge baseless."
)


def form_data(article, exact, *, occurrence=0, **fields):
    text = article.revisions.order_by("-number").first().text
    start = text.index(exact)
    for _ in range(occurrence):
        start = text.index(exact, start + 1)
    data = {
        "revision": article.revisions.order_by("-number").first().pk,
        "start": start,
        "end": start + len(exact),
        "exact": exact,
        "statement": "The Iranian state carried out the attacks.",
        "certainty": "alleged",
        "note": "",
        "intent": "save",
    }
    data.update(fields)
    return data


def create(client, article, data):
    return client.post(reverse("claim_create", args=[article.pk]), data)


def test_researcher_saves_a_draft_with_actors_and_sources(
    client, researcher, article, rama, iran, albania, report
):
    client.force_login(researcher)
    data = form_data(
        article,
        "the Iranian state was behind the July cyberattacks",
        claimant=rama.pk,
        claimant_label=rama.name,
        actor=[iran.pk, albania.pk],
        actor_label=[iran.name, albania.name],
        role=["accused", "target"],
        source=[report.pk],
        source_label=[report.name],
        locator=["p. 4"],
        source_note=["Annex"],
        note="Check the date.",
    )
    response = create(client, article, data)
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?claim={claim.pk}#claim-{claim.pk}")
    assert claim.status == ClaimStatus.DRAFT
    assert (claim.start, claim.end) == (data["start"], data["end"])
    assert claim.claimant == rama
    assert claim.certainty == "alleged"
    assert claim.note == "Check the date."
    assert sorted((link.actor.name, link.role) for link in claim.actor_links.all()) == [
        ("Albania", "target"),
        ("Iran", "accused"),
    ]
    (source,) = claim.source_links.all()
    assert (source.source, source.locator, source.note) == (report, "p. 4", "Annex")


def test_save_and_submit_sends_the_claim_for_review(client, researcher, article, rama):
    client.force_login(researcher)
    data = form_data(article, "Tehran rejected", claimant=rama.pk, intent="submit")
    assert create(client, article, data).status_code == 302
    assert Claim.objects.get().status == ClaimStatus.SUBMITTED


def test_passage_after_emoji_and_accents_keeps_code_point_offsets(client, researcher, rama):
    article = ArticleFactory(text=EMOJI_TEXT)
    client.force_login(researcher)
    data = form_data(article, "came from abroad", claimant=rama.pk)
    assert create(client, article, data).status_code == 302
    claim = Claim.objects.get()
    assert claim.start == EMOJI_TEXT.index("came from abroad")
    assert EMOJI_TEXT[claim.start : claim.end] == "came from abroad"
    # JavaScript would have counted 3 more: two flag halves and the emoji are 2 units each.
    assert claim.start == len("Tiranë 🇦🇱 said: the attack 😡 ")


def test_utf16_offsets_are_refused_as_a_mismatch(client, researcher, rama):
    article = ArticleFactory(text=EMOJI_TEXT)
    client.force_login(researcher)
    data = form_data(article, "came from abroad", claimant=rama.pk)
    data["start"] += 3
    data["end"] += 3
    response = create(client, article, data)
    assert response.status_code == 200
    assert not Claim.objects.exists()
    errors = response.context["form"].errors["exact"]
    assert "does not match" in errors[0]
    assert "Select the passage again." in response.content.decode()


def test_line_breaks_sent_as_crlf_still_match_the_text(client, researcher, article, rama):
    client.force_login(researcher)
    exact = "government services.\n\nTehran rejected"
    data = form_data(article, exact, claimant=rama.pk)
    data["exact"] = exact.replace("\n", "\r\n")
    assert create(client, article, data).status_code == 302
    assert Claim.objects.get().exact == exact


def test_missing_fields_are_reported_and_the_input_is_kept(client, researcher, article):
    client.force_login(researcher)
    data = form_data(article, "Tehran rejected", statement="", note="My private note")
    response = create(client, article, data)
    assert response.status_code == 200
    assert not Claim.objects.exists()
    form = response.context["form"]
    assert form.errors["statement"] == ["Write the claim in plain words."]
    assert form.errors["claimant"] == ["Say who makes the claim: pick the claimant."]
    page = response.content.decode()
    assert response.context["panel_open"]
    assert 'id="claim-panel" aria-labelledby="claim-panel-title">' in page  # not hidden
    assert "My private note" in page
    assert "Tehran rejected</blockquote>" in page


def test_no_selection_asks_for_a_passage(client, researcher, article, rama):
    client.force_login(researcher)
    data = form_data(article, "Tehran", claimant=rama.pk)
    for field in ("start", "end", "exact"):
        data.pop(field)
    response = create(client, article, data)
    assert response.context["form"].errors["exact"] == ["Select a passage of the text first."]


def test_claimant_typed_as_an_alias_is_found(client, researcher, article, iran):
    client.force_login(researcher)
    data = form_data(article, "Tehran rejected", claimant="", claimant_label="tehran")
    assert create(client, article, data).status_code == 302
    assert Claim.objects.get().claimant == iran


def test_unknown_claimant_name_is_an_error(client, researcher, article):
    client.force_login(researcher)
    data = form_data(article, "Tehran rejected", claimant="", claimant_label="Nobody Known")
    response = create(client, article, data)
    assert "No actor is called “Nobody Known”" in response.context["form"].errors["claimant"][0]


def test_actor_row_without_a_role_shows_the_error_on_its_row(
    client, researcher, article, rama, iran
):
    client.force_login(researcher)
    data = form_data(
        article,
        "Tehran rejected",
        claimant=rama.pk,
        actor=[iran.pk],
        actor_label=["Iran"],
        role=[""],
    )
    response = create(client, article, data)
    assert not Claim.objects.exists()
    form = response.context["form"]
    assert form.actor_rows[0].errors == ["Pick the role of Iran."]
    assert "Pick the role of Iran." in response.content.decode()


def test_same_actor_twice_in_one_role_is_refused(client, researcher, article, rama, iran):
    client.force_login(researcher)
    data = form_data(
        article,
        "Tehran rejected",
        claimant=rama.pk,
        actor=[iran.pk, iran.pk],
        actor_label=["Iran", "Iran"],
        role=["denier", "denier"],
    )
    response = create(client, article, data)
    assert response.context["form"].actor_rows[1].errors == ["Iran is already listed as denier."]


def test_text_changed_since_the_page_was_loaded(client, researcher, article, rama):
    client.force_login(researcher)
    data = form_data(article, "Tehran rejected", claimant=rama.pk)
    data["revision"] = data["revision"] + 1000
    response = create(client, article, data)
    assert not Claim.objects.exists()
    assert "text changed after you opened it" in response.context["form"].non_field_errors()[0]


@pytest.mark.parametrize("role", ["reviewer", "editor", "reader"])
def test_only_researchers_create_claims(client, request, role, article, rama):
    client.force_login(request.getfixturevalue(role))
    response = create(client, article, form_data(article, "Tehran rejected", claimant=rama.pk))
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_anonymous_post_is_sent_to_login(client, article, rama):
    response = create(client, article, form_data(article, "Tehran rejected", claimant=rama.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Claim.objects.exists()


def test_get_is_not_allowed(client, researcher, article):
    client.force_login(researcher)
    assert client.get(reverse("claim_create", args=[article.pk])).status_code == 405


QUOTE = "the Iranian state was behind the July cyberattacks"


def test_the_reader_gives_the_claim_form_a_new_one_time_key_each_time(client, researcher, article):
    client.force_login(researcher)
    keys = []
    for _ in range(2):
        page = client.get(reverse("article_reader", args=[article.pk])).content.decode()
        marker = 'name="idempotency_key" value="'
        assert marker in page
        keys.append(page.split(marker, 1)[1].split('"', 1)[0])
    assert keys[0] != keys[1] and all(len(key) == 32 for key in keys)


def test_a_form_sent_twice_creates_one_claim_and_both_answers_lead_to_it(
    client, researcher, article, rama
):
    client.force_login(researcher)
    data = form_data(
        article, QUOTE, claimant=rama.pk, claimant_label=rama.name, idempotency_key="a1b2c3"
    )
    first = create(client, article, data)
    again = create(client, article, data)
    claim = Claim.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert f"claim={claim.pk}" in again["Location"]


def test_another_form_with_an_old_key_is_refused_on_the_form(client, researcher, article, rama):
    client.force_login(researcher)
    create(
        client,
        article,
        form_data(article, QUOTE, claimant=rama.pk, claimant_label=rama.name, idempotency_key="k1"),
    )
    response = create(
        client,
        article,
        form_data(
            article,
            QUOTE,
            claimant=rama.pk,
            claimant_label=rama.name,
            idempotency_key="k1",
            statement="Other.",
        ),
    )
    assert response.status_code == 200
    assert "already used" in response.content.decode()
    assert Claim.objects.count() == 1


def test_a_form_without_a_key_still_saves(client, researcher, article, rama):
    client.force_login(researcher)
    assert (
        create(
            client, article, form_data(article, QUOTE, claimant=rama.pk, claimant_label=rama.name)
        ).status_code
        == 302
    )
    assert (
        create(
            client, article, form_data(article, QUOTE, claimant=rama.pk, claimant_label=rama.name)
        ).status_code
        == 302
    )
    assert Claim.objects.count() == 2


def test_a_form_with_a_key_that_is_not_printable_ascii_is_a_400(client, researcher, article, rama):
    client.force_login(researcher)
    response = create(
        client,
        article,
        form_data(
            article, QUOTE, claimant=rama.pk, claimant_label=rama.name, idempotency_key="x" * 256
        ),
    )
    assert response.status_code == 400
    assert Claim.objects.count() == 0
