"""The suggestions API: an article's suggestions, dismissing one, a project's counts and
its jobs. Accepting a suggestion is creating a claim that names it
(`POST /api/v1/claims/` with `suggestion`, see `annotations.api.views.claims`).

Every article and project is looked up through the caller's projects: another
project's is a 404. Suggestions are for those who may create claims in the article's
project (403 `permission_denied` for other members); counts and jobs for its managers and
editors.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from annotations.api import schema
from annotations.api.serializers.fields import ActorRefSerializer
from annotations.api.views.base import ApiView
from annotations.selectors.articles import articles_visible_to
from articles.models import Article
from claimdesk.errors import InvalidInput, NotAllowed
from projects import access
from projects.models import Project
from projects.roles import ProjectRole
from suggestions.jobs import project_job_start
from suggestions.models import Job
from suggestions.presenter import present_suggestions
from suggestions.selectors import article_suggestions, latest_project_job, project_counts
from suggestions.services import check_use_suggestions, suggestion_dismiss, suggestions_shown

# -- answers, as the schema describes them ----------------------------------------------


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Code-point offset into the current text.")
    end = serializers.IntegerField(help_text="Code-point offset, exclusive.")
    exact = serializers.CharField(help_text="The text between them.")


class SuggestedActorSerializer(serializers.Serializer):
    actor = ActorRefSerializer()
    role = serializers.CharField()


class SuggestionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Names the suggestion in this text (dismiss, accept).")
    start = serializers.IntegerField(help_text="Where its content starts.")
    end = serializers.IntegerField(help_text="Where its content ends.")
    content = SpanSerializer(many=True, help_text="The attributed passage, in fragments.")
    cue = SpanSerializer(allow_null=True, help_text="The reporting word or phrase.")
    source = SpanSerializer(allow_null=True, help_text="Where the claimant is named.")
    claimant = ActorRefSerializer(allow_null=True, help_text="The actor the source names.")
    claimant_text = serializers.CharField(
        help_text="The source's words, to create an actor from when `claimant` is null."
    )
    certainty = serializers.CharField()
    actors = SuggestedActorSerializer(many=True)
    confidence = serializers.FloatField()
    statement = serializers.CharField(help_text="A statement drafted from the content.")
    dismissed = serializers.BooleanField()


class SuggestionListSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="Number of the revision the offsets count in.")
    count = serializers.IntegerField()
    results = SuggestionSerializer(many=True)


class DismissalSerializer(serializers.Serializer):
    key = serializers.CharField()
    dismissed = serializers.BooleanField()
    dismissed_at = serializers.DateTimeField()
    dismissed_by = serializers.CharField(allow_null=True)


class SuggestionCountsSerializer(serializers.Serializer):
    shown = serializers.IntegerField()
    accepted_as_suggested = serializers.IntegerField()
    accepted_after_edits = serializers.IntegerField()
    dismissed = serializers.IntegerField()


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    project = serializers.IntegerField(source="project_id")
    article = serializers.IntegerField(source="article_id", allow_null=True)
    status = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    percent = serializers.IntegerField()
    error = serializers.CharField()
    created = serializers.DateTimeField()
    started = serializers.DateTimeField(allow_null=True)
    finished = serializers.DateTimeField(allow_null=True)


class ProjectSuggestionsSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    counts = SuggestionCountsSerializer()
    latest_job = JobSerializer(allow_null=True)


# -- views -------------------------------------------------------------------------------


def _article(request, pk: int) -> Article:
    return get_object_or_404(articles_visible_to(request.user).select_related("project"), pk=pk)


def _desk_project(request, pk: int) -> Project:
    """A project the caller is a member of (404 otherwise) where they are a manager or an
    editor (403 otherwise): those who look after the desk's work."""
    project = Project.objects.filter(pk=pk).first()
    if project is None or not access.is_member(request.user, project.pk):
        raise Http404
    if not access.holds(request.user, project.pk, ProjectRole.MANAGER, ProjectRole.EDITOR):
        raise NotAllowed("Only the project's managers and editors see its suggestion counts.")
    return project


