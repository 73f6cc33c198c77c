"""A large export streams: the answer is produced piece by piece, and the memory it
takes stays far below the size of the whole answer."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.exports.records import CHUNK_SIZE
from annotations.models import Claim
from tests.annotations.exports.builders import bulk_approved, clone_claims

pytestmark = pytest.mark.django_db

CLAIMS = 20_000


def approved_claims(desk, researcher, reviewer, count: int) -> None:
    [template] = bulk_approved(
        1,
        article=desk.article,
        author=researcher,
        reviewer=reviewer,
        claimant=desk.rama,
        actors=[(desk.iran, "accused"), (desk.albania, "target")],
        sources=[(desk.outlet, "paragraph 1"), (desk.report, "")],
    )
    clone_claims(Claim.objects.get(pk=template), count - 1)


def test_export_of_twenty_thousand_claims_streams_in_bounded_memory(
    desk, as_user, reader, researcher, reviewer
):
    approved_claims(desk, researcher, reviewer, CLAIMS)
    client = as_user(reader)
    # Warm up: the first request imports code, which would count as memory in use.
    b"".join(client.get(reverse("v1:export-claims") + "?format=jsonl&q=none").streaming_content)
    gc.collect()
    tracemalloc.start()
    try:
        response = client.get(reverse("v1:export-claims") + "?format=jsonl")
        assert isinstance(response, StreamingHttpResponse)
        total = pieces = lines = 0
        for piece in response.streaming_content:
            total += len(piece)
            lines += piece.count(b"\n")
            pieces += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == CLAIMS + 2  # and the desk's two approved claims
    assert pieces == lines  # one piece a claim: nothing waits for the end
    # Building the answer at once would hold all of it, and more; streaming holds one
    # chunk of claims at a time.
    assert total > 30_000_000
    assert peak < total / 8, f"peak {peak:,} bytes for an answer of {total:,} bytes"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "webannotation", "claimreview"])
def test_first_bytes_leave_after_reading_one_chunk(
    desk, as_user, reader, researcher, reviewer, fmt
):
    approved_claims(desk, researcher, reviewer, 3 * CHUNK_SIZE)
    client = as_user(reader)
    response = client.get(reverse("v1:export-claims") + f"?format={fmt}")
    pieces = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as first:
        next(pieces)
        next(pieces)
    with CaptureQueriesContext(connection) as rest:
        for _ in pieces:
            pass
    # The claims, and the actors, sources, reviews and relations of the first chunk only (a
    # ClaimReview also reads the desks' publishing settings once, and the chunk's
    # publications and first appearances: `publishing.exporting`)...
    assert len(first) <= (5 + 4 if fmt == "claimreview" else 5)
    # ...the next chunks' links come as the stream goes on.
    assert len(rest) >= 3
