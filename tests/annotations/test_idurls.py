"""`IdUrl` gives what `reverse` gives, for any id."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, path, register_converter, reverse

from annotations.idurls import IdUrl


class PaddedId:
    """Writes an id with leading zeros: the id is then not simply part of the path."""

    regex = "[0-9]{8,}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:08d}"


register_converter(PaddedId, "padded")


def _view(request, pk):  # pragma: no cover - only reversed, never called
    raise AssertionError


urlpatterns = [path("cards/<padded:pk>/", _view, name="padded_card")]

IDS = [1, 7, 42, 918273645, 2**40, 2**63 - 1]


@pytest.mark.parametrize("name", ["claim_detail", "claim_edit", "article_reader"])
def test_every_id_gets_the_reversed_url(name):
    url = IdUrl(name)
    assert url.head is not None  # the id is simply part of these paths
    for object_id in IDS:
        assert url(object_id) == reverse(name, args=[object_id])


@override_settings(ROOT_URLCONF=__name__)
def test_an_id_written_otherwise_falls_back_to_reverse():
    url = IdUrl("padded_card")
    assert url.head is None
    assert url(42) == "/cards/00000042/" == reverse("padded_card", args=[42])
    assert url(123456789) == "/cards/123456789/"


def test_an_unknown_name_is_refused_at_once():
    with pytest.raises(NoReverseMatch):
        IdUrl("no_such_page")
