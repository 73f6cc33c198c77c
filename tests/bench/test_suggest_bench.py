"""The suggestion benchmark measures real work: its generated article announces
attributions the engine finds, naming actors of its generated registry."""

import random

from annotations.suggesting import suggest
from bench import suggest_bench
from bench.generate import write_text


def test_the_generated_article_gives_suggestions_resolved_to_the_registry():
    index, kinds, names = suggest_bench.registry(200)
    text, _ = write_text(random.Random(2), names, 6_000)
    found = suggest(text[:6_000], index, kinds)
    assert len(found) >= 20
    resolved = [s for s in found if s.claimant_id is not None]
    assert len(resolved) >= len(found) // 2
    assert all(kinds[s.claimant_id] for s in resolved)


def test_the_p50_is_measured_on_the_article_it_names():
    seconds, count = suggest_bench.article_p50(actors=200, chars=2_000, runs=3)
    assert seconds > 0 and count > 0
