"""Who hears of a new article text, after it is committed.

`articles` knows texts only; apps built on it (the suggestions) want to act when a text
arrives or changes. They register a listener once at start-up (`listen`, from their
`AppConfig.ready`), and the services that write a text call `new_text` inside their
transaction: each listener then runs with the article's id after the commit, never for a
text that was rolled back, and a failing listener is logged without undoing the text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.db import transaction

_listeners: list[Callable[[int], None]] = []


def listen(listener: Callable[[int], None]) -> None:
    """Call `listener(article_id)` after each committed new text (once per listener)."""
    if listener not in _listeners:
        _listeners.append(listener)


def new_text(article_id: int) -> None:
    """The article's text was just created or changed in the current transaction."""
    for listener in _listeners:
        transaction.on_commit(partial(listener, article_id), robust=True)
