"""Score predicted attributions against annotated gold (brat standoff folders).

The definitions are those of the attribution scorer that comes with the shared corpora,
written again here so the project depends on nothing outside it (a test checks that the
two agree on the same folders):

- A text's **tokens** are runs of word characters or single other visible characters; a
  span's tokens are those with a character inside one of its fragments.
- Every attribution becomes token sets for its cue, source and content (an attribution
  whose content covers no token is dropped).
- **content match**: a prediction shares a content token with a gold attribution;
  **attribution**: it shares a content token and a source token (or both have no
  source). Precision is the share of predictions matching some gold attribution, recall
  the share of gold attributions some prediction matches.
- The exact rows follow Citron's counting (true positives over predictions, false
  negatives over gold); the overlap rows count shared tokens, each token once per
  article and role.

`evaluate` runs a predictor over a gold folder, writes its predictions as `.ann` files
and scores them. Pure module: no ORM, no settings.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotations import brat

TOKEN = re.compile(r"\w+|[^\w\s]")
ROLES = ("cue", "source", "content")

# (key, label, counting): "citron" tp/(tp+fp) over predictions, fn over gold; "sides"
# matched predictions / predictions and matched gold / gold; "units" shared tokens.
ROWS = [
    ("cue_exact", "cue exact", "citron"),
    ("cue_overlap", "cue overlap", "units"),
    ("source_exact", "source exact", "citron"),
    ("source_overlap", "source overlap", "units"),
    ("content_exact", "content exact", "citron"),
    ("content_exact_nocue", "content exact, cue-free", "citron"),
    ("content_overlap", "content overlap", "units"),
    ("quote_exact", "all spans exact", "citron"),
    ("quote_overlap", "all spans overlap", "units"),
    ("content_match", "content match", "sides"),
    ("attribution", "attribution", "sides"),
]
STYLES = {key: style for key, _, style in ROWS}


class Tokens:
    """Maps character fragments of one text to the set of token indices they touch."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        found = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def of(self, fragments: Iterable[tuple[int, int]]) -> frozenset[int]:
        out: set[int] = set()
        for a, b in fragments:
            a, b = max(0, a), min(self.length, b)
            if b <= a:
                continue
            out.update(range(bisect.bisect_right(self.ends, a), bisect.bisect_left(self.starts, b)))
        return frozenset(out)


@dataclass(frozen=True, slots=True)
class Scored:
    """One attribution as token sets."""

    cue: frozenset[int]
    source: frozenset[int]
    content: frozenset[int]


def as_scored(attributions: Iterable[brat.Attribution], tokens: Tokens) -> list[Scored]:
    scored = []
    for attribution in attributions:
        content = tokens.of(attribution.content)
        if content:
            scored.append(
                Scored(tokens.of(attribution.cue), tokens.of(attribution.source), content)
            )
    return scored


def _meets(a: frozenset[int], b: frozenset[int]) -> bool:
    return not a.isdisjoint(b)


def _source_meets(a: frozenset[int], b: frozenset[int]) -> bool:
    return (not a and not b) or _meets(a, b)


MATCHERS: dict[str, Callable[[Scored, Scored], bool]] = {
    "cue_exact": lambda p, g: bool(p.cue) and p.cue == g.cue,
    "source_exact": lambda p, g: _meets(p.cue, g.cue) and p.source == g.source,
    "content_exact": lambda p, g: _meets(p.cue, g.cue) and p.content == g.content,
    "content_exact_nocue": lambda p, g: p.content == g.content,
    "quote_exact": lambda p, g: (
        bool(p.cue) and p.cue == g.cue and p.source == g.source and p.content == g.content
    ),
    "content_match": lambda p, g: _meets(p.content, g.content),
    "attribution": lambda p, g: _meets(p.content, g.content) and _source_meets(p.source, g.source),
}


def new_counts() -> dict[str, dict[str, int]]:
    return {
        key: (
            {"shared": 0, "pred": 0, "gold": 0}
            if style == "units"
            else {"pred_matched": 0, "pred": 0, "gold_matched": 0, "gold": 0}
        )
        for key, _, style in ROWS
    }


