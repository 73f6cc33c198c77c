"""A desk's publishing settings: checked when edited, the site's defaults without them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from publishing.desks import SITE_SCALE, desk_settings
from publishing.models import DeskPublishing
from tests.factories import main_desk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rating_labels": ["False", "True"]}, "rating_labels"),
        ({"rating_labels": ["a", "b", "c", "d", " "]}, "rating_labels"),
        ({"url_template": "https://desk.example/checks/"}, "url_template"),
        ({"url_template": "/checks/{id}"}, "url_template"),
        ({"publisher_url": "javascript:alert(1)"}, "publisher_url"),
    ],
)
def test_bad_settings_are_refused(fields, field):
    with pytest.raises(ValidationError) as caught:
        DeskPublishing(project=main_desk(), **fields).full_clean()
    assert field in caught.value.message_dict


def test_without_settings_a_desk_has_the_sites(settings):
    settings.CLAIMREVIEW_PUBLISHER = {"name": "", "url": ""}
    desk = desk_settings(main_desk().pk)
    assert desk.scale == SITE_SCALE
    assert desk.publisher_name == "Claimdesk"
    assert desk.review_url(claim_id=7, slug="main", public_url="/fact-checks/7/") == (
        "/fact-checks/7/"
    )
    assert desk.label(2, "Unproven") == "Mostly false"
    assert desk.label(None, "Unproven") == "Unproven"
