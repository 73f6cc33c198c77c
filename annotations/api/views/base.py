"""What every API view shares: authentication order, permissions, the claim filters."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from accounts.authentication import ApiTokenAuthentication
from annotations.api.permissions import HasCapability
from annotations.api.renderers import JSONRenderer
from annotations.filters import ClaimFilter
from annotations.models import Actor
from annotations.params import IdChoiceFilter, IdFilter
from claimdesk.outcome import follow


class ApiView(generics.GenericAPIView):
    # Token first, so that an anonymous request answers 401 with
    # `WWW-Authenticate: Token`; session requests are CSRF-checked by SessionAuthentication.
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    # JSON only: the browsable API needs inline scripts the Content-Security-Policy forbids.
    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated, HasCapability]
    capabilities: dict = {}

    def initial(self, request, *args, **kwargs):
        # A write that follows its outcome (`annotations.idempotency.idempotent`) is
        # followed from before authentication and permission checks, so that a database
        # lost during them is answered truthfully: nothing was saved.
        handler = getattr(self, (request.method or "").lower(), None)
        if getattr(handler, "follows_outcome", False):
            follow(request)
        super().initial(request, *args, **kwargs)

    def is_schema_view(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def validated_input(self, serializer_class) -> dict:
        """The request body read by `serializer_class`; a 400 naming the fields otherwise."""
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class DocumentedClaimFilter(ClaimFilter):
    """`ClaimFilter` as the schema describes it: `actor` is an actor id, `related_to` a
    claim id."""

    actor = extend_schema_field(OpenApiTypes.INT)(
        IdChoiceFilter(
            queryset=Actor.objects.all(), method="filter_actor", label="Actor (any role)"
        )
    )
    related_to = extend_schema_field(OpenApiTypes.INT)(
        IdFilter(method="filter_related_to", label=ClaimFilter.base_filters["related_to"].label)
    )


class SchemaOnlyFilterBackend(DjangoFilterBackend):
    """Describes the view's `filterset_class` in the schema; the view's selector applies
    it (and refuses bad values with a 400 that names the field), as the pages do."""

    def filter_queryset(self, request, queryset, view):
        return queryset


class ClaimFilterBackend(SchemaOnlyFilterBackend):
    """Describes `ClaimFilter` in the schema; the selectors apply it (and refuse bad values
    with a 400 that names the field), so this backend leaves the queryset alone."""

    def get_filterset_class(self, view, queryset=None):
        return DocumentedClaimFilter
