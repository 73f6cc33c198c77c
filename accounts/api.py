"""The API's token endpoints: ask for a token, list yours, revoke one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.selectors import tokens_of
from accounts.serializers import ApiTokenSerializer, NewTokenSerializer, TokenRequestSerializer
from accounts.services import token_create, token_revoke
from annotations.api import schema
from annotations.api.renderers import JSONRenderer
from annotations.api.throttling import TokenAddressThrottle, TokenUsernameThrottle
from annotations.api.views.base import ApiView


class TokenView(APIView):
    """Exchange a username and password for a new API token.

    Every call makes a new token (the user's other tokens keep working) and answers its
    key this once. No session is involved, so no CSRF token is needed. Attempts are
    throttled per client address and per username (rate `token`).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [TokenAddressThrottle, TokenUsernameThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={200: NewTokenSerializer, **schema.errors(400, 413, 415, authenticated=False)},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = token_create(
            user=data["user"],
            name=data.get("name", ""),
            expires_in_days=data.get("expires_in_days"),
        )
        return Response(NewTokenSerializer({**vars(token), "token": key}).data)


class TokenListView(ApiView):
    """The caller's tokens, newest first: never their keys."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if self.is_schema_view():
            return ApiToken.objects.none()
        return tokens_of(self.request.user)

    @extend_schema(
        operation_id="auth_tokens_list",
        tags=["auth"],
        responses={200: ApiTokenSerializer(many=True), **schema.errors(404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApiTokenSerializer(page, many=True).data)


class TokenDetailView(ApiView):
    """Revoke one of the caller's tokens; someone else's token id answers 404."""

    @extend_schema(
        operation_id="auth_tokens_destroy",
        tags=["auth"],
        responses={204: None, **schema.errors(404)},
    )
    def delete(self, request, pk: int):
        token_revoke(token=get_object_or_404(tokens_of(request.user), pk=pk))
        return Response(status=204)
