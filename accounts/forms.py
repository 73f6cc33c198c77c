"""The form of the API tokens page."""

from __future__ import annotations

from django import forms

from accounts.services import MAX_DAYS


class NewTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        required=False,
        help_text="What the token is for, e.g. the script or client that will use it.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires in (days)",
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text="Leave empty for the default lifetime.",
    )
