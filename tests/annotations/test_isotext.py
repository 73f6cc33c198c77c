"""The database writes timestamps and dates as ISO text exactly as Python does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models.functions import Now

from annotations.isotext import IsoDate, IsoDateTime, iso
from annotations.models import Actor, Claim
from articles.models import Article
from tests.factories import ActorFactory, ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

MOMENTS = [
    dt.datetime(2022, 9, 7, 10, 0, 0, tzinfo=dt.UTC),
    dt.datetime(2022, 9, 7, 10, 0, 0, 500000, tzinfo=dt.UTC),
    dt.datetime(2022, 9, 7, 10, 0, 0, 1, tzinfo=dt.UTC),
    dt.datetime(2022, 9, 7, 10, 0, 0, 120000, tzinfo=dt.UTC),
    dt.datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2022, 9, 7, 0, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    dt.datetime(2022, 9, 7, 0, 30, 15, 250, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
]


def iso_text(model, pk: int, field: str, expression=IsoDateTime) -> str | None:
    return model.objects.filter(pk=pk).values_list(expression(field), flat=True).get()


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_database_writes_a_timestamp_as_python_does(moment):
    actor = ActorFactory()
    Actor.objects.filter(pk=actor.pk).update(created=moment)
    assert iso_text(Actor, actor.pk, "created") == iso(moment)
    assert iso_text(Actor, actor.pk, "created") == iso(Actor.objects.get(pk=actor.pk).created)


def test_database_writes_a_timestamp_of_its_own_clock_as_python_does():
    actor = ActorFactory()
    Actor.objects.filter(pk=actor.pk).update(created=Now())
    assert iso_text(Actor, actor.pk, "created") == iso(Actor.objects.get(pk=actor.pk).created)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="text as SQLite stores it")
@pytest.mark.parametrize(
    "stored",
    [
        "2022-09-07 10:00:00",
        "2022-09-07 10:00:00.5",
        "2022-09-07 10:00:00.120",
        "2022-09-07 10:00:00.000",
        "2022-09-07 10:00:00.000000",
        "2022-09-07 10:00:00.000100",
        "2022-09-07T10:00:00.250000",
    ],
)
def test_sqlite_text_of_any_precision_reads_as_python_does(stored):
    actor = ActorFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Actor._meta.db_table} SET created = %s WHERE id = %s", [stored, actor.pk]
        )
    assert iso_text(Actor, actor.pk, "created") == iso(Actor.objects.get(pk=actor.pk).created)


def test_database_leaves_a_missing_timestamp_missing(researcher):
    claim = make_claim(author=researcher)
    assert claim.submitted_at is None
    assert iso_text(Claim, claim.pk, "submitted_at") is None


@pytest.mark.parametrize("day", [dt.date(2022, 9, 7), dt.date(999, 1, 2), None], ids=str)
def test_database_writes_a_date_as_python_does(day):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(published=day)
    assert iso_text(Article, article.pk, "published", IsoDate) == iso(day)
