"""`manage.py import_actors`: CSV and JSON, parents in any order, re-import, bad lines."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Actor, ActorAlias
from tests.factories import ActorFactory

CSV = """name,kind,aliases,wikidata_id,parent,description
Iran's Ministry of Intelligence,organisation,MOIS|VAJA,Q1541467,Iran,Intelligence agency
Iran,state,Tehran;the Iranian state,Q794,,Country in Western Asia
United States,state,Washington|the US,Q30,,
Albania,state,Tirana|Tiranë,Q222,,
Edi Rama,person,,,Albania,"Prime minister of Albania,
since 2013"
"""


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_actors", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def snapshot():
    return sorted(
        (
            actor.name,
            actor.kind,
            actor.wikidata_id,
            actor.parent.name if actor.parent else None,
            tuple(sorted(actor.aliases.values_list("name", flat=True))),
        )
        for actor in Actor.objects.select_related("parent")
    )


def test_csv_import_creates_actors_with_aliases_and_parents(tmp_path, db):
    path = tmp_path / "actors.csv"
    path.write_text(CSV, encoding="utf-8")
    out, err, failed = run(path)
    assert failed is None, err
    assert "5 actor(s) created, 0 updated, 0 unchanged, 0 error(s)." in out
    assert snapshot() == [
        ("Albania", "state", "Q222", None, ("Tirana", "Tiranë")),
        ("Edi Rama", "person", "", "Albania", ()),
        ("Iran", "state", "Q794", None, ("Tehran", "the Iranian state")),
        ("Iran's Ministry of Intelligence", "organisation", "Q1541467", "Iran", ("MOIS", "VAJA")),
        ("United States", "state", "Q30", None, ("Washington", "the US")),
    ]
    assert Actor.objects.get(name="Edi Rama").description.startswith("Prime minister")


def test_importing_twice_updates_instead_of_duplicating(tmp_path, db):
    path = tmp_path / "actors.csv"
    path.write_text(CSV, encoding="utf-8")
    run(path, "--no-progress")
    before = snapshot()
    out, _, failed = run(path, "--no-progress")
    assert failed is None
    assert "0 actor(s) created, 0 updated, 5 unchanged" in out
    assert snapshot() == before

    # A changed file updates the actors it names, matched by Wikidata id or by name.
    path.write_text(
        "name,kind,aliases,wikidata_id\n"
        "Islamic Republic of Iran,state,Persia,Q794\n"
        "ALBANIA,,Shqipëria,\n",
        encoding="utf-8",
    )
    out, _, failed = run(path)
    assert failed is None
    assert "0 actor(s) created, 2 updated" in out
    assert Actor.objects.count() == 5
    iran = Actor.objects.get(wikidata_id="Q794")
    assert iran.name == "Islamic Republic of Iran"
    # Aliases are added to those the actor had; the kind stays when the file has none.
    assert sorted(iran.aliases.values_list("name", flat=True)) == [
        "Persia",
        "Tehran",
        "the Iranian state",
    ]
    albania = Actor.objects.get(wikidata_id="Q222")
    assert albania.kind == "state"
    assert ActorAlias.objects.filter(actor=albania, name="Shqipëria").exists()


def test_bad_lines_are_reported_by_number_and_the_rest_imports(tmp_path, db):
    path = tmp_path / "actors.csv"
    path.write_text(
        "name,kind,aliases,wikidata_id,parent\n"
        "Iran,state,Tehran,Q794,\n"
        ",state,,,\n"
        "\n"
        "Atlantis,planet,,,\n"
        "FBI,organisation,,Q8333,United States\n"
        "Microsoft,organisation,,not-an-id,\n"
        "Hezbollah,group,,,\n",
        encoding="utf-8",
    )
    _, err, failed = run(path)
    assert isinstance(failed, CommandError)
    assert failed.returncode == 1
    assert "line 3: the name is missing" in err
    assert "line 5: unknown kind 'planet'" in err
    assert "line 6: imported, but its parent is not set: no actor 'United States'" in err
    assert "line 7: wikidata_id:" in err
    assert sorted(Actor.objects.values_list("name", flat=True)) == ["FBI", "Hezbollah", "Iran"]


def test_json_import_names_the_bad_item(tmp_path, db):
    ActorFactory(name="Albania")
    path = tmp_path / "actors.json"
    path.write_text(
        json.dumps(
            {
                "actors": [
                    {"name": "Edi Rama", "kind": "person", "parent": "Albania"},
                    {"name": "Ministry", "kind": "organisation", "aliases": ["MOIS"]},
                    "not an object",
                    {"name": "Unit 42", "kind": "group", "parent": "Ministry"},
                    {"name": ["Iran"]},
                ]
            }
        ),
        encoding="utf-8",
    )
    _, err, failed = run(path)
    assert failed is not None
    assert "item 2: an actor is an object with a name" in err
    assert "item 4: name must be text" in err
    assert Actor.objects.get(name="Edi Rama").parent.name == "Albania"
    assert Actor.objects.get(name="Unit 42").parent.name == "Ministry"


def test_parent_cycles_in_the_file_are_reported(tmp_path, db):
    path = tmp_path / "actors.csv"
    path.write_text("name,parent\nA,B\nB,A\n", encoding="utf-8")
    _, err, failed = run(path)
    assert failed is not None
    assert "line 3: imported, but its parent is not set:" in err
    assert Actor.objects.get(name="A").parent.name == "B"
    assert Actor.objects.get(name="B").parent is None


def test_ambiguous_names_are_not_guessed(tmp_path, db):
    ActorFactory(name="Labour")
    ActorFactory(name="labour")
    path = tmp_path / "actors.csv"
    path.write_text("name\nLabour\n", encoding="utf-8")
    _, err, failed = run(path)
    assert failed is not None
    assert "line 2: several actors are named 'Labour'" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [("kind,aliases\nstate,\n", "header row"), ("{", "not valid JSON")],
)
def test_unreadable_files_stop_the_command(tmp_path, db, content, message):
    path = tmp_path / ("actors.json" if content == "{" else "actors.csv")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_actors", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_progress_is_drawn_on_stderr(tmp_path, db):
    path = tmp_path / "actors.csv"
    path.write_text("name\nIran\n", encoding="utf-8")
    _, err, failed = run(path)
    assert failed is None
    assert "actors" in err