def count_document(pred: Sequence[Scored], gold: Sequence[Scored], counts) -> None:
    """Add one article's predictions and gold to `counts`."""
    for key, matches in MATCHERS.items():
        c = counts[key]
        c["pred"] += len(pred)
        c["gold"] += len(gold)
        c["pred_matched"] += sum(1 for p in pred if any(matches(p, g) for g in gold))
        c["gold_matched"] += sum(1 for g in gold if any(matches(p, g) for p in pred))
    for role in ROLES:
        p_units = frozenset().union(*(getattr(q, role) for q in pred))
        g_units = frozenset().union(*(getattr(q, role) for q in gold))
        shared = len(p_units & g_units)
        for c in (counts[f"{role}_overlap"], counts["quote_overlap"]):
            c["shared"] += shared
            c["pred"] += len(p_units)
            c["gold"] += len(g_units)


def prf(style: str, c: dict[str, int]) -> tuple[float, float, float]:
    """Precision, recall and F1 (fractions) of one row's counts."""
    if style == "units":
        p = c["shared"] / c["pred"] if c["pred"] else 0.0
        r = c["shared"] / c["gold"] if c["gold"] else 0.0
    elif style == "citron":
        tp = c["pred_matched"]
        fp = c["pred"] - tp
        fn = c["gold"] - c["gold_matched"]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
    else:
        p = c["pred_matched"] / c["pred"] if c["pred"] else 0.0
        r = c["gold_matched"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class Evaluation:
    """Figures for a folder: per row precision, recall and F1 (fractions) and counts."""

    articles: int = 0
    gold_attributions: int = 0
    predicted_attributions: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=new_counts)
    missing_predictions: list[str] = field(default_factory=list)

    @property
    def metrics(self) -> dict[str, dict[str, float]]:
        out = {}
        for key, _, style in ROWS:
            p, r, f = prf(style, self.counts[key])
            out[key] = {"precision": p, "recall": r, "f1": f}
        return out

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "gold_attributions": self.gold_attributions,
            "predicted_attributions": self.predicted_attributions,
            "missing_predictions": self.missing_predictions,
            "metrics": self.metrics,
            "counts": self.counts,
        }

    def table(self) -> str:
        lines = [
            f"articles {self.articles}  gold attributions {self.gold_attributions}"
            f"  predicted {self.predicted_attributions}",
            "",
            f"{'metric':<26}{'P':>8}{'R':>8}{'F1':>8}",
        ]
        metrics = self.metrics
        for key, label, _ in ROWS:
            m = metrics[key]
            lines.append(
                f"{label:<26}{100 * m['precision']:>8.1f}{100 * m['recall']:>8.1f}"
                f"{100 * m['f1']:>8.1f}"
            )
        return "\n".join(lines)


def gold_documents(folder: Path) -> list[tuple[str, Path]]:
    """`(name, text path)` of every article with both `<name>.txt` and `<name>.ann`."""
    return [
        (txt.stem, txt) for txt in sorted(folder.glob("*.txt")) if txt.with_suffix(".ann").is_file()
    ]


def evaluate(
    gold_dir: Path,
    pred_dir: Path,
    predict: Callable[[str], list[brat.Attribution]] | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Score the `.ann` files of `pred_dir` against `gold_dir`; with `predict`, first
    write its predictions for each gold text there. Raises `brat.BratError` for a gold
    or prediction file that cannot be read."""
    result = Evaluation()
    for name, txt in gold_documents(gold_dir):
        text, gold_doc = brat.read_pair(txt)
        pred_path = pred_dir / f"{name}.ann"
        if predict is not None:
            pred_path.write_text(brat.dumps(predict(text), text), encoding="utf-8")
        tokens = Tokens(text)
        gold = as_scored(gold_doc.attributions(), tokens)
        if pred_path.is_file():
            predicted = brat.parse(
                pred_path.read_bytes().decode("utf-8"), text=text, filename=pred_path.name
            )
            pred = as_scored(predicted.attributions(), tokens)
        else:
            result.missing_predictions.append(name)
            pred = []
        count_document(pred, gold, result.counts)
        result.articles += 1
        result.gold_attributions += len(gold)
        result.predicted_attributions += len(pred)
        if progress is not None:
            progress(name)
    return result
