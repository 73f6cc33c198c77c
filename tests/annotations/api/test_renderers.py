"""The API's JSON renderer writes what DRF's own renderer writes, only faster."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer as DrfJSONRenderer

from annotations.api.renderers import JSONRenderer

SAMPLES = [
    {"statement": "Tehran denies it", "ids": [1, 2, 3], "rating": None, "ok": True},
    {"exact": "Albania 🇦🇱 says\u2028the Iranian state\u2029did it", "n": 2**40},
    {"created": dt.datetime(2022, 9, 7, 12, 30, 1, 123456, tzinfo=dt.UTC)},
    {"published": dt.date(2022, 9, 7), "amount": Decimal("1.50")},
    {"detail": gettext_lazy("Not found."), "code": ErrorDetail("stale", code="stale_version")},
    {7: "a key that is a number"},
    [],
]


@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
def test_renders_the_same_json_as_drf(data):
    ours = JSONRenderer().render(data, "application/json")
    theirs = DrfJSONRenderer().render(data, "application/json")
    assert ours == theirs


def test_line_and_paragraph_separators_stay_escaped():
    body = JSONRenderer().render({"text": "one\u2028two\u2029three"}, "application/json")
    assert b"\\u2028" in body and b"\\u2029" in body
    assert "\u2028".encode() not in body


def test_indent_asked_for_by_the_client_is_honoured():
    body = JSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert body == b'{\n  "a": [\n    1\n  ]\n}'


def test_integers_beyond_64_bits_still_render():
    assert json.loads(JSONRenderer().render({"n": 2**70}, "application/json")) == {"n": 2**70}


def test_nothing_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""
