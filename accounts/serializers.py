"""The API's token serializers: asking for a token, the one answer that holds its key,
and the listing that never does."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.services import MAX_DAYS
from annotations.api.serializers.fields import InputSerializer, WholeNumberField


class TokenRequestSerializer(InputSerializer):
    """A username and password; optionally `name`, what the token is for (default
    `API token`), and `expires_in_days`, its lifetime (default: the server's
    `API_TOKEN_DAYS`)."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    expires_in_days = WholeNumberField(min_value=1, max_value=MAX_DAYS, required=False)

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to log in with the credentials provided."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class ApiTokenSerializer(serializers.Serializer):
    """A token as listed: never its key."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's first characters, to tell keys apart.")
    created = serializers.DateTimeField()
    last_used = serializers.DateTimeField(
        allow_null=True, help_text="Within a minute: written at most once a minute."
    )
    expires = serializers.DateTimeField(allow_null=True, help_text="Null: never expires.")


class NewTokenSerializer(ApiTokenSerializer):
    """The answer that creates a token: the only one that ever holds its key."""

    token = serializers.CharField(
        help_text='The key, shown this once. Send it as "Authorization: Token <token>".'
    )
