"""Anchoring claims to article text, and re-anchoring them when the text changes.

A claim points at a passage of one article revision, kept the way the W3C Web Annotation
model does, twice over: a TextPositionSelector (``start``/``end``, code points) that is
cheap while the text is unchanged, and a TextQuoteSelector (``exact`` with its ``prefix``
and ``suffix``) that still finds the passage after the text has been edited.

- :mod:`.selection`: a browser selection to an :class:`~.selection.Anchor` (UTF-16
  offsets to code points, the stored context), exact search, and the shortest quote
  selector that singles a passage out (for exports).
- :mod:`.approximate`: approximate search: the edit budget, all closest passages, and the
  best-scoring passage for a quote selector.
- :mod:`.reanchor`: an article's anchors carried onto its new text, with the four states
  ``anchored``, ``moved``, ``fuzzy`` and ``orphaned``.

Import names from the module that holds them. Nothing here imports Django's ORM, so it is
all tested without a database.
"""
