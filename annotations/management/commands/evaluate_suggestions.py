"""`python manage.py evaluate_suggestions GOLD_DIR [--out PRED_DIR] [--json]`: how well
the suggestion engine finds the attributions of an annotated corpus.

GOLD_DIR holds `<name>.txt` with `<name>.ann` (brat standoff: Source, Cue and Content
spans tied by events). The engine runs on each text with an empty actor registry (a
corpus comes without one, so speakers are scored by their words), its suggestions are
written as `<name>.ann` into PRED_DIR (a temporary folder, removed afterwards, when none
is given), and the command prints precision, recall and F1 for each row of
`annotations.attribution_scoring` (attribution and content match are the ones that
matter). `--json` prints the figures as JSON instead.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations import attribution_scoring, brat
from annotations.suggesting import suggest
from annotations.suggesting.standoff import as_attributions


def predict(text: str) -> list[brat.Attribution]:
    return as_attributions(suggest(text, None))


class Command(BaseCommand):
    help = "Run the suggestion engine on an annotated brat folder and score it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("gold_dir", help="Folder of <name>.txt and <name>.ann files.")
        parser.add_argument(
            "--out", dest="pred_dir", help="Folder to write the predicted .ann files into."
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, gold_dir: str, pred_dir: str | None, json: bool, **options):
        gold = Path(gold_dir)
        if not gold.is_dir():
            raise CommandError(f"{gold_dir}: no such folder")
        if not attribution_scoring.gold_documents(gold):
            raise CommandError(
                f"{gold_dir}: no annotated articles (<name>.txt with <name>.ann) in this folder"
            )
        if pred_dir is None:
            with tempfile.TemporaryDirectory(prefix="claimdesk-suggestions-") as tmp:
                result = self._evaluate(gold, Path(tmp))
        else:
            out = Path(pred_dir)
            if out.exists() and not out.is_dir():
                raise CommandError(f"{pred_dir}: exists and is not a folder")
            out.mkdir(parents=True, exist_ok=True)
            result = self._evaluate(gold, out)
        if json:
            self.stdout.write(_json(result.as_dict()))
        else:
            self.stdout.write(result.table())

    def _evaluate(self, gold: Path, out: Path) -> attribution_scoring.Evaluation:
        try:
            return attribution_scoring.evaluate(gold, out, predict)
        except brat.BratError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"{exc.filename}: {exc.strerror}") from exc


def _json(data: dict) -> str:
    return json.dumps(data, indent=2)
