"""Articles and their revisions."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from annotations.api import schema
from annotations.api.serializers.articles import (
    ArticleDetailSerializer,
    ArticleInputSerializer,
    ArticleRevisedSerializer,
    ArticleReviseInputSerializer,
    ArticleSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
)
from annotations.api.views.base import ApiView, SchemaOnlyFilterBackend
from annotations.filters import ArticleFilter
from annotations.idempotency import idempotent
from annotations.models import AnchorState
from annotations.selectors.articles import (
    article_list,
    articles_visible_to,
    claim_counts,
    revisions_visible_to,
)
from annotations.services.revisions import article_revise, check_revise_article
from articles.models import Article, ArticleRevision
from articles.services import article_create, can_import_article
from claimdesk.replica import lag_tolerant


def _articles(user) -> QuerySet[Article]:
    # The detail views read the text too: the list's query without its `defer`.
    return article_list(user=user).defer(None).select_related("outlet", "project")


class ArticleListView(ApiView):
    """Articles, newest first; `q` searches titles and bylines."""

    capabilities = {"POST": can_import_article}
    filter_backends = [SchemaOnlyFilterBackend]
    filterset_class = ArticleFilter

    def get_queryset(self):
        return article_list(user=self.request.user)

    @extend_schema(
        operation_id="articles_list",
        tags=["articles"],
        responses={200: ArticleSerializer(many=True), **schema.errors(400, 404)},
    )
    @lag_tolerant
    def get(self, request):
        page = self.paginate_queryset(article_list(user=request.user, filters=request.query_params))
        context = {"claim_counts": claim_counts(request.user, (a.pk for a in page))}
        return self.get_paginated_response(ArticleSerializer(page, many=True, context=context).data)

    @extend_schema(
        operation_id="articles_create",
        tags=["articles"],
        request=ArticleInputSerializer,
        responses={201: ArticleDetailSerializer, **schema.errors(400, 403, 409, 413, 415)},
    )
    @idempotent(resource="v1:article-detail")
    def post(self, request):
        data = self.validated_input(ArticleInputSerializer)
        article = article_create(user=request.user, **data)
        article = _articles(request.user).get(pk=article.pk)
        return Response(ArticleDetailSerializer(article).data, status=status.HTTP_201_CREATED)


class ArticleDetailView(ApiView):
    """One article with its current text. PATCH sets a new text: it creates a revision
    and re-anchors the article's claims, and answers with counts per anchor state."""

    def get_queryset(self):
        return _articles(self.request.user)

    @extend_schema(
        operation_id="articles_retrieve",
        tags=["articles"],
        responses={200: ArticleDetailSerializer, **schema.errors(404)},
    )
    def get(self, request, pk: int):
        article = self.get_object()
        context = {"claim_counts": claim_counts(request.user, [article.pk])}
        return Response(ArticleDetailSerializer(article, context=context).data)

    @extend_schema(
        operation_id="articles_partial_update",
        tags=["articles"],
        request=ArticleReviseInputSerializer,
        responses={200: ArticleRevisedSerializer, **schema.errors(400, 403, 404, 409, 413, 415)},
    )
    @idempotent(resource="v1:article-detail")
    def patch(self, request, pk: int):
        # Found first (another desk's article is a 404), then the rule of its project.
        article = self.get_object()
        check_revise_article(user=request.user, article=article)
        data = self.validated_input(ArticleReviseInputSerializer)
        result = article_revise(
            user=request.user,
            article_id=article.pk,
            text=data["text"],
            note=data["note"],
            expected_revision=data["revision"],
        )
        article = _articles(request.user).get(pk=article.pk)
        article.counts = {state: result.counts.get(state, 0) for state in AnchorState.values}
        context = {"claim_counts": claim_counts(request.user, [article.pk])}
        return Response(ArticleRevisedSerializer(article, context=context).data)


class ArticleRevisionListView(ApiView):
    """The article's revisions, oldest first (without their texts)."""

    queryset = Article.objects.all()

    @extend_schema(
        operation_id="articles_revisions_list",
        tags=["articles"],
        responses={200: RevisionSerializer(many=True), **schema.errors(404)},
    )
    def get(self, request, pk: int):
        article = get_object_or_404(articles_visible_to(request.user).only("pk"), pk=pk)
        revisions = (
            ArticleRevision.objects.filter(article=article)
            .select_related("author")
            .defer("text", "cleaning_report")
            .order_by("number")
        )
        page = self.paginate_queryset(revisions)
        return self.get_paginated_response(RevisionSerializer(page, many=True).data)


class ArticleRevisionDetailView(ApiView):
    """One revision with its text: the text a claim's offsets count in."""

    queryset = Article.objects.all()

    @extend_schema(
        operation_id="articles_revisions_retrieve",
        tags=["articles"],
        responses={200: RevisionDetailSerializer, **schema.errors(404)},
    )
    def get(self, request, pk: int, number: int):
        revision = get_object_or_404(
            revisions_visible_to(request.user).select_related("author"),
            article_id=pk,
            number=number,
        )
        return Response(RevisionDetailSerializer(revision).data)
