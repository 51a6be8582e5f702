"""Admin classes whose writes go through services, so the staff UI validates, normalises and
audits exactly as the API and the commands do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from .actors import Actor
from .errors import DomainError

M = TypeVar("M", bound=models.Model)


def add_domain_errors(form: forms.BaseForm, exc: DomainError) -> None:
    for error in exc.errors or []:
        form.add_error(error.field if error.field in form.fields else None, str(error.message))
    if not exc.errors:
        form.add_error(None, str(exc.message))


class ServiceAdmin(admin.ModelAdmin[M], Generic[M]):
    """Subclasses implement ``validate``, ``create``, ``update`` and ``remove`` with services."""

    # A web address typed without a scheme is read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def validate(self, obj: M | None, values: Mapping[str, Any]) -> None:
        """Raise DomainError for values the service would refuse."""

    def create(self, *, actor: Actor, values: dict[str, Any]) -> M:
        raise NotImplementedError

    def update(self, *, actor: Actor, obj: M, changes: dict[str, Any]) -> M:
        raise NotImplementedError

    def remove(self, *, actor: Actor, obj: M) -> None:
        raise NotImplementedError

    def get_form(
        self, request: HttpRequest, obj: M | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[M]]:
        form_class = super().get_form(request, obj, change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned: dict[str, Any] = super().clean()
                if not self.errors:
                    try:
                        model_admin.validate(obj, model_admin.form_values(self, change=change))
                    except DomainError as exc:
                        add_domain_errors(self, exc)
                return cleaned

        return ServiceForm

    def form_values(self, form: forms.ModelForm[M], *, change: bool) -> dict[str, Any]:
        names = form.changed_data if change else list(form.cleaned_data)
        return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}

    def save_model(
        self, request: HttpRequest, obj: M, form: forms.ModelForm[M], change: bool
    ) -> None:
        actor = Actor.from_request(request)
        values = self.form_values(form, change=change)
        if change:
            # The ModelForm has already copied the new values onto ``obj``; the service must
            # compare them with what is stored, so it gets the stored row.
            stored = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.update(actor=actor, obj=stored, changes=values)
        else:
            saved = self.create(actor=actor, values=values)
        obj.__dict__.update(saved.__dict__)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm[M], formsets: Any, change: bool
    ) -> None:
        # Many-to-many fields were set by the service; inlines are read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        self.remove(actor=Actor.from_request(request), obj=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        actor = Actor.from_request(request)
        for obj in queryset:
            try:
                self.remove(actor=actor, obj=obj)
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """Related records shown on a parent's page; they are changed on their own pages."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
