"""Filters of the registry and article lists. (Claim filters: `annotations.filters`.)"""

import django_filters
from django.db.models import Exists, OuterRef, Q

from annotations.models import Actor, ActorAlias, ActorKind
from annotations.text import fold
from articles.models import Article, Source, SourceKind


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Words starting a name or an alias (ignores case and accents)",
        max_length=300,
    )
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)

    class Meta:
        model = Actor
        fields = []

    def filter_q(self, queryset, name, value):
        folded = fold(value)
        if not folded:
            return queryset
        # Folded names are words separated by single spaces: match at a word start, so
        # that "iran" finds "Iran" and "the Iranian state" but not "Tiranë".
        at_word_start = Q(folded__startswith=folded) | Q(folded__contains=" " + folded)
        alias = ActorAlias.objects.filter(at_word_start, actor=OuterRef("pk"))
        return queryset.filter(at_word_start | Exists(alias))


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name or publisher", max_length=300)
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)

    class Meta:
        model = Source
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(publisher__icontains=value))


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Title or byline", max_length=300)
    outlet = django_filters.ModelChoiceFilter(queryset=Source.objects.all())
    language = django_filters.CharFilter(max_length=16)

    class Meta:
        model = Article
        fields = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(byline__icontains=value))
