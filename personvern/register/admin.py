from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import M, ReadOnlyInline, ServiceAdmin
from personvern.core.errors import DomainError
from personvern.pii.choices import FindingKind
from personvern.pii.selectors import findings_of

from . import services
from .models import Company, Interaction, JobApplication, JobApplicationDocument, Person


def may_edit(request: HttpRequest, person: Person) -> bool:
    """Whether the user may add to, change or delete this person's data: exactly what
    ``services.require_unrestricted`` lets through, so the staff UI shows a restricted
    person's records read-only instead of offering a save the service would refuse."""
    try:
        services.require_unrestricted(actor=Actor.from_request(request), person=person)
    except DomainError:
        return False
    return True


def log_viewed(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    object_id: str,
    person_of: Any,
    via: str,
) -> None:
    """Opening a record's page shows the person's data: audited as a view of that person."""
    if request.method != "GET":
        return
    obj = model_admin.get_object(request, object_id)
    if obj is not None and model_admin.has_view_permission(request, obj):
        services.log_person_viewed(
            actor=Actor.from_request(request), person=person_of(obj), via=via
        )


class PersonDataAdmin(ServiceAdmin[M]):
    """A person's data in the staff UI: read-only while the person's processing is restricted
    (for everyone but the privacy officer), and opening a page is audited as a view of them."""

    viewed_via: ClassVar[str]

    def person_of(self, obj: M) -> Person:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not may_edit(request, self.person_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not may_edit(request, self.person_of(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        log_viewed(self, request, object_id, self.person_of, via=self.viewed_via)
        return super().change_view(request, object_id, form_url, extra_context)


class InteractionInline(ReadOnlyInline):
    model = Interaction
    fields = ("occurred_at", "channel", "summary", "recorded_by")
    readonly_fields = fields


class JobApplicationInline(ReadOnlyInline):
    model = JobApplication
    fields = ("position", "status", "received_at", "decision_date")
    readonly_fields = fields


@dataclass(frozen=True)
class PersonSection:
    """A part of the person's page owned by an app above the register (consent: the current
    consents and a link to their history), registered from that app's ``AppConfig.ready`` so
    the register never imports it: ``inline`` goes after the register's own, ``field`` (a
    read-only display function) in a fieldset of its own called ``title``."""

    name: str
    title: str | Promise
    inline: type[InlineModelAdmin[Any, Any]]
    field: Callable[[Person], str]


PERSON_SECTIONS: dict[str, PersonSection] = {}


def add_person_section(section: PersonSection) -> None:
    PERSON_SECTIONS[section.name] = section


@admin.register(Person)
class PersonAdmin(PersonDataAdmin[Person]):
    viewed_via = "admin"
    list_display = ("__str__", "category", "company", "position", "source", "last_interaction_at")
    list_filter = ("category", "source")
    search_fields = ("first_name", "last_name", "email_key", "phone", "company__name")
    list_select_related = ("company",)
    autocomplete_fields = ("company",)
    # Restriction and an upheld objection are set by the data-subject request that decides
    # them (and audited there), never by editing the person.
    readonly_fields = (
        "created_at",
        "updated_at",
        "last_interaction_at",
        "processing_restricted_since",
        "legitimate_interest_objection_since",
    )
    inlines = [InteractionInline, JobApplicationInline]
    fieldsets = (
        (None, {"fields": ("category", "first_name", "last_name", "email", "phone")}),
        (_("Work"), {"fields": ("company", "position", "role", "relationship_ended_on")}),
        (_("Source"), {"fields": ("source", "source_party", "source_reference")}),
        (
            _("Record"),
            {
                "fields": (
                    "created_at",
                    "updated_at",
                    "last_interaction_at",
                    "processing_restricted_since",
                    "legitimate_interest_objection_since",
                )
            },
        ),
    )

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [*self.inlines, *(section.inline for section in PERSON_SECTIONS.values())]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[Any, ...]:
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *(section.field for section in PERSON_SECTIONS.values()))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        sections = [(s.title, {"fields": (s.field,)}) for s in PERSON_SECTIONS.values()]
        return [*super().get_fieldsets(request, obj), *sections]

    def person_of(self, obj: Person) -> Person:
        return obj

    def validate(self, obj: Person | None, values: Mapping[str, Any]) -> None:
        if obj is None:
            services.clean_person(services.PersonValues(**values))
        else:
            services.clean_person(replace(services.PersonValues.of(obj), **values))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Person:
        return services.create_person(actor=actor, values=services.PersonValues(**values))

    def update(self, *, actor: Actor, obj: Person, changes: dict[str, Any]) -> Person:
        # The form's fields are the person's: the service refuses any other name at run time.
        return services.update_person(
            actor=actor, person=obj, changes=cast(services.PersonChanges, changes)
        )

    def remove(self, *, actor: Actor, obj: Person) -> None:
        services.delete_person(actor=actor, person=obj)


@admin.register(Company)
class CompanyAdmin(ServiceAdmin[Company]):
    list_display = ("name", "organisation_number", "city", "country", "source")
    list_filter = ("country", "source")
    search_fields = ("name", "organisation_number", "city")
    readonly_fields = ("created_at", "updated_at")

    def validate(self, obj: Company | None, values: Mapping[str, Any]) -> None:
        if obj is None:
            services.clean_company(services.CompanyValues(**values))
        else:
            services.clean_company(replace(services.CompanyValues.of(obj), **values))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Company:
        return services.create_company(actor=actor, values=services.CompanyValues(**values))

    def update(self, *, actor: Actor, obj: Company, changes: dict[str, Any]) -> Company:
        # The form's fields are the company's: the service refuses any other name at run time.
        return services.update_company(
            actor=actor, company=obj, changes=cast(services.CompanyChanges, changes)
        )

    def remove(self, *, actor: Actor, obj: Company) -> None:
        services.delete_company(actor=actor, company=obj)


def tell_findings(model_admin: admin.ModelAdmin[Any], request: HttpRequest, obj: Any) -> None:
    """Warn the staff member who saved a record in which the scanner found something (the
    field's policy was "warn"): the kinds, never the value."""
    found = findings_of(obj._meta.label_lower, obj.pk)
    kinds = sorted({str(FindingKind(f.kind).label) for f in found})
    if kinds:
        model_admin.message_user(
            request,
            _(
                "Saved, but it holds what the privacy notice promises not to keep (%(kinds)s); "
                "the privacy officer will review it."
            )
            % {"kinds": ", ".join(kinds)},
            messages.WARNING,
        )


@admin.register(Interaction)
class InteractionAdmin(PersonDataAdmin[Interaction]):
    viewed_via = "admin:interaction"
    list_display = ("person", "channel", "occurred_at", "recorded_by")
    list_filter = ("channel", ("occurred_at", admin.DateFieldListFilter))
    search_fields = ("person__first_name", "person__last_name", "person__company__name")
    list_select_related = ("person", "recorded_by")
    autocomplete_fields = ("person",)
    fields = ("person", "channel", "summary", "occurred_at", "recorded_by")
    readonly_fields = ("recorded_by",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The person and time of a recorded interaction are facts; a wrong one is deleted.
        return ("person", "occurred_at", "recorded_by") if obj else ("recorded_by",)

    def person_of(self, obj: Interaction) -> Person:
        return obj.person

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Interaction:
        return services.record_interaction(
            actor=actor,
            person=values["person"],
            channel=values["channel"],
            summary=values.get("summary", ""),
            occurred_at=values.get("occurred_at"),
        )

    def update(self, *, actor: Actor, obj: Interaction, changes: dict[str, Any]) -> Interaction:
        return services.update_interaction(
            actor=actor,
            interaction=obj,
            channel=changes.get("channel"),
            summary=changes.get("summary"),
        )

    def remove(self, *, actor: Actor, obj: Interaction) -> None:
        services.delete_interaction(actor=actor, interaction=obj)

    def save_model(
        self, request: HttpRequest, obj: Interaction, form: forms.ModelForm[Interaction],
        change: bool,
    ) -> None:  # fmt: skip
        super().save_model(request, obj, form, change)
        tell_findings(self, request, obj)


@admin.display(description=_("file"))
def document_link(obj: JobApplicationDocument) -> str:
    url = reverse("download_application_document", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, _("Download"))


class DocumentInline(ReadOnlyInline):
    model = JobApplicationDocument
    fields = ("title", "uploaded_at", "download")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj: JobApplicationDocument) -> str:
        return document_link(obj)


@admin.register(JobApplication)
class JobApplicationAdmin(PersonDataAdmin[JobApplication]):
    viewed_via = "admin:job_application"
    list_display = ("person", "position", "status", "received_at", "decision_date")
    list_filter = ("status",)
    search_fields = ("position", "person__first_name", "person__last_name")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)
    fields = ("person", "position", "status", "decision_date")
    inlines = [DocumentInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # applications go with the applicant (erasure) or by retention

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("person", "position") if obj else ()

    def person_of(self, obj: JobApplication) -> Person:
        return obj.person

    def create(self, *, actor: Actor, values: dict[str, Any]) -> JobApplication:
        return services.create_job_application(
            actor=actor,
            person=values["person"],
            position=values["position"],
            status=values.get("status", "received"),
            decision_date=values.get("decision_date"),
        )

    def update(
        self, *, actor: Actor, obj: JobApplication, changes: dict[str, Any]
    ) -> JobApplication:
        return services.decide_job_application(
            actor=actor,
            application=obj,
            status=changes.get("status", obj.status),
            decision_date=changes.get("decision_date", obj.decision_date),
        )


@admin.register(JobApplicationDocument)
class JobApplicationDocumentAdmin(ServiceAdmin[JobApplicationDocument]):
    list_display = ("title", "application", "uploaded_at", document_link)
    autocomplete_fields = ("application",)
    search_fields = ("title",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return ["application", "title", document_link] if obj else ["application", "title", "file"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return ["application", "title", document_link] if obj else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # documents go with the application

    def save_model(
        self, request: HttpRequest, obj: JobApplicationDocument,
        form: forms.ModelForm[JobApplicationDocument], change: bool,
    ) -> None:  # fmt: skip
        super().save_model(request, obj, form, change)
        tell_findings(self, request, obj)

    def create(self, *, actor: Actor, values: dict[str, Any]) -> JobApplicationDocument:
        return services.add_application_document(
            actor=actor,
            application=values["application"],
            title=values["title"],
            file=values["file"],
        )
