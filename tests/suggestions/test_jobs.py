"""Jobs without a broker: they run in the process that starts them, with the same job
code and the same progress as on workers. An import or a revision computes its
article's suggestions after commit; a manager computes a whole project's from the
project page, or the operator with `manage.py suggest_claims`."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from annotations.services.revisions import article_revise
from articles.services import article_import
from projects.models import Project
from suggestions.models import ArticleSuggestions, Job, JobKind, JobStatus, StoredSuggestion
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

RAMA = (
    "Albania's prime minister Edi Rama said an investigation had shown that the Iranian "
    "state was behind the July attack."
)


@pytest.fixture(autouse=True)
def no_broker(settings):
    settings.CELERY_BROKER_URL = ""


@pytest.fixture
def manager(db):
    return UserFactory(username="nora", roles=["manager"])


def test_an_import_computes_its_articles_suggestions_after_commit(
    researcher, actors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = article_import(user=researcher, title="Rama", text=RAMA)

    job = Job.objects.get(article=article)
    assert (job.kind, job.status, job.done, job.total, job.percent) == (
        JobKind.ARTICLE,
        JobStatus.DONE,
        1,
        1,
        100,
    )
    stored = StoredSuggestion.objects.get(article=article)
    assert stored.data["claimant_id"] == actors["rama"].pk
    assert ArticleSuggestions.objects.get(article=article).revision == article.revisions.get()


def test_a_revision_computes_the_new_texts_suggestions(
    researcher, actors, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = article_revise(user=researcher, article_id=article.pk, text=RAMA)

    state = ArticleSuggestions.objects.get(article=article)
    assert state.revision == result.revision and state.count == 1
    assert StoredSuggestion.objects.get(article=article).revision == result.revision


def test_an_import_rolled_back_queues_nothing(
    researcher, actors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        article_import(user=researcher, title="Rama", text=RAMA)
        transaction.set_rollback(True)
    assert callbacks == [] and not Job.objects.exists()


def test_the_command_computes_a_project_with_a_progress_bar(actors):
    articles = [ArticleFactory(text=f"{RAMA}\n\nParagraph {n}.") for n in range(3)]
    ArticleFactory(project=Project.objects.create(name="Other", slug="other"))
    out, err = io.StringIO(), io.StringIO()

    call_command("suggest_claims", "--project", "main", stdout=out, stderr=err)

    job = Job.objects.get(kind=JobKind.PROJECT)
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 3, 3, 100)
    assert "main: suggestions computed for 3 of 3 articles" in out.getvalue()
    assert re.search(r"suggest main: 100%.*3/3", err.getvalue())
    assert StoredSuggestion.objects.filter(article__in=articles).count() == 3
    assert not StoredSuggestion.objects.exclude(article__in=articles).exists()


def test_the_command_computes_one_article(actors, article):
    call_command(
        "suggest_claims", "--article", str(article.pk), "--no-progress", stdout=io.StringIO()
    )
    assert Job.objects.get().article == article
    assert ArticleSuggestions.objects.get(article=article).count >= 1


def test_the_command_refuses_what_does_not_exist_and_a_queue_without_broker(article):
    with pytest.raises(CommandError, match="no project 'nowhere'"):
        call_command("suggest_claims", "--project", "nowhere")
    with pytest.raises(CommandError, match="no article"):
        call_command("suggest_claims", "--article", "0")
    with pytest.raises(CommandError, match="CELERY_BROKER_URL"):
        call_command("suggest_claims", "--queue")
    assert not Job.objects.exists()


def test_a_manager_starts_a_project_job_from_the_project_page_and_sees_it_done(
    client, manager, actors, article, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    page = client.get("/projects/main/")
    assert b'data-testid="compute-suggestions"' in page.content
    assert b'data-testid="count-shown"' in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projects/main/suggestions/compute/")

    job = Job.objects.get(kind=JobKind.PROJECT)
    assert response.status_code == 302 and response["Location"] == f"/suggestions/jobs/{job.pk}/"
    job_page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in job_page and 'aria-valuenow="100"' in job_page
    progress = client.get(f"/suggestions/jobs/{job.pk}/progress/").json()
    assert progress["status"] == "done" and progress["percent"] == 100
    assert ArticleSuggestions.objects.filter(article=article).exists()


def test_a_researcher_may_not_start_a_project_job_nor_follow_one(client, researcher, manager):
    client.force_login(researcher)
    assert b"compute-suggestions" not in client.get("/projects/main/").content
    assert client.post("/projects/main/suggestions/compute/").status_code == 403
    job = Job.objects.create(kind=JobKind.PROJECT, project=Project.objects.get(slug="main"))
    assert client.get(f"/suggestions/jobs/{job.pk}/").status_code == 403
    outsider = UserFactory(username="olga")
    client.force_login(outsider)
    assert client.get(f"/suggestions/jobs/{job.pk}/").status_code == 404
    assert not Job.objects.exclude(pk=job.pk).exists()


def test_the_api_starts_a_project_job_and_reports_its_progress(
    manager, actors, article, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/projects/{article.project_id}/suggestion-jobs/")
    assert response.status_code == 202
    job = client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    assert (job["status"], job["done"], job["total"], job["percent"]) == ("done", 1, 1, 100)
