"""A query compiled once reads the rows of any batch of ids, whatever its size."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.db.models.sql import Query

from annotations.batches import AmongIds, BatchQuery
from annotations.models import Actor
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


def test_one_compiled_query_reads_each_batch_and_only_it(django_assert_num_queries, monkeypatch):
    actors = [ActorFactory(name=f"Group {n}") for n in range(5)]
    query = BatchQuery(
        Actor.objects.filter(AmongIds(F("id"))).order_by("id").values_list("id", "name")
    )

    def compile_again(*args, **kwargs):
        raise AssertionError("a batch compiled its query again")

    monkeypatch.setattr(Query, "get_compiler", compile_again)
    with django_assert_num_queries(3):
        first = list(query.rows([actors[0].pk, actors[3].pk]))
        everyone = list(query.rows([actor.pk for actor in actors]))
        nobody = list(query.rows([]))
    assert first == [(actors[0].pk, "Group 0"), (actors[3].pk, "Group 3")]
    assert [pk for pk, _ in everyone] == [actor.pk for actor in actors]
    assert nobody == []


def test_ids_that_do_not_exist_read_nothing():
    actor = ActorFactory()
    query = BatchQuery(Actor.objects.filter(AmongIds(F("id"))).values_list("id"))
    assert list(query.rows([actor.pk + 1000, actor.pk])) == [(actor.pk,)]
