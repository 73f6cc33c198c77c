"""`manage.py export_claims`: the same exports from the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from annotations.exports import csv_format
from tests.annotations.exports.claimreview_check import (
    check_claim_review,
    errors,
    find_claim_reviews,
)
from tests.annotations.exports.conformance import validate_webanno

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_claims", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_jsonl_to_stdout_with_a_progress_bar(desk):
    out, err = run("--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [desk.claims["approved"].pk, desk.claims["sanctions"].pk]
    assert records[0]["url"] == f"http://localhost:8000/api/v1/annotations/{records[0]['id']}"
    assert "2/2" in err  # the progress bar


def test_csv_to_a_file(desk, tmp_path):
    target = tmp_path / "claims.csv"
    _, err = run("--format", "csv", "--output", str(target), "--no-progress")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == csv_format.COLUMNS
    assert len(rows) == 3
    assert "2 claims written" in err
    assert not (tmp_path / "claims.csv.partial").exists()


def test_webannotation_file_validates(desk, tmp_path, conformance_dir):
    target = tmp_path / "claims.jsonld"
    run("--format", "webannotation", "--output", str(target), "--base-url", "https://desk.example/")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document[0]["id"] == "https://desk.example/api/v1/annotations/"
    assert document[1]["items"][0]["id"].startswith("https://desk.example/api/v1/annotations/")
    validate_webanno(conformance_dir, tmp_path, target.read_bytes())


def test_claimreview_with_a_publisher(desk, tmp_path):
    target = tmp_path / "claimreview.jsonld"
    run(
        "--format",
        "claimreview",
        "-o",
        str(target),
        "--publisher-name",
        "Desk Albania",
        "--publisher-url",
        "https://desk.example/",
        "--base-url",
        "https://desk.example",
    )
    [(review, context)] = find_claim_reviews(json.loads(target.read_text(encoding="utf-8")))
    assert review["author"]["name"] == "Desk Albania"
    problems = check_claim_review(review, context=context, page_url="https://desk.example/")
    assert errors(problems) == []


def test_filters_apply(desk):
    out, _ = run(
        "--format", "jsonl", "--claimant", str(desk.united_states.pk), "--certainty", "confirmed"
    )
    assert [json.loads(line)["id"] for line in out.splitlines()] == [desk.claims["sanctions"].pk]


def test_without_a_user_no_draft_is_exported(desk):
    out, _ = run("--format", "jsonl", "--status", "draft", "--status", "submitted")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [desk.claims["submitted"].pk]


def test_as_a_user_their_own_drafts_are_exported(desk):
    out, _ = run("--format", "jsonl", "--status", "draft", "--user", "rita")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [desk.claims["draft"].pk]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "published"], "--status"),
        (["--article", "abc"], "--article"),
        (["--created-after", "yesterday"], "--created-after"),
        (["--role", "villain"], "--role"),
        (["--user", "nobody"], "--user"),
        (["--chunk-size", "0"], "--chunk-size"),
    ],
)
def test_bad_filter_is_a_command_error(desk, args, message):
    with pytest.raises(CommandError, match=message):
        run("--format", "jsonl", *args)


def test_unknown_format_is_refused(desk):
    with pytest.raises(CommandError):
        run("--format", "xml")


def test_failed_export_leaves_no_file(desk, tmp_path, monkeypatch):
    from annotations.exports import jsonl

    def broken(records):
        yield b"{}\n"
        raise RuntimeError("disk full")

    monkeypatch.setattr(jsonl, "stream", broken)
    target = tmp_path / "claims.jsonl"
    with pytest.raises(RuntimeError):
        run("--format", "jsonl", "--output", str(target), "--no-progress")
    assert not target.exists()
    assert not (tmp_path / "claims.jsonl.partial").exists()
