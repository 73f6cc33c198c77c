"""Exports and projects: every record names its claim's project, and `export_claims
--project SLUG` writes one project's claims only."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.exports.records import Links, iter_records
from annotations.models import Claim
from projects.models import Project
from tests.annotations.exports.builders import bulk_approved
from tests.annotations.exports.conformance import expand, validate_webanno
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITE = Links(base_url="http://testserver")


@pytest.fixture
def balkans(desk, researcher, reviewer) -> Project:
    """A second desk with three approved claims of its own."""
    project = Project.objects.create(name="Balkans partner desk", slug="balkans")
    article = ArticleFactory(project=project)
    project.claim_ids = bulk_approved(
        3, article=article, author=researcher, reviewer=reviewer, claimant=desk.rama
    )
    return project


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_claims", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def call_command_from_argv(name: str, *args: str) -> None:
    """Run the command as `manage.py` does, so that a CommandError becomes an exit status."""
    command = load_command_class("annotations", name)
    command.run_from_argv(["manage.py", name, *args])


def main_claim_ids(desk) -> list[int]:
    return [desk.claims["approved"].pk, desk.claims["sanctions"].pk]


# --------------------------------------------------------------------------- records


def test_every_record_names_its_claims_project(desk, balkans):
    records = list(iter_records(Claim.objects.filter(status="approved").order_by("id"), SITE))
    projects = {record["id"]: record["project"] for record in records}
    assert projects == {
        **dict.fromkeys(main_claim_ids(desk), "main"),
        **dict.fromkeys(balkans.claim_ids, "balkans"),
    }


def test_naming_the_project_costs_no_query(desk, balkans):
    claims = Claim.objects.filter(status="approved").order_by("id")
    with CaptureQueriesContext(connection) as queries:
        list(iter_records(claims, SITE))
    assert len(queries) == 1 + 4  # the claims, then their actors, sources, reviews, relations


# --------------------------------------------------------------------------- the command


def test_without_project_the_command_exports_every_project(desk, balkans):
    out, _ = run("--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["project"] for r in records} == {"main", "balkans"}
    assert len(records) == 5


@pytest.mark.parametrize(("slug", "expected"), [("balkans", "balkans"), ("main", "main")])
def test_jsonl_of_one_project_holds_its_claims_only(desk, balkans, slug, expected):
    out, _ = run("--format", "jsonl", "--project", slug)
    records = [json.loads(line) for line in out.splitlines()]
    wanted = balkans.claim_ids if slug == "balkans" else main_claim_ids(desk)
    assert [r["id"] for r in records] == wanted
    assert {r["project"] for r in records} == {expected}


def test_csv_of_one_project_has_a_project_column(desk, balkans):
    out, _ = run("--format", "csv", "--project", "balkans")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(row["id"]) for row in rows] == balkans.claim_ids
    assert {row["project"] for row in rows} == {"balkans"}


def test_project_and_filters_combine(desk, balkans):
    out, _ = run("--format", "jsonl", "--project", "main", "--claimant", str(desk.rama.pk))
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [desk.claims["approved"].pk]


def test_webannotation_of_one_project_is_its_container_and_validates(
    desk, balkans, tmp_path, conformance_dir
):
    out, _ = run("--format", "webannotation", "--project", "balkans")
    collection, *pages = json.loads(out)
    container = f"http://localhost:8000/api/v1/projects/{balkans.pk}/annotations/"
    assert collection["id"] == container
    assert collection["total"] == 3
    assert "Balkans partner desk" in collection["label"]
    items = [item for page in pages for item in page["items"]]
    assert [item["project"] for item in items] == ["balkans"] * 3
    assert all(page["id"].startswith(container + "?page=") for page in pages)
    # The annotations keep their one IRI, whichever container lists them.
    assert items[0]["id"] == f"http://localhost:8000/api/v1/annotations/{balkans.claim_ids[0]}"
    validate_webanno(conformance_dir, tmp_path, *pages, *items)
    [expanded] = expand(conformance_dir, items[0])
    [project] = [value for key, value in expanded.items() if key.endswith("vocab#project")]
    assert project == [{"@value": "balkans"}]


def test_claimreview_of_one_project_holds_its_claims_only(desk, balkans):
    out, _ = run("--format", "claimreview", "--project", "balkans")
    feed = json.loads(out)
    based_on = [item["item"]["isBasedOn"] for item in feed["dataFeedElement"]]
    assert [int(iri.rsplit("/", 1)[1]) for iri in based_on] == balkans.claim_ids


def test_unknown_project_is_a_command_error(desk, balkans):
    with pytest.raises(CommandError, match=r"--project: there is no project 'nowhere'.*balkans"):
        run("--format", "jsonl", "--project", "nowhere")


def test_unknown_project_exits_non_zero_with_a_message(desk, balkans, capsys, monkeypatch):
    # As `manage.py` runs it; the connection that the command closes at its end is the
    # test's own.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        call_command_from_argv(
            "export_claims", "--skip-checks", "--format", "jsonl", "--project", "nowhere"
        )
    assert exit_.value.code != 0
    assert "there is no project 'nowhere'" in capsys.readouterr().err


def test_help_says_that_every_project_is_exported_by_default(capsys, monkeypatch):
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit):
        call_command_from_argv("export_claims", "--help")
    assert "default: every project" in " ".join(capsys.readouterr().out.split())
