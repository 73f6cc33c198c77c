"""Word lists written as one string of words, the way a lexicon reads best."""


def wordset(words: str) -> frozenset[str]:
    """The white-space separated words of `words`."""
    return frozenset(words.split())
