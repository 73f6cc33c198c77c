"""The filters the pages, the API and the exports share: claims, actors, sources, articles.

Ids are read by `annotations.params` (ASCII digits within the id range), so "٣" or a
number beyond any id is an invalid value, refused with the field named by the selectors
(`annotations.selectors.filtering`) and by DRF's filter backend alike.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django_filters.fields import IsoDateTimeField

from annotations.actor_counts import INVOLVEMENT
from annotations.models import (
    Actor,
    ActorAlias,
    ActorClaimCount,
    ActorInvolvement,
    ActorKind,
    ActorRole,
    AnchorState,
    Certainty,
    Claim,
    ClaimActor,
    ClaimRelation,
    ClaimStatus,
)
from annotations.params import IdChoiceFilter, IdFilter
from annotations.text import fold
from articles.models import Article, Source, SourceKind
from search.selectors import matching_articles, matching_claims

# An actor's claims up to this many (by the kept counts) are filtered by their ids.
FEW_CLAIMS = 2000


def _any_contains(queryset, value: str, *fields: str):
    """Rows where one of `fields` holds `value` (case ignored); all rows for a blank one."""
    value = value.strip()
    if not value:
        return queryset
    found = Q()
    for field in fields:
        found |= Q(**{f"{field}__icontains": value})
    return queryset.filter(found)


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
    article = IdFilter(field_name="article_id", label="Article id")
    project = IdFilter(field_name="project_id", label="Project id")
    actor = IdChoiceFilter(
        queryset=Actor.objects.all(), method="filter_actor", label="Actor (any role)"
    )
    claimant = IdChoiceFilter(queryset=Actor.objects.all())
    role = django_filters.ChoiceFilter(
        choices=ActorRole.choices, method="filter_role", label="Role of the actor"
    )
    source = IdChoiceFilter(
        queryset=Source.objects.all(), field_name="source_links__source", distinct=True
    )
    certainty = django_filters.MultipleChoiceFilter(choices=Certainty.choices, distinct=False)
    anchor_state = django_filters.MultipleChoiceFilter(choices=AnchorState.choices, distinct=False)
    created_after = UTCDateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = UTCDateTimeFilter(field_name="created", lookup_expr="lt")
    reviewed_after = UTCDateTimeFilter(field_name="reviewed_at", lookup_expr="gte")
    q = django_filters.CharFilter(
        method="filter_text",
        label="Words of the statement, quote or note, or an actor's name or alias",
        max_length=300,
    )
    related_to = IdFilter(
        method="filter_related_to",
        label="Claim id: the claims related to it, either way (it denies them, or they it)",
    )

    class Meta:
        model = Claim
        fields = []

    def filter_related_to(self, queryset, name, value):
        if value is None:
            return queryset
        # Two EXISTS rather than joins: one row a claim, no DISTINCT over every column.
        return queryset.filter(
            Exists(ClaimRelation.objects.filter(from_claim=OuterRef("pk"), to_claim_id=value))
            | Exists(ClaimRelation.objects.filter(to_claim=OuterRef("pk"), from_claim_id=value))
        )

    def filter_actor(self, queryset, name, value):
        if not value:
            return queryset
        # Claims naming the actor, each once, from the kept involvements (or its links
        # in the role): a join on links OR the claimant needed a DISTINCT over every
        # column, and the planner walked a whole desk for an actor of a few claims (2 s
        # at 501,000 claims).
        role = self.form.cleaned_data.get("role")
        if role:
            named = ClaimActor.objects.filter(actor=value, role=role)
        else:
            named = ActorInvolvement.objects.filter(actor=value)
        # The planner guesses an actor's claims in a role from the actor's share of all
        # links: 35,000 for Iran's 24 denials, so it walked the desk by date looking for
        # them (2.5 s). The kept count knows; a few claims are looked up by their ids.
        kept = ActorClaimCount.objects.filter(actor=value, role=role or INVOLVEMENT).aggregate(
            n=Sum("claims")
        )["n"]
        if (kept or 0) <= FEW_CLAIMS:
            return queryset.filter(pk__in=list(named.values_list("claim_id", flat=True)))
        return queryset.filter(pk__in=named.values("claim_id"))

    def filter_role(self, queryset, name, value):
        # With `actor`, the role narrows that actor's links (see filter_actor);
        # alone, it keeps claims that name anyone in that role.
        if not value or self.form.cleaned_data.get("actor"):
            return queryset
        return queryset.filter(actor_links__role=value).distinct()

    def filter_text(self, queryset, name, value):
        # The one full-text search (`search.selectors`); notes only for those who may
        # read them, when the filter knows who asks.
        if not value.strip():
            return queryset
        reader = getattr(self.request, "user", None)
        return matching_claims(queryset, value, note_reader=reader)


# The one ranking of actors; `annotations.selectors.actors` serves it to every door.


def _word_prefix(field: str, folded_query: str) -> Q:
    """`field` (folded) has a word starting with the query: "wash" finds "Washington"
    and "iran" finds "Islamic Republic of Iran", but not "Tirane"."""
    return Q(**{f"{field}__startswith": folded_query}) | Q(
        **{f"{field}__contains": f" {folded_query}"}
    )


def name_or_alias_matches(folded_query: str) -> Q:
    aliases = ActorAlias.objects.filter(_word_prefix("folded", folded_query), actor=OuterRef("pk"))
    return _word_prefix("folded", folded_query) | Q(Exists(aliases))


def rank_by_name(queryset: QuerySet[Actor], query: str) -> QuerySet[Actor]:
    """The actors of `queryset` with a name or alias that has a word starting with `query`,
    compared folded (case, accents and punctuation ignored: "tiranë" finds the alias
    "Tirane", "wash" finds "Washington"), best first.

    Exact names come first, then exact aliases, then names that start with the query,
    then the rest, each by name. This is the one ranking of actors: the actor list, the
    API's `q` and the pickers show it as it is.
    """
    folded_query = fold(query)
    if not folded_query:
        return queryset
    exact_alias = ActorAlias.objects.filter(actor=OuterRef("pk"), folded=folded_query)
    return (
        queryset.filter(name_or_alias_matches(folded_query))
        .annotate(
            match_rank=Case(
                When(folded=folded_query, then=Value(0)),
                When(Exists(exact_alias), then=Value(1)),
                When(folded__startswith=folded_query, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("match_rank", "name", "pk")
    )


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Words starting a name or an alias (ignores case and accents), best first",
        max_length=300,
    )
    kind = django_filters.ChoiceFilter(choices=ActorKind.choices)

    class Meta:
        model = Actor
        fields = []

    def filter_q(self, queryset, name, value):
        return rank_by_name(queryset, value)


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name, publisher or URL", max_length=300)
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices)

    class Meta:
        model = Source
        fields = []

    def filter_q(self, queryset, name, value):
        return _any_contains(queryset, value, "name", "publisher", "url")


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Words of the title, byline or text", max_length=300
    )
    outlet = IdChoiceFilter(queryset=Source.objects.all())
    language = django_filters.CharFilter(max_length=16)
    project = IdFilter(field_name="project_id", label="Project id")

    class Meta:
        model = Article
        fields = []

    def filter_q(self, queryset, name, value):
        if not value.strip():
            return queryset
        return matching_articles(queryset, value)
