"""API URLs under /api/: the schema, the docs and version 1 (namespace `v1`)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as tokens
from annotations.api.views import annotations, articles, claims, exports, projects, registry
from annotations.api.views import relations as claim_relations
from annotations.api.views.index import ApiRootView
from publishing import api as publishing
from suggestions import api as suggestions

v1_patterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/token/", tokens.TokenView.as_view(), name="auth-token"),
    path("auth/tokens/", tokens.TokenListView.as_view(), name="auth-token-list"),
    path("auth/tokens/<int:pk>/", tokens.TokenDetailView.as_view(), name="auth-token-detail"),
    path("sources/", registry.SourceListView.as_view(), name="source-list"),
    path("sources/<int:pk>/", registry.SourceDetailView.as_view(), name="source-detail"),
    path("actors/", registry.ActorListView.as_view(), name="actor-list"),
    path("actors/<int:pk>/", registry.ActorDetailView.as_view(), name="actor-detail"),
    path("actors/<int:pk>/merge/", registry.ActorMergeView.as_view(), name="actor-merge"),
    path("articles/", articles.ArticleListView.as_view(), name="article-list"),
    path("articles/<int:pk>/", articles.ArticleDetailView.as_view(), name="article-detail"),
    path(
        "articles/<int:pk>/revisions/",
        articles.ArticleRevisionListView.as_view(),
        name="article-revision-list",
    ),
    path(
        "articles/<int:pk>/revisions/<int:number>/",
        articles.ArticleRevisionDetailView.as_view(),
        name="article-revision-detail",
    ),
    path(
        "articles/<int:pk>/suggestions/",
        suggestions.ArticleSuggestionListView.as_view(),
        name="article-suggestions",
    ),
    path(
        "articles/<int:pk>/suggestions/<str:key>/dismiss/",
        suggestions.SuggestionDismissView.as_view(),
        name="article-suggestion-dismiss",
    ),
    path("claims/", claims.ClaimListView.as_view(), name="claim-list"),
    path("claims/<int:pk>/", claims.ClaimDetailView.as_view(), name="claim-detail"),
    path("claims/<int:pk>/submit/", claims.ClaimSubmitView.as_view(), name="claim-submit"),
    path("claims/<int:pk>/review/", claims.ClaimReviewView.as_view(), name="claim-review"),
    path("claims/<int:pk>/events/", claims.ClaimEventListView.as_view(), name="claim-events"),
    path("claims/<int:pk>/publish/", publishing.ClaimPublishView.as_view(), name="claim-publish"),
    path(
        "claims/<int:pk>/unpublish/",
        publishing.ClaimUnpublishView.as_view(),
        name="claim-unpublish",
    ),
    path(
        "claims/<int:pk>/relations/",
        claim_relations.ClaimRelationListView.as_view(),
        name="claim-relations",
    ),
    path(
        "claims/<int:pk>/relations/<int:relation_id>/",
        claim_relations.ClaimRelationDetailView.as_view(),
        name="claim-relation-detail",
    ),
    path(
        "annotations/",
        annotations.AnnotationContainerView.as_view(),
        name="annotation-list",
    ),
    path("annotations/<int:pk>", annotations.AnnotationView.as_view(), name="annotation-detail"),
    path("export/claims/", exports.ClaimExportView.as_view(), name="export-claims"),
    path("projects/", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path(
        "projects/<int:pk>/annotations/",
        annotations.ProjectAnnotationContainerView.as_view(),
        name="project-annotation-list",
    ),
    path(
        "projects/<int:pk>/suggestions/",
        suggestions.ProjectSuggestionsView.as_view(),
        name="project-suggestions",
    ),
    path(
        "projects/<int:pk>/suggestion-jobs/",
        suggestions.ProjectSuggestionJobView.as_view(),
        name="project-suggestion-jobs",
    ),
    path("jobs/<int:pk>/", suggestions.JobDetailView.as_view(), name="job-detail"),
    path(
        "projects/<int:pk>/members/",
        projects.ProjectMemberListView.as_view(),
        name="project-member-list",
    ),
    path(
        "projects/<int:pk>/members/<int:membership_id>/",
        projects.ProjectMemberDetailView.as_view(),
        name="project-member-detail",
    ),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script from our origin: no inline script, so the
    # Content-Security-Policy holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include((v1_patterns, "v1"))),
]
