from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from personvern.core.actors import Actor
from personvern.core.admin import ServiceAdmin
from personvern.core.records import current_values

from . import services
from .models import Organisation, SupervisoryAuthority


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin[Organisation]):
    """The controller's profile: one per installation."""

    list_display = (
        "legal_name",
        "organisation_number",
        "responsible_role",
        "privacy_contact_email",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def validate(self, obj: Organisation | None, values: Mapping[str, Any]) -> None:
        base = current_values(obj, services.ORGANISATION_FIELDS) if obj else {}
        services.clean_organisation({**base, **values})

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Organisation:
        return services.save_organisation(actor=actor, values=values)

    def update(self, *, actor: Actor, obj: Organisation, changes: dict[str, Any]) -> Organisation:
        return services.save_organisation(actor=actor, values=changes, organisation=obj)


@admin.register(SupervisoryAuthority)
class SupervisoryAuthorityAdmin(ServiceAdmin[SupervisoryAuthority]):
    list_display = ("name", "country", "email", "phone")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def validate(self, obj: SupervisoryAuthority | None, values: Mapping[str, Any]) -> None:
        base = current_values(obj, services.AUTHORITY_FIELDS) if obj else {}
        services.clean_supervisory_authority({**base, **values})

    def create(self, *, actor: Actor, values: dict[str, Any]) -> SupervisoryAuthority:
        return services.save_supervisory_authority(actor=actor, values=values)

    def update(
        self, *, actor: Actor, obj: SupervisoryAuthority, changes: dict[str, Any]
    ) -> SupervisoryAuthority:
        return services.save_supervisory_authority(actor=actor, values=changes, authority=obj)
