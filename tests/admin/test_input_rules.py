"""The admin is one more door: a NUL in any text of an actor, its aliases included, is
refused on the form with the code every other door gives, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Actor, ActorAlias, ActorKind
from tests.admin.change_form import add_row, submitted_form

pytestmark = pytest.mark.django_db


def _codes(response) -> set[tuple[str | None, str]]:
    assert response.status_code == 200, response.status_code
    pairs = {
        (field, error.code)
        for field, errors in response.context["adminform"].form.errors.as_data().items()
        for error in errors
    }
    for formset in response.context["inline_admin_formsets"]:
        for form in formset.formset.forms:
            for field, errors in form.errors.as_data().items():
                pairs.update((field, error.code) for error in errors)
    return pairs


@pytest.mark.parametrize(
    ("field", "value", "alias"),
    [("name", "Ira\x00n", ""), ("description", "\x00", ""), ("name", "Iran", "Teh\x00ran")],
    ids=["name", "description", "alias"],
)
def test_the_admin_refuses_a_nul_in_an_actor(staff_editor, logged_in, field, value, alias):
    browser = logged_in(staff_editor)
    add = reverse("admin:annotations_actor_add")
    data = submitted_form(browser.get(add))
    data.update(name="Iran", kind=ActorKind.STATE)
    data[field] = value
    if alias:
        add_row(data, "aliases", name=alias)

    response = browser.post(add, data)

    expected = "name" if alias else field
    assert (expected, "null_characters_not_allowed") in _codes(response)
    assert not Actor.objects.exists() and not ActorAlias.objects.exists()
