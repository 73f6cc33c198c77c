"""Time `MentionIndex.build` and `MentionIndex.find` on a generated registry and text.

    .venv/bin/python bench/mentions_bench.py [--actors 5000] [--chars 100000] [--runs 7]

Prints median, min and max seconds over the runs for building the index, for finding
mentions, and for both together.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.mentions import MentionIndex

SYLLABLES = ["ka", "ro", "mi", "tu", "ne", "so", "va", "li", "be", "dé", "zo", "pu", "gë", "ha"]
# Includes words that contain names, and an apostrophe, as news text does.
FILLER = ["the", "said", "and", "of", "in", "was", "that", "for", "on", "with", "by", "it"]
FILLER += ["Iranian", "officials\u2019", "state", "Kamiro's", "Tuneso-led"]


def registry(rng: random.Random, actors: int, names: int) -> list[tuple[int, str]]:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    return [
        (actor_id, " ".join(word() for _ in range(rng.randint(1, 3))))
        for actor_id in range(actors)
        for _ in range(names)
    ]


def text(rng: random.Random, entries: list[tuple[int, str]], chars: int) -> str:
    parts, length = [], 0
    while length < chars:
        word = rng.choice(entries)[1] if rng.random() < 0.2 else rng.choice(FILLER)
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:chars]


def summary(label: str, times: list[float]) -> str:
    return (
        f"{label:<7} median {statistics.median(times):.4f} s"
        f"   min {min(times):.4f} s   max {max(times):.4f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=5_000)
    parser.add_argument("--names", type=int, default=3, help="names and aliases per actor")
    parser.add_argument("--chars", type=int, default=100_000, help="length of the text")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    entries = registry(rng, args.actors, args.names)
    sample = text(rng, entries, args.chars)

    builds, finds = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        index = MentionIndex.build(entries)
        built = time.perf_counter()
        mentions = index.find(sample)
        builds.append(built - started)
        finds.append(time.perf_counter() - built)

    print(
        f"{args.actors} actors x {args.names} names ({len(index)} distinct), "
        f"{len(sample)} characters, {len(mentions)} mentions, {args.runs} runs"
    )
    print(summary("build", builds))
    print(summary("find", finds))
    print(summary("total", [b + f for b, f in zip(builds, finds, strict=True)]))


if __name__ == "__main__":
    main()
