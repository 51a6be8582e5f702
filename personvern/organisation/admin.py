from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest

from personvern.core.actors import Actor
from personvern.core.admin import ServiceAdmin

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
        if obj is None:
            services.clean_organisation(services.OrganisationValues(**values))
        else:
            services.clean_organisation(replace(services.OrganisationValues.of(obj), **values))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Organisation:
        return services.save_organisation(actor=actor, values=services.OrganisationValues(**values))

    def update(self, *, actor: Actor, obj: Organisation, changes: dict[str, Any]) -> Organisation:
        # The form's fields are the organisation's: the service refuses any other name.
        return services.update_organisation(
            actor=actor, organisation=obj, changes=cast(services.OrganisationChanges, changes)
        )


@admin.register(SupervisoryAuthority)
class SupervisoryAuthorityAdmin(ServiceAdmin[SupervisoryAuthority]):
    list_display = ("name", "country", "email", "phone")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def validate(self, obj: SupervisoryAuthority | None, values: Mapping[str, Any]) -> None:
        if obj is None:
            services.clean_supervisory_authority(services.AuthorityValues(**values))
        else:
            services.clean_supervisory_authority(
                replace(services.AuthorityValues.of(obj), **values)
            )

    def create(self, *, actor: Actor, values: dict[str, Any]) -> SupervisoryAuthority:
        return services.save_supervisory_authority(
            actor=actor, values=services.AuthorityValues(**values)
        )

    def update(
        self, *, actor: Actor, obj: SupervisoryAuthority, changes: dict[str, Any]
    ) -> SupervisoryAuthority:
        # The form's fields are the authority's: the service refuses any other name.
        return services.update_supervisory_authority(
            actor=actor, authority=obj, changes=cast(services.AuthorityChanges, changes)
        )
