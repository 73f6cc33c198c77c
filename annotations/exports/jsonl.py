"""JSON Lines: one record (see `records`) per line, UTF-8, `\\n` line ends."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

CONTENT_TYPE = "application/jsonl; charset=utf-8"
EXTENSION = "jsonl"


def stream(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for record in records:
        yield orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
