"""`manage.py evaluate_suggestions`: predictions written as brat, figures as the corpora's
scorer computes them, clear errors for bad folders and files."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations import brat

REPO = Path(__file__).resolve().parents[3]
# The shared corpora beside the repository; CLAIMDESK_CORPORA names another place.
CORPORA = Path(os.environ.get("CLAIMDESK_CORPORA", REPO.parent / "shared" / "corpora"))
DEV = CORPORA / "polnear-dev"
SCORER = CORPORA / "score_attributions.py"

# What the engine reaches on the dev split (attribution P/R/F1 87.5 / 56.8 / 68.9, content
# match F1 76.3 when written): the floors keep it from slipping.
FLOORS = {"attribution_f1": 0.68, "attribution_precision": 0.87, "content_match_f1": 0.76}

# Our own small gold: one attribution the engine finds, one it cannot (no cue).
GOLD_TEXT = "Rama said that the attack came from abroad. The servers are back."


def at(text, words):
    start = text.index(words)
    return ((start, start + len(words)),)


def write_gold(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "one.txt").write_text(GOLD_TEXT, encoding="utf-8")
    attributions = [
        brat.Attribution(
            content=at(GOLD_TEXT, "the attack came from abroad"),
            cue=at(GOLD_TEXT, "said"),
            source=at(GOLD_TEXT, "Rama"),
        ),
        brat.Attribution(content=at(GOLD_TEXT, "The servers are back")),
    ]
    (folder / "one.ann").write_text(brat.dumps(attributions, GOLD_TEXT), encoding="utf-8")


def run(*args) -> str:
    out = StringIO()
    call_command("evaluate_suggestions", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_predictions_are_written_and_scored(tmp_path):
    write_gold(tmp_path / "gold")
    figures = json.loads(run(tmp_path / "gold", "--out", tmp_path / "pred", "--json"))
    assert figures["articles"] == 1 and figures["gold_attributions"] == 2
    assert figures["predicted_attributions"] == 1
    assert figures["metrics"]["attribution"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3}
    )
    (predicted,) = brat.parse(
        (tmp_path / "pred" / "one.ann").read_text(encoding="utf-8"), text=GOLD_TEXT
    ).attributions()
    assert predicted.source == at(GOLD_TEXT, "Rama")
    assert ("Certainty", "asserted") in predicted.attributes


def test_the_table_names_every_row(tmp_path):
    write_gold(tmp_path / "gold")
    table = run(tmp_path / "gold")
    assert "attribution" in table and "content match" in table
    assert "100.0    50.0    66.7" in table


def test_a_missing_or_empty_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        run(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "lonely.txt").write_text("no annotations", encoding="utf-8")
    with pytest.raises(CommandError, match="no annotated articles"):
        run(tmp_path / "empty")


def test_a_bad_gold_file_names_file_and_line(tmp_path):
    write_gold(tmp_path / "gold")
    (tmp_path / "gold" / "one.ann").write_text(
        "T1\tSource 0 4\tRama\nE1\tAttribution:T9 Source:T1\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"one\.ann, line 2: .*T9 names no span"):
        run(tmp_path / "gold")


def test_out_must_be_a_folder(tmp_path):
    write_gold(tmp_path / "gold")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="not a folder"):
        run(tmp_path / "gold", "--out", tmp_path / "file")


def test_a_command_line_error_exits_non_zero(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "evaluate_suggestions", str(tmp_path / "nowhere")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "x"},
    )
    assert done.returncode != 0
    assert "no such folder" in done.stderr


@pytest.mark.skipif(not DEV.is_dir() or not SCORER.is_file(), reason="no shared corpora")
def test_agrees_with_the_shared_scorer_on_the_dev_split_and_holds_its_floors(tmp_path):
    ours = json.loads(run(DEV, "--out", tmp_path, "--json"))
    done = subprocess.run(
        [sys.executable, str(SCORER), str(DEV), str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(done.stdout)
    assert ours["articles"] == theirs["articles"] == 84
    assert ours["gold_attributions"] == theirs["gold_attributions"]
    assert ours["predicted_attributions"] == theirs["predicted_attributions"]
    assert ours["counts"] == theirs["counts"]
    for row, figures in theirs["metrics"].items():
        assert ours["metrics"][row] == pytest.approx(figures), row
    attribution = ours["metrics"]["attribution"]
    assert attribution["f1"] >= FLOORS["attribution_f1"]
    assert attribution["precision"] >= FLOORS["attribution_precision"]
    assert ours["metrics"]["content_match"]["f1"] >= FLOORS["content_match_f1"]
