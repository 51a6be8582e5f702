"""The Art. 30(2) record in the staff UI, through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyInline, ServiceAdmin
from personvern.core.errors import DomainError

from . import services
from .export import export_client_record
from .models import ClientAgreement, ClientController


class AgreementInline(ReadOnlyInline):
    model = ClientAgreement
    fields = ("template", "signed_on", "review_due")
    readonly_fields = fields


@admin.register(ClientController)
class ClientControllerAdmin(ServiceAdmin[ClientController]):
    list_display = ("name", "organisation_number", "contact_email")
    search_fields = ("name", "organisation_number")
    filter_horizontal = ("data_categories", "sub_processors")
    inlines = [AgreementInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def create(self, *, actor: Actor, values: dict[str, Any]) -> ClientController:
        categories = values.pop("data_categories", [])
        sub_processors = values.pop("sub_processors", [])
        return services.create_client(actor=actor, values=values, data_categories=categories,
                                      sub_processors=sub_processors)  # fmt: skip

    def update(
        self, *, actor: Actor, obj: ClientController, changes: dict[str, Any]
    ) -> ClientController:
        return services.update_client(actor=actor, client=obj, changes=changes)

    def get_urls(self) -> list[URLPattern]:
        custom = [path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view),
                       name="clients_record_export")]  # fmt: skip
        return custom + super().get_urls()

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if not request.user.has_perm("clients.export_clientrecord"):
            raise PermissionDenied
        try:
            exported = export_client_record(actor=Actor.from_request(request), fmt=fmt)
        except DomainError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain")
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response


@admin.register(ClientAgreement)
class ClientAgreementAdmin(ServiceAdmin[ClientAgreement]):
    list_display = ("client", "template", "signed_on", "review_due")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def create(self, *, actor: Actor, values: dict[str, Any]) -> ClientAgreement:
        return services.record_client_agreement(actor=actor, **values)
