"""Time the suggestion engine and score it on the shared dev corpus.

    .venv/bin/python bench/suggest_bench.py [--actors 5000] [--chars 6000] [--runs 50]

Prints the p50 of `suggest` on one generated article against a generated registry, the
total time for the dev articles of `../shared/corpora/polnear-dev` in this process, and
the engine's attribution and content-match figures there (the corpus's own scorer's
definitions, `annotations.attribution_scoring`). `CLAIMDESK_CORPORA` names another place
for the corpora. `bench/run.py --only suggest` reports the same figures with targets.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from annotations import attribution_scoring  # noqa: E402
from annotations.mentions import MentionIndex  # noqa: E402
from annotations.suggesting import suggest  # noqa: E402
from annotations.suggesting.standoff import as_attributions  # noqa: E402
from bench import mentions_bench  # noqa: E402
from bench.generate import Registry, write_text  # noqa: E402

KINDS = ["person", "organisation", "state", "group", "other"]


def corpora() -> Path:
    return Path(os.environ.get("CLAIMDESK_CORPORA", REPO.parent / "shared" / "corpora"))


def registry(actors: int, seed: int = 1):
    """A generated registry: its index, each actor's kind, and an article of news
    sentences naming its actors."""
    rng = random.Random(seed)
    entries = mentions_bench.registry(rng, actors, 3)
    names: dict[int, list[str]] = {}
    for actor_id, name in entries:
        names.setdefault(actor_id, []).append(name)
    kinds = {actor_id: rng.choice(KINDS) for actor_id in names}
    return MentionIndex.build(entries), kinds, Registry(actor_ids=list(names), actor_names=names)


def article_p50(actors: int = 5_000, chars: int = 6_000, runs: int = 50) -> tuple[float, int]:
    """Median seconds of `suggest` on one article, and how many suggestions it gives."""
    index, kinds, names = registry(actors)
    text, _ = write_text(random.Random(2), names, chars)
    text = text[:chars]
    times = []
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        found = suggest(text, index, kinds)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(found)


def dev_articles() -> list[str]:
    folder = corpora() / "polnear-dev"
    return (
        [txt.read_bytes().decode("utf-8") for _, txt in attribution_scoring.gold_documents(folder)]
        if folder.is_dir()
        else []
    )


def dev_total(texts: list[str]) -> float:
    """Seconds to suggest on every dev article, one after the other, in this process."""
    started = time.perf_counter()
    for text in texts:
        suggest(text, None)
    return time.perf_counter() - started


def dev_quality() -> attribution_scoring.Evaluation | None:
    folder = corpora() / "polnear-dev"
    if not folder.is_dir():
        return None
    with tempfile.TemporaryDirectory(prefix="claimdesk-suggest-bench-") as out:
        return attribution_scoring.evaluate(
            folder, Path(out), lambda text: as_attributions(suggest(text, None))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--chars", type=int, default=6_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    p50, found = article_p50(args.actors, args.chars, args.runs)
    print(
        f"one article of {args.chars} characters, {args.actors} actors: p50 {p50 * 1000:.1f} ms"
        f" ({found} suggestions)"
    )
    texts = dev_articles()
    if not texts:
        print(f"no dev corpus at {corpora() / 'polnear-dev'}")
        return
    print(f"{len(texts)} dev articles: {dev_total(texts):.2f} s")
    result = dev_quality()
    print(result.table())


if __name__ == "__main__":
    main()
