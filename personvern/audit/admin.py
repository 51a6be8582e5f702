from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin

from .choices import AuditDomain, AuditEventType
from .export import export_audit_log
from .models import AuditEntry


class DomainFilter(admin.SimpleListFilter):
    """The part of the product an event belongs to (the first part of its type)."""

    title = _("domain")
    parameter_name = "domain"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(AuditDomain.choices)

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[AuditEntry]
    ) -> QuerySet[AuditEntry]:
        value = self.value()
        if value in AuditDomain.values:
            return queryset.filter(event_type__startswith=f"{value}.")
        return queryset


class EventTypeFilter(admin.SimpleListFilter):
    """The event types by name: those of the domain chosen (or of the type chosen), else all.
    Read from the enum, not the table: a DISTINCT over a large log on every page costs more
    than a long list."""

    title = _("event")
    parameter_name = "event_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        domain = request.GET.get(DomainFilter.parameter_name, "")
        if domain not in AuditDomain.values:
            domain = str(request.GET.get(self.parameter_name, "")).partition(".")[0]
        return [
            (event.value, event.label)
            for event in AuditEventType
            if domain not in AuditDomain.values or event.domain == domain
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[AuditEntry]
    ) -> QuerySet[AuditEntry]:
        value = self.value()
        return queryset.filter(event_type=value) if value else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin[AuditEntry]):
    """Read-only for everyone: nobody, the privacy officer included, edits the audit log."""

    list_display = (
        "at",
        "actor_label",
        "event_type",
        "object_type",
        "object_id",
        "subject_id",
        "ip_address",
    )
    list_filter = (
        DomainFilter,
        "event_type",
        "action",
        "object_type",
        ("at", admin.DateFieldListFilter),
    )
    search_fields = ("actor_label", "object_type", "object_id")
    date_hierarchy = "at"
    change_list_template = "admin/audit/auditentry/change_list.html"

    show_every_field = True

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="audit_auditentry_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("audit.export_auditentry"):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        content = export_audit_log(
            actor=Actor.from_request(request), entries=changelist.get_queryset(request)
        )
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        name = f"audit-log-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
