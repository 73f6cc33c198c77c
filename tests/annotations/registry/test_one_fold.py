"""One text fold: a name mention detection finds in a text is found by actor search, and
a name search finds is found in a text; the pickers' script and the migration that
refolded stored names fold the same way."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from annotations.mention_cache import mention_index
from annotations.mentions import match_key
from annotations.selectors.actors import actor_search
from annotations.text import fold
from tests.factories import ActorFactory

PICKERS = Path(__file__).resolve().parents[3] / "static" / "claimdesk" / "pickers.js"

NAMES = [
    "Tiranë",
    "Iran\u2019s Ministry of Intelligence",
    "Al-Qaeda",
    "Straße",
    "Søren Łukasz",
    "U.S. Treasury",
    "Ministry of Foreign Affairs (Albania)",
    "e\u0301lysée",
    "Kosovo\u00a0Police",
    "O\u02bcNeill",
    "\ufb01nance ministry",
    "AT&T",
    "Edi_Rama",
]

# (registered name, how a text or a query writes it, whether both find it)
WRITINGS = [
    ("Tiranë", "Tiranë", True),
    ("Tiranë", "TIRANE", True),
    ("Tiranë", "tirane", True),
    ("Tiranë", "Tirana", False),
    ("Tirana", "Tiranë", False),
    ("Iran's Ministry of Intelligence", "Iran\u2019s Ministry of Intelligence", True),
    ("Iran's Ministry of Intelligence", "IRAN'S MINISTRY OF INTELLIGENCE", True),
    ("Iran's Ministry of Intelligence", "Irans Ministry of Intelligence", False),
    ("Al-Qaeda", "Al Qaeda", True),
    ("Al-Qaeda", "al\u2013qaeda", True),
    ("Al-Qaeda", "Alqaeda", False),
    ("U.S. Treasury", "U.S Treasury", True),
    ("U.S. Treasury", "u s treasury", True),
    ("Søren Kierkegaard", "Soren Kierkegaard", True),
    ("Straße", "Strasse", True),
    ("Élysée", "elysee", True),
    ("O\u2019Neill", "O'Neill", True),
]


@pytest.mark.parametrize(("name", "written", "found"), WRITINGS)
def test_mentions_and_search_find_the_same_names(db, name, written, found):
    actor = ActorFactory(name=name)
    in_text = [m.actor_id for m in mention_index().find(f"Yesterday {written} said so.")]
    by_search = [a.pk for a in actor_search(written)]

    assert (actor.pk in in_text) is found
    # Search matches word prefixes, so it also finds what the text names whole.
    assert (actor.pk in by_search) is found


@pytest.mark.parametrize(("name", "written", "found"), WRITINGS)
def test_an_alias_is_found_alike_by_mentions_and_search(db, name, written, found):
    actor = ActorFactory(name="Somebody else entirely", aliases=[name])

    assert (actor.pk in [m.actor_id for m in mention_index().find(written)]) is found
    assert (actor.pk in [a.pk for a in actor_search(written)]) is found


@pytest.mark.parametrize("name", NAMES)
def test_stored_folded_forms_are_the_mention_keys(db, name):
    actor = ActorFactory(name=name, aliases=[name + " II"])

    assert actor.folded == fold(name) == match_key(name)
    assert actor.aliases.get().folded == match_key(name + " II")


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Tiranë ", "tirane"),
        ("Iran\u2019s Ministry", "iran's ministry"),
        ("Al-Qaeda", "al qaeda"),
        ("U.S.", "u s"),
        ("Ministry of Foreign Affairs (Albania)", "ministry of foreign affairs albania"),
        ("Søren Łukasz", "soren lukasz"),
        ("a\u00adb", "ab"),
    ],
)
def test_fold(name, folded):
    assert fold(name) == folded


def test_the_refolding_migration_folds_as_the_code_does():
    migration = importlib.import_module("annotations.migrations.0008_refold_actor_names")

    assert [migration.fold(name) for name in NAMES] == [fold(name) for name in NAMES]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_pickers_fold_as_the_server_does(tmp_path):
    script = tmp_path / "fold.mjs"
    script.write_text(
        "const { fold } = await import(process.argv[2]);\n"
        "console.log(JSON.stringify(JSON.parse(process.argv[3]).map(fold)));\n"
    )
    result = subprocess.run(
        ["node", str(script), PICKERS.as_uri(), json.dumps(NAMES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )

    assert json.loads(result.stdout) == [fold(name) for name in NAMES]
