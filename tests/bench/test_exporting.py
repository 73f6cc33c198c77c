"""The export the benchmark times holds every claim it should, and so does the floor
it is compared with."""

import pytest

from annotations.exports.claimreview import rated_claims
from annotations.models import Claim
from bench import exporting

pytestmark = pytest.mark.django_db


def approved_ids() -> list[int]:
    return list(Claim.objects.filter(status="approved").order_by("pk").values_list("pk", flat=True))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "webannotation"])
def test_timed_export_holds_every_approved_claim(tiny_dataset, tmp_path, fmt):
    output = tmp_path / f"export.{fmt}"
    exporting.run_export(fmt, output)
    ids = exporting.exported_ids(fmt, output)
    assert sorted(ids) == approved_ids()
    assert len(ids) == len(set(ids))
    assert exporting.count_records(fmt, output) == len(ids) == exporting.expected_count(fmt)


def test_timed_claimreview_export_holds_every_rated_approved_claim(tiny_dataset, tmp_path):
    output = tmp_path / "export.jsonld"
    exporting.run_export("claimreview", output)
    ids = exporting.exported_ids("claimreview", output)
    rated = rated_claims(Claim.objects.filter(status="approved")).values_list("pk", flat=True)
    assert ids
    assert sorted(ids) == sorted(rated)
    assert exporting.count_records("claimreview", output) == len(ids)
    assert exporting.expected_count("claimreview") == len(ids)


def test_floor_reads_the_same_approved_claims_with_their_links(tiny_dataset, tmp_path):
    records = list(exporting.floor_records(chunk_size=7))
    assert [record["id"] for record in records] == approved_ids()
    for record in records:
        claim = Claim.objects.get(pk=record["id"])
        assert len(record["actors"]) == claim.actor_links.count()
        assert len(record["sources"]) == claim.source_links.count()
        assert len(record["reviews"]) == claim.reviews.count()
        assert record["anchor"]["exact"] == claim.exact
    count, _, _ = exporting.run_floor(tmp_path / "floor.jsonl")
    assert count == len(records)


def test_copy_floor_writes_the_floor_records_from_the_database_itself(tiny_dataset, tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("COPY … TO STDOUT is PostgreSQL's")
    import json

    output = tmp_path / "copy.jsonl"
    count, seconds = exporting.run_copy(output)
    copied = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    floor = list(exporting.floor_records())
    assert count == len(copied) == len(floor) > 0 and seconds > 0
    assert [record["id"] for record in copied] == [record["id"] for record in floor]
    for mine, theirs in zip(copied, floor, strict=True):
        assert set(mine) == set(theirs)
        assert mine["anchor"]["exact"] == theirs["anchor"]["exact"]
        assert mine["claimant"] == theirs["claimant"]
        assert len(mine["actors"]) == len(theirs["actors"])
        assert len(mine["reviews"]) == len(theirs["reviews"])
        assert mine["author"]["username"] == theirs["author"]["username"]
