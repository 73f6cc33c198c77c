"""Forms of the project pages: shape only; the services keep the rules and their
refusals are shown beside the field they name."""

from __future__ import annotations

from django import forms

from claimdesk.errors import DomainError
from projects.models import Project
from projects.roles import ProjectRole


def add_service_error(form: forms.Form, exc: DomainError) -> None:
    for error in exc.errors or [{"field": None, "detail": exc.detail}]:
        name = error.get("field")
        form.add_error(name if name in form.fields else None, error["detail"])


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    roles = forms.MultipleChoiceField(
        choices=ProjectRole.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class ProjectSettingsForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["name", "description", "guidelines", "required_approvals"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "guidelines": forms.Textarea(attrs={"rows": 12}),
        }
