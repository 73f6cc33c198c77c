"""`POST /api/v1/auth/token/`: a token for a username and password."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import schema
from annotations.api.renderers import JSONRenderer
from annotations.api.serializers.auth import TokenRequestSerializer, TokenSerializer
from annotations.api.throttling import TokenAddressThrottle, TokenUsernameThrottle


class TokenView(APIView):
    """Exchange a username and password for the user's API token.

    No session is involved, so no CSRF token is needed. Attempts are throttled per
    client address and per username (rate `token`).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [TokenAddressThrottle, TokenUsernameThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **schema.errors(400, 413, 415, authenticated=False)},
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key}).data)
