"""Admin classes whose writes go through services, so the staff UI validates, normalises and
audits exactly as the API and the commands do.

A service that refuses a save or a delete (a :class:`DomainError`) is shown to the user beside
the field or as a message, never as a server error, and nothing is written. Django's own admin
log (``LogEntry``) is not written: it would keep ``str(obj)`` (a person's name) where erasure
cannot reach it; the audit log records every change instead, and the history page leads there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .actors import Actor
from .errors import DomainError

M = TypeVar("M", bound=models.Model)

# Set on a request whose save a service refused; the form shown again carries the errors.
_REFUSED = "_personvern_service_refused"


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
                refused: DomainError | None = getattr(request, _REFUSED, None)
                if refused is not None:
                    add_domain_errors(self, refused)
                elif not self.errors:
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

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A save the service refuses rolls back (Django runs the view in a transaction) and
        the same form is shown again with the service's errors, not a server error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            if getattr(request, _REFUSED, None) is not None:
                raise
            setattr(request, _REFUSED, exc)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        self.remove(actor=Actor.from_request(request), obj=obj)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """A delete the service refuses rolls back and returns to the object with the reason."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return HttpResponseRedirect(self._change_url(object_id))

    def _change_url(self, object_id: Any) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[object_id],
            current_app=self.admin_site.name,
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        actor = Actor.from_request(request)
        for obj in queryset:
            try:
                self.remove(actor=actor, obj=obj)
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)

    # Django's admin log is not written: ``LogEntry`` keeps ``str(obj)`` (for a person, the
    # name) in a table erasure and retention never reach, and shows it on the history page and
    # under "Recent actions" without an audit entry. The services' audit entries cover every
    # addition, change and deletion, with field names only.

    def log_addition(  # type: ignore[override]
        self, request: HttpRequest, obj: M, message: Any
    ) -> LogEntry | None:
        return None

    def log_change(  # type: ignore[override]
        self, request: HttpRequest, obj: M, message: Any
    ) -> LogEntry | None:
        return None

    def log_deletion(  # type: ignore[override]
        self, request: HttpRequest, obj: M, object_repr: str
    ) -> LogEntry | None:
        return None

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[M]) -> list[LogEntry]:
        return []

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The object's history is its audit entries: shown in the audit log to those who may
        read it, never from Django's admin log (which would show names without an audit)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.user.has_perm("audit.view_auditentry"):
            query = urlencode({"object_type": obj._meta.label_lower, "object_id": obj.pk})
            url = reverse("admin:audit_auditentry_changelist", current_app=self.admin_site.name)
            return HttpResponseRedirect(f"{url}?{query}")
        self.message_user(
            request,
            _("The history of changes is kept in the audit log, which your role cannot read."),
            messages.INFO,
        )
        return HttpResponseRedirect(self._change_url(obj.pk))


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    """Records only services and the system write (logs, ledgers, runs, published versions):
    staff read them here, nobody adds, changes or deletes them.

    ``show_every_field`` shows every field of the model on its page, including those Django
    leaves out as not editable (times set on save)."""

    show_every_field = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if self.show_every_field:
            return [field.name for field in self.model._meta.fields]
        return list(super().get_readonly_fields(request, obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """Related records shown on a parent's page; they are changed on their own pages."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
