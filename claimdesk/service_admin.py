"""The Django admin as one more door to the services.

An admin edit must behave like the same edit on a page or through the API: same version,
same audit event, same normalisation, same refusals. So `ServiceAdmin` never saves its
forms: `save_service` calls the service with the form's cleaned input (inlines included)
once, and the admin only checks the input's shape beforehand.

A `DomainError` from the service leaves the transaction the admin wraps around its change
view, so nothing of the request is kept; the form is then shown again with the service's
errors on the fields they name, as the pages show them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import construct_change_message
from django.db import models

from claimdesk.errors import DomainError
from claimdesk.forms import add_domain_error

REFUSAL = "_service_refusal"


class ServiceModelForm(forms.ModelForm):
    """Checks the shape of the input only: the service normalises, then validates the
    model itself. Validating the raw input against the model first would refuse what the
    service accepts (a lower-case Wikidata id, an address with tracking parameters)."""

    def _post_clean(self):
        pass


class ServiceAdmin(admin.ModelAdmin):
    form = ServiceModelForm
    # A filtered list counts its own rows only: the count of the whole table beside it
    # read every claim (or event) again on each page of a large desk.
    show_full_result_count = False

    def save_service(self, request, form, formsets, change: bool) -> models.Model:
        """Call the service with the form's input; return what it saved."""
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            # Everything the request wrote is rolled back: show the same input again,
            # refused with the service's words.
            setattr(request, REFUSAL, exc)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, REFUSAL, None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                # On the field the error names; an error of a field the form lacks (the
                # version, the links) goes at the top of the form.
                add_domain_error(self, refusal)
                return cleaned

        return RefusedForm

    def save_model(self, request, obj, form, change):
        """Nothing yet: the service saves the object with its inlines in `save_related`."""

    def save_related(self, request, form, formsets, change):
        saved = self.save_service(request, form, formsets, change)
        # The admin goes on with the form's instance (log entry, message, redirect).
        form.instance.pk = saved.pk
        form.instance.refresh_from_db()

    def construct_change_message(self, request, form, formsets, add=False):
        """The formsets were never saved themselves: name those that changed."""
        message = construct_change_message(form, [], add)
        changed = [str(f.model._meta.verbose_name_plural) for f in formsets if f.has_changed()]
        if changed and not add:
            message.append({"changed": {"fields": changed}})
        return message


def kept_rows(formset) -> list[dict] | None:
    """The cleaned rows an inline formset keeps (deleted and blank extra rows left out),
    or None when the formset is not there (the user may not see it)."""
    if formset is None:
        return None
    deleted = formset.deleted_forms
    return [row.cleaned_data for row in formset.forms if row.cleaned_data and row not in deleted]


def formset_for(formsets, model) -> forms.BaseFormSet | None:
    return next((formset for formset in formsets if formset.model is model), None)


class PartInline(admin.TabularInline):
    """Rows that are part of their parent (a claim's links, an actor's aliases). The
    parent's service saves them, so whoever may change the parent changes them."""

    extra = 0

    def _parent_admin(self) -> admin.ModelAdmin:
        return self.admin_site.get_model_admin(self.parent_model)

    def _may_change_parent(self, request, obj) -> bool:
        parent = self._parent_admin()
        if obj is None:
            return parent.has_add_permission(request)
        return parent.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_change_parent(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change_parent(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change_parent(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)


class ViewOnlyAdmin(admin.ModelAdmin):
    """Records that only a service writes, or none: the admin shows them."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
