from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin

from .export import export_audit_log
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin[AuditEntry]):
    """Read-only for everyone: nobody, the privacy officer included, edits the audit log."""

    list_display = (
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "subject_id",
        "ip_address",
    )
    list_filter = ("action", "object_type", ("at", admin.DateFieldListFilter))
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
