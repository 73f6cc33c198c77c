"""The claim filters the pages, the API and the exports share."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django_filters.fields import IsoDateTimeField

from annotations.models import (
    Actor,
    ActorRole,
    AnchorState,
    Certainty,
    Claim,
    ClaimStatus,
)
from articles.models import Article, Source


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC here so that a value the database cannot
    hold (year 1 with a positive offset, an offset PostgreSQL refuses) is a form error,
    not a failed query."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError(
                "Enter a date-time between the years 1 and 9999.", code="out_of_range"
            ) from exc


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class ClaimFilter(django_filters.FilterSet):
    # distinct=False: one value per claim, so no SELECT DISTINCT over every column.
    status = django_filters.MultipleChoiceFilter(choices=ClaimStatus.choices, distinct=False)
    article = django_filters.ModelChoiceFilter(queryset=Article.objects.all())
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(), method="filter_actor", label="Actor (any role)"
    )
    claimant = django_filters.ModelChoiceFilter(queryset=Actor.objects.all())
    role = django_filters.ChoiceFilter(
        choices=ActorRole.choices, method="filter_role", label="Role of the actor"
    )
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.all(), field_name="source_links__source", distinct=True
    )
    certainty = django_filters.MultipleChoiceFilter(choices=Certainty.choices, distinct=False)
    anchor_state = django_filters.MultipleChoiceFilter(choices=AnchorState.choices, distinct=False)
    created_after = UTCDateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created", lookup_expr="lt")
    reviewed_after = UTCDateTimeFilter(field_name="reviewed_at", lookup_expr="gte")
    q = django_filters.CharFilter(method="filter_text", label="Text search")

    class Meta:
        model = Claim
        fields = []

    def filter_actor(self, queryset, name, value):
        if not value:
            return queryset
        role = self.form.cleaned_data.get("role")
        links = Q(actor_links__actor=value)
        if role:
            links &= Q(actor_links__role=role)
            return queryset.filter(links).distinct()
        return queryset.filter(links | Q(claimant=value)).distinct()

    def filter_role(self, queryset, name, value):
        # With `actor`, the role narrows that actor's links (see filter_actor);
        # alone, it keeps claims that name anyone in that role.
        if not value or self.form.cleaned_data.get("actor"):
            return queryset
        return queryset.filter(actor_links__role=value).distinct()

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(statement__icontains=value)
            | Q(exact__icontains=value)
            | Q(claimant__name__icontains=value)
        )
