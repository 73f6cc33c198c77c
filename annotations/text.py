"""The one text fold: how names, queries and texts are compared everywhere.

Actor search (the `folded` columns), likely duplicates, the importers and mention
detection (`annotations.mentions`) all fold with the rule below, and the pickers' script
(`static/claimdesk/pickers.js`, `fold`) writes the same rule, so a name that mention
detection finds in a text is a name search finds, and the other way round.

The rule, one character at a time:
- compatibility decomposition (NFKD: the ligature U+FB01 is "fi"), case folding ("ß" is
  "ss"), combining marks removed ("Tiranë" is "tirane");
- a few letters that Unicode does not decompose spelled in Latin ("ø" is "o", "ł" is "l",
  "æ" is "ae": `LETTERS`);
- every apostrophe-like character (U+2019, U+2018, U+02BC, ...) is "'", so "Iran\u2019s" and
  "Iran's" fold alike and the possessive stays one word;
- any other punctuation or symbol (dashes, dots, brackets, slashes; "_" aside) and every
  white space is a space, runs of spaces are one ("Al-Qaeda", "Al Qaeda" and "Al\\nQaeda"
  are all "al qaeda"; "U.S." is "u s");
- invisible format characters (soft hyphen, zero-width space, direction marks) are dropped.
A whole string is then stripped of surrounding spaces (`fold`); mention detection keeps
the per-character pieces (`fold_char`) to map matches back to original offsets.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = frozenset("'\u2019\u2018\u201b\u02bc\u2032\u0060\u00b4\uff07")
# Letters with no Unicode decomposition that English-language news spells in Latin.
LETTERS = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "\u0131": "i",  # dotless i
    "ŧ": "t",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
}
_SPACE_RUN = re.compile(" {2,}")


def _fold_piece(c: str) -> str:
    if c in APOSTROPHES:
        return "'"
    category = unicodedata.category(c)
    if category == "Cf":
        return ""
    if c.isspace() or (category[0] in "PS" and category != "Pc"):
        return " "
    return LETTERS.get(c, c)


def fold_char(ch: str) -> str | None:
    """The folded form of one character; None for a combining mark, which adds nothing
    and belongs to the character before it."""
    if unicodedata.combining(ch):
        return None
    if ch in APOSTROPHES:
        return "'"
    return "".join(
        _fold_piece(c)
        for c in unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
        if not unicodedata.combining(c)
    )


class _FoldTable(dict):
    """`fold_char` of each character seen so far ("" for a combining mark); it grows with
    the distinct characters seen, at most the size of Unicode."""

    def __missing__(self, ch: str) -> str:
        piece = self[ch] = fold_char(ch) or ""
        return piece


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """`text` folded by the rule above, without surrounding spaces: "Tiranë " -> "tirane",
    "Iran\u2019s Ministry" -> "iran's ministry", "Al-Qaeda" -> "al qaeda"."""
    return _SPACE_RUN.sub(" ", "".join(map(_FOLD.__getitem__, text))).strip(" ")
