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
