"""Working in a desk: its guidelines beside the claim form and in the review queue, its
own number of approvals, its own article list, and an empty desk for a user in none."""

from django.urls import reverse

from annotations.models import ClaimStatus
from annotations.services.claims import claim_submit
from annotations.services.reviews import review_decide
from articles.models import Article
from tests.factories import ArticleFactory, UserFactory, make_claim
from tests.projects.conftest import member


def _submitted(author, article):
    claim = make_claim(author=author, article=article)
    return claim_submit(user=author, claim_id=claim.pk, version=claim.version)


def _approve(reviewer, claim):
    return review_decide(
        user=reviewer,
        claim_id=claim.pk,
        version=claim.version,
        decision="approve",
        quote_checked=True,
        claimant_checked=True,
        sources_checked=True,
    )


def test_the_claim_form_shows_the_articles_project_guidelines(client, balkans):
    balkans.guidelines = "Quote **exactly**. <script>alert(1)</script>"
    balkans.save()
    researcher = UserFactory(username="bea")
    member(balkans, researcher, "researcher")
    article = ArticleFactory(project=balkans)
    client.force_login(researcher)
    html = client.get(reverse("article_reader", args=[article.pk])).content.decode()
    assert 'data-testid="project-guidelines"' in html
    assert "Guidelines of Balkans" in html and "<strong>exactly</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_the_review_queue_shows_the_guidelines_of_the_projects_on_the_page(client, main, balkans):
    main.guidelines, balkans.guidelines = "Main rules.", "Balkan rules."
    main.save()
    balkans.save()
    author, reviewer = UserFactory(username="al"), UserFactory(username="vi")
    member(balkans, author, "researcher")
    member(balkans, reviewer, "reviewer")
    _submitted(author, ArticleFactory(project=balkans))
    client.force_login(reviewer)
    html = client.get(reverse("review_queue")).content.decode()
    assert "Balkan rules." in html
    assert "Main rules." not in html  # not a project of theirs, nor of any claim shown


def test_each_project_counts_its_own_approvals(main, balkans):
    balkans.required_approvals = 2
    balkans.save()
    author = UserFactory(username="au")
    first, second = UserFactory(username="r1"), UserFactory(username="r2")
    for project in (main, balkans):
        member(project, author, "researcher")
        member(project, first, "reviewer")
        member(project, second, "reviewer")
    in_main = _submitted(author, ArticleFactory(project=main))
    in_balkans = _submitted(author, ArticleFactory(project=balkans))
    assert _approve(first, in_main).status == ClaimStatus.APPROVED
    once = _approve(first, in_balkans)
    assert once.status == ClaimStatus.SUBMITTED
    assert _approve(second, once).status == ClaimStatus.APPROVED


def test_the_article_list_shows_the_current_project_and_switches(client, main, balkans, rita):
    ArticleFactory(project=main, title="A main story")
    ArticleFactory(project=balkans, title="A Balkan story")
    client.force_login(rita)
    html = client.get(reverse("article_list") + "?project=main").content.decode()
    assert "A main story" in html and "A Balkan story" not in html
    html = client.get(reverse("article_list") + "?project=balkans").content.decode()
    assert "A Balkan story" in html and "A main story" not in html
    # Remembered: the next page without `?project=` stays in Balkans.
    html = client.get(reverse("article_list")).content.decode()
    assert "A Balkan story" in html and "A main story" not in html


def test_a_user_in_no_project_sees_an_empty_desk_with_a_message(client, main, outsider):
    ArticleFactory(project=main, title="A main story")
    client.force_login(outsider)
    response = client.get(reverse("article_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="no-project"' in html and "A main story" not in html


def test_the_import_page_imports_into_the_current_project(client, main, balkans, rita):
    """rita researches in Main desk and edits in Balkans: the page says which desk the
    article goes into, and it goes there."""
    from tests.articles.test_import_page import fields

    client.force_login(rita)
    url = reverse("article_import")
    page = client.get(url + "?project=balkans").content.decode()
    assert "Into <strong>Balkans</strong>" in page
    previewed = client.post(url, fields()).context["previewed"]
    response = client.post(url, fields(intent="save", previewed=previewed))
    assert response.status_code == 302
    assert Article.objects.get().project == balkans
