"""What a person types into a search box, read the way web search engines read it.

PostgreSQL reads it itself (`websearch_to_tsquery`). SQLite's FTS5 has a query language
of its own in which a stray quote, a bracket or a bare `NOT` is a syntax error; this module
turns the same input into an FTS5 query that is always valid, so both databases accept the
same words: plain words (all of them must occur), `"a phrase"`, `or` between two
alternatives, and `-word` for a word that must not occur. Pure: no ORM, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest query read: a search box is for words, not documents, and the query's cost
# grows with its terms.
MAX_QUERY = 300
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDISH = re.compile(r"\w")


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False
    phrase: bool = False


def terms(query: str) -> list[Term | str]:
    """The query as terms and the word "OR" between alternatives."""
    found: list[Term | str] = []
    for match in _TOKEN.finditer(query[:MAX_QUERY]):
        sign, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                found.append("OR")
                continue
            negated = word.startswith("-") and len(word) > 1
            text = word[1:] if negated else word
            found.append(Term(text.replace('"', " "), negated=negated))
        else:
            found.append(Term(phrase, negated=bool(sign), phrase=True))
    return [item for item in found if item == "OR" or _WORDISH.search(item.text)]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', " ") + '"'


def fts5_query(query: str) -> str:
    """An FTS5 query for `query`, or "" when it holds no word to look for.

    Every term is quoted (FTS5 then reads punctuation in it as a separator, not as
    syntax); alternatives are grouped with OR; negated terms follow as `NOT`, which FTS5
    only accepts after something positive, so a query of negations alone finds nothing.
    """
    groups: list[list[str]] = [[]]
    negated: list[str] = []
    pending_or = False
    for item in terms(query):
        if item == "OR":
            pending_or = bool(groups[-1])
            continue
        if item.negated:
            negated.append(_quoted(item.text))
            continue
        if pending_or and groups[-1]:
            # "a b or c": b or c, both beside a.
            previous = groups[-1].pop()
            groups[-1].append(f"({previous} OR {_quoted(item.text)})")
        else:
            groups[-1].append(_quoted(item.text))
        pending_or = False
    positive = " AND ".join(term for group in groups for term in group)
    if not positive:
        return ""
    if negated:
        return f"({positive}) NOT ({' OR '.join(negated)})"
    return positive


def any_of(query: str, phrases: list[str]) -> str:
    """An FTS5 query for `query` or any of `phrases` (alias expansion)."""
    parts = [f"({query})"] if query else []
    parts += [_quoted(phrase) for phrase in phrases if _WORDISH.search(phrase)]
    return " OR ".join(parts)