class ArticleSuggestionListView(ApiView):
    """The suggested attributions in the article's current text, in text order."""

    @extend_schema(
        operation_id="articles_suggestions_list",
        tags=["suggestions"],
        parameters=[
            OpenApiParameter(
                "include",
                str,
                enum=["dismissed"],
                description="`dismissed`: list the dismissed suggestions too.",
            )
        ],
        responses={200: SuggestionListSerializer, **schema.errors(400, 403, 404)},
    )
    def get(self, request, pk: int):
        article = _article(request, pk)
        include = request.query_params.get("include", "")
        if include not in ("", "dismissed"):
            raise InvalidInput.for_field(
                "`include` takes `dismissed` only.", field="include", code="invalid_choice"
            )
        check_use_suggestions(user=request.user, article=article)
        revision = article.current_revision
        if revision is None:
            return Response({"article": article.pk, "revision": 0, "count": 0, "results": []})
        found = article_suggestions(
            article=article, revision=revision, include_dismissed=include == "dismissed"
        )
        suggestions_shown(
            article=article, keys=[row.key for row in found.rows if row.key not in found.dismissed]
        )
        results = present_suggestions(found.rows, text=revision.text, dismissed=found.dismissed)
        return Response(
            {
                "article": article.pk,
                "revision": revision.number,
                "count": len(results),
                "results": results,
            }
        )


class SuggestionDismissView(ApiView):
    """Dismiss a suggestion: it is hidden for the article, for everyone, from now on."""

    @extend_schema(
        operation_id="articles_suggestions_dismiss",
        tags=["suggestions"],
        request=None,
        responses={200: DismissalSerializer, **schema.errors(403, 404, 409)},
    )
    def post(self, request, pk: int, key: str):
        article = _article(request, pk)
        outcome = suggestion_dismiss(user=request.user, article=article, key=key)
        return Response(
            {
                "key": outcome.key,
                "dismissed": True,
                "dismissed_at": outcome.dismissed_at,
                "dismissed_by": (
                    outcome.dismissed_by.get_username() if outcome.dismissed_by else None
                ),
            }
        )


class ProjectSuggestionsView(ApiView):
    """How useful the suggestions are to the desk (counts), and its latest job."""

    @extend_schema(
        operation_id="projects_suggestions_retrieve",
        tags=["suggestions"],
        responses={200: ProjectSuggestionsSerializer, **schema.errors(403, 404)},
    )
    def get(self, request, pk: int):
        project = _desk_project(request, pk)
        job = latest_project_job(project.pk)
        return Response(
            {
                "project": project.pk,
                "counts": project_counts(project.pk),
                "latest_job": JobSerializer(job).data if job else None,
            }
        )


class ProjectSuggestionJobView(ApiView):
    """Compute the suggestions of every article of the project (managers): a job, on the
    workers when a broker is configured. Follow it at `GET /api/v1/jobs/{id}/`."""

    @extend_schema(
        operation_id="projects_suggestion_jobs_create",
        tags=["suggestions"],
        request=None,
        responses={202: JobSerializer, **schema.errors(403, 404)},
    )
    def post(self, request, pk: int):
        project = _desk_project(request, pk)
        job = project_job_start(user=request.user, project=project)
        job.refresh_from_db()
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class JobDetailView(ApiView):
    """A job's progress (managers and editors of its project)."""

    @extend_schema(
        operation_id="jobs_retrieve",
        tags=["suggestions"],
        responses={200: JobSerializer, **schema.errors(403, 404)},
    )
    def get(self, request, pk: int):
        job = Job.objects.filter(pk=pk).first()
        if job is None:
            raise Http404
        _desk_project(request, job.project_id)
        return Response(JobSerializer(job).data)
