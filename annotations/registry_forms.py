"""Forms of the actor and source pages. They check the shape of the input only; the
services keep the rules, and `claimdesk.forms.add_domain_error` shows what they refuse
next to the field it concerns."""

from __future__ import annotations

from django import forms

from annotations.models import Actor, ActorKind
from annotations.selectors.actors import resolve_actor
from articles.models import SourceKind
from claimdesk import limits


class ActorReferenceField(forms.CharField):
    """An actor given by id, Wikidata id, name or alias; cleans to an Actor (or None)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return resolve_actor(value)
        except (Actor.DoesNotExist, Actor.MultipleObjectsReturned) as exc:
            raise forms.ValidationError(str(exc), code="actor") from None


class ActorForm(forms.Form):
    name = forms.CharField(max_length=limits.NAME)
    kind = forms.ChoiceField(choices=ActorKind.choices, initial=ActorKind.OTHER)
    aliases = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One alias a line: “Tehran”, “the Iranian state”.",
    )
    parent = ActorReferenceField(
        required=False,
        max_length=limits.NAME,
        help_text="The actor this one is part of: its name, an alias, or its id.",
    )
    wikidata_id = forms.CharField(
        required=False,
        max_length=limits.WIKIDATA_INPUT,
        label="Wikidata id",
        help_text="Q followed by digits.",
    )
    description = forms.CharField(
        required=False, max_length=limits.DESCRIPTION, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, actor: Actor) -> dict:
        return {
            "name": actor.name,
            "kind": actor.kind,
            "aliases": "\n".join(alias.name for alias in actor.aliases.all()),
            "parent": str(actor.parent_id or ""),
            "wikidata_id": actor.wikidata_id,
            "description": actor.description,
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        parent = data["parent"]
        return {
            "name": data["name"],
            "kind": data["kind"],
            "aliases": data["aliases"].splitlines(),
            "parent_id": parent.pk if parent is not None else None,
            "wikidata_id": data["wikidata_id"],
            "description": data["description"],
        }


class ActorMergeForm(forms.Form):
    into = ActorReferenceField(
        label="Merge into",
        max_length=limits.NAME,
        help_text="The actor that stays: its name, an alias, or its id.",
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SourceForm(forms.Form):
    name = forms.CharField(max_length=limits.NAME)
    kind = forms.ChoiceField(choices=SourceKind.choices, initial=SourceKind.OTHER)
    url = forms.CharField(
        required=False,
        max_length=1000,
        label="URL",
        widget=forms.URLInput,
        help_text="Stored without tracking parameters; one source per address.",
    )
    publisher = forms.CharField(required=False, max_length=limits.NAME)
    notes = forms.CharField(
        required=False, max_length=limits.DESCRIPTION, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_fields(self) -> dict:
        return {
            key: self.cleaned_data[key] for key in ("name", "kind", "url", "publisher", "notes")
        }
