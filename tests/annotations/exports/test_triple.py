"""The cue and source mention in the JSON Lines and CSV exports, through the export
command as a user runs it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from annotations.models import Claim
from annotations.services.claims import MarkedSpan, claim_update
from tests.annotations.exports.builders import approve

pytestmark = pytest.mark.django_db


def approved_with_triple(desk, researcher, reviewer) -> Claim:
    """The desk's draft, given Rama's "said" and name, then approved."""
    claim = desk["draft"]
    text = claim.revision.text
    said = text.index(" said ") + 1
    rama = text.index("Edi Rama")
    claim = claim_update(
        user=researcher,
        claim_id=claim.pk,
        version=claim.version,
        cue=MarkedSpan(said, said + 4, "said"),
        source_mention=MarkedSpan(rama, rama + 8, "Edi Rama"),
    )
    return approve(claim, researcher, reviewer)


def export(fmt: str, tmp_path) -> str:
    out = tmp_path / f"claims.{fmt}"
    call_command("export_claims", format=fmt, output=str(out), stdout=io.StringIO())
    return out.read_text(encoding="utf-8")


def test_jsonl_and_csv_carry_the_cue_and_source_mention(desk, researcher, reviewer, tmp_path):
    claim = approved_with_triple(desk, researcher, reviewer)

    records = {r["id"]: r for r in map(json.loads, export("jsonl", tmp_path).splitlines())}
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(export("csv", tmp_path)))}

    record, row = records[claim.pk], rows[claim.pk]
    assert record["cue"] == {"start": claim.cue_start, "end": claim.cue_end, "exact": "said"}
    assert record["source_mention"]["exact"] == "Edi Rama"
    assert row["cue_exact"] == "said" and row["cue_start"] == str(claim.cue_start)
    assert row["source_mention_exact"] == "Edi Rama"
    others = [r for pk, r in records.items() if pk != claim.pk]
    assert others and all(r["cue"] is None for r in others)
    assert all(r["source_mention_start"] == "" for pk, r in rows.items() if pk != claim.pk)
