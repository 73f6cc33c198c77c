"""The passage in context, as the review queue and the claim page's excerpt both cut it."""

import pytest

from annotations.passages import ContextWindow, context_window

TEXT = (
    "First paragraph here.\n\nTehran rejected the accusation as baseless, officials said.\n\nLast."
)


def test_the_window_stays_within_the_passages_paragraph():
    start = TEXT.index("rejected")
    window = context_window(TEXT, start, start + len("rejected"), chars=500)
    assert TEXT[window.start : window.end] == (
        "Tehran rejected the accusation as baseless, officials said."
    )
    assert window == ContextWindow(window.start, window.end, False, False)


@pytest.mark.parametrize("chars", [3, 9, 12])
def test_a_clipped_window_cuts_at_spaces_not_inside_words(chars):
    start = TEXT.index("accusation")
    end = start + len("accusation")
    window = context_window(TEXT, start, end, chars=chars)
    assert window.clipped_before and window.clipped_after
    assert TEXT[window.start - 1] == " " or window.start == start - chars
    assert TEXT[window.end] == " " or window.end == end + chars
    assert window.start <= start and window.end >= end


def test_review_queue_and_excerpt_cut_the_same_window(submitted_claim):
    from annotations.reader_html import excerpt_html
    from annotations.views.reviews import passage_in_context

    passage = passage_in_context(submitted_claim, chars=20)
    html = excerpt_html(submitted_claim, context=20)
    assert passage.from_text
    assert passage.before in html and passage.after in html
    assert html.count("ellipsis") == passage.clipped_before + passage.clipped_after
