from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Field, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, add_domain_errors
from personvern.core.errors import DomainError
from personvern.core.translated import default_language_fields, missing_display

from . import services
from .choices import ActivityStatus, TransferMechanism
from .export import export_record
from .models import (
    AdequacyDecision,
    BalancingAssessment,
    DataCategory,
    DataProcessingAgreement,
    DpfImport,
    ProcessingActivity,
    Processor,
)
from .services.transfers import import_dpf_list
from .transfers import dpf_list_outdated, latest_dpf_import, transfer_errors

OUTCOME_HELP = _(
    "The latest assessment decides: an activity on legitimate interest can only be active "
    "while its latest assessment is favourable. Recording an unfavourable one sets an active "
    "activity back to draft."
)


class AssessmentInline(ReadOnlyInline):
    model = BalancingAssessment
    fields = ("assessed_on", "outcome", "author_label")
    readonly_fields = fields


def _relation_values(values: dict[str, Any]) -> dict[str, Any]:
    """The form's chosen rows as the services take them: data categories by key, processors
    as a list."""
    if "data_categories" in values:
        values["data_categories"] = [c.key for c in values["data_categories"]]
    if "processors" in values:
        values["processors"] = list(values["processors"])
    return values


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(ServiceAdmin[ProcessingActivity]):
    list_display = ("name", "legal_basis", "status", "english_missing", "updated_at")
    # The base fields are the bokmål texts; the English ones follow as "[en]".
    exclude = default_language_fields(ProcessingActivity)
    list_filter = ("legal_basis", "status", "communication")
    search_fields = ("name", "purpose", "description")
    filter_horizontal = ("data_categories", "processors")
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = [AssessmentInline]
    actions = ["activate", "retire"]
    change_list_template = "admin/processing/processingactivity/change_list.html"

    def validate(self, obj: ProcessingActivity | None, values: Mapping[str, Any]) -> None:
        if obj is None:
            services.clean_activity(services.ActivityValues(**values))
        else:
            services.clean_activity(replace(services.ActivityValues.of(obj), **values))

    def form_values(self, form: Any, *, change: bool) -> dict[str, Any]:
        return _relation_values(super().form_values(form, change=change))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> ProcessingActivity:
        return services.create_activity(actor=actor, values=services.ActivityValues(**values))

    def update(
        self, *, actor: Actor, obj: ProcessingActivity, changes: dict[str, Any]
    ) -> ProcessingActivity:
        # The form's fields are the activity's: the service refuses any other name at run time.
        return services.update_activity(
            actor=actor, activity=obj, changes=cast(services.ActivityChanges, changes)
        )

    @admin.display(description=_("shown in bokmål to English readers"))
    def english_missing(self, obj: ProcessingActivity) -> str:
        """The fallback flagged: texts English readers see in bokmål until translated."""
        return missing_display(obj, "en") or "—"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an activity is retired, never deleted: the record keeps its history

    @admin.action(description=_("Activate the selected activities"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[ProcessingActivity]) -> None:
        self._run(request, queryset, services.activate_activity)

    @admin.action(description=_("Retire the selected activities"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[ProcessingActivity]) -> None:
        self._run(request, queryset, services.retire_activity)

    def _run(self, request: HttpRequest, queryset: QuerySet[ProcessingActivity], op: Any) -> None:
        actor = Actor.from_request(request)
        for activity in queryset:
            try:
                op(actor=actor, activity=activity)
            except DomainError as exc:
                self.message_user(request, f"{activity}: {exc.message}", messages.ERROR)

    def get_urls(self) -> list[URLPattern]:
        custom = [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="processing_record_export",
            ),
        ]
        return custom + super().get_urls()

    def export_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if not request.user.has_perm("processing.export_record"):
            raise PermissionDenied
        try:
            exported = export_record(actor=Actor.from_request(request), fmt=fmt)
        except DomainError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain")
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response


@admin.register(BalancingAssessment)
class BalancingAssessmentAdmin(ServiceAdmin[BalancingAssessment]):
    list_display = ("activity", "assessed_on", "outcome", "author_label")
    list_filter = ("outcome",)
    fields = (
        "activity",
        "purpose_test",
        "necessity_test",
        "balancing_test",
        "outcome",
        "assessed_on",
    )
    autocomplete_fields = ("activity",)

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "outcome":
            kwargs["help_text"] = OUTCOME_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An assessment is documentation, never deleted: the latest one (by assessed date,
        # then as recorded) decides whether an activity on legitimate interest may be active.
        return False

    def create(self, *, actor: Actor, values: dict[str, Any]) -> BalancingAssessment:
        return services.record_balancing_assessment(actor=actor, **values)

    def save_model(
        self, request: HttpRequest, obj: BalancingAssessment, form: Any, change: bool
    ) -> None:
        activity = form.cleaned_data.get("activity")
        was_active = activity is not None and activity.status == ActivityStatus.ACTIVE
        super().save_model(request, obj, form, change)
        if was_active and obj.activity.status == ActivityStatus.DRAFT:
            self.message_user(
                request,
                _(
                    "The latest assessment is unfavourable: the activity has been set back "
                    "to draft and is no longer in effect."
                ),
                messages.WARNING,
            )


@admin.display(description=_("document"))
def agreement_link(obj: DataProcessingAgreement) -> str:
    if not obj.document:
        return "-"
    return format_html(
        '<a href="{}">{}</a>', reverse("download_agreement", args=[obj.pk]), _("Download")
    )


class AgreementInline(ReadOnlyInline):
    model = DataProcessingAgreement
    fields = ("signed_on", "expires_on", "review_due", "download")
    readonly_fields = fields

    @admin.display(description=_("document"))
    def download(self, obj: DataProcessingAgreement) -> str:
        return agreement_link(obj)


@admin.register(Processor)
class ProcessorAdmin(ServiceAdmin[Processor]):
    list_display = ("name", "country", "transfer", "parent", "english_missing")
    exclude = default_language_fields(Processor)
    list_filter = ("transfer_mechanism", "country")
    search_fields = ("name", "organisation_number", "services")
    filter_horizontal = ("data_categories",)
    inlines = [AgreementInline]
    readonly_fields = ("transfer_check",)

    @admin.display(description=_("transfer check"))
    def transfer_check(self, obj: Processor) -> str:
        """Why the transfer does not hold (adequacy list, DPF list, SCC module and TIA)."""
        errors = transfer_errors(obj) if obj.pk else []
        if not errors:
            return str(_("The transfer mechanism holds.")) if obj.pk else "-"
        return format_html_join(
            "",
            '<p data-code="{}" style="color:#ba2121">⚠ {}</p>',
            ((error.code, error.message) for error in errors),
        )

    @admin.display(description=_("shown in bokmål to English readers"))
    def english_missing(self, obj: Processor) -> str:
        return missing_display(obj, "en") or "—"

    @admin.display(description=_("transfer mechanism"))
    def transfer(self, obj: Processor) -> str:
        label = TransferMechanism(obj.transfer_mechanism).label
        errors = transfer_errors(obj)
        if errors:
            return format_html(
                '<strong style="color:#ba2121">⚠ {}</strong><br>{}', label, errors[0].message
            )
        return str(label)

    def validate(self, obj: Processor | None, values: Mapping[str, Any]) -> None:
        if obj is None:
            services.clean_processor(services.ProcessorValues(**values))
        else:
            services.clean_processor(
                replace(services.ProcessorValues.of(obj), **values), instance=obj
            )

    def form_values(self, form: Any, *, change: bool) -> dict[str, Any]:
        return _relation_values(super().form_values(form, change=change))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Processor:
        return services.create_processor(actor=actor, values=services.ProcessorValues(**values))

    def update(self, *, actor: Actor, obj: Processor, changes: dict[str, Any]) -> Processor:
        # The form's fields are the processor's: the service refuses any other name at run time.
        return services.update_processor(
            actor=actor, processor=obj, changes=cast(services.ProcessorChanges, changes)
        )

    def remove(self, *, actor: Actor, obj: Processor) -> None:
        services.delete_processor(actor=actor, processor=obj)


@admin.register(DataProcessingAgreement)
class DataProcessingAgreementAdmin(ServiceAdmin[DataProcessingAgreement]):
    list_display = ("processor", "signed_on", "expires_on", "review_due", agreement_link)
    list_filter = (
        ("expires_on", admin.DateFieldListFilter),
        ("review_due", admin.DateFieldListFilter),
    )
    autocomplete_fields = ("processor",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields: list[Any] = ["processor", "signed_on", "expires_on", "review_due"]
        return [*fields, "expiry_alerted_on", agreement_link] if obj else [*fields, "document"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if not obj:
            return []
        return [
            "processor",
            "signed_on",
            "expires_on",
            "review_due",
            "expiry_alerted_on",
            agreement_link,
        ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def create(self, *, actor: Actor, values: dict[str, Any]) -> DataProcessingAgreement:
        return services.record_agreement(
            actor=actor,
            processor=values["processor"],
            signed_on=values["signed_on"],
            review_due=values["review_due"],
            document=values.get("document") or None,
            expires_on=values.get("expires_on"),
        )


@admin.register(DataCategory)
class DataCategoryAdmin(admin.ModelAdmin[DataCategory]):
    list_display = ("key", "name")
    search_fields = ("key", "name", "description")


class DpfUploadForm(forms.Form):
    file = forms.FileField(
        label=_("DPF list (CSV)"),
        help_text=_(
            "The participant list exported from dataprivacyframework.gov, with an "
            "“Organization Name” column."
        ),
    )


@admin.register(DpfImport)
class DpfImportAdmin(ReadOnlyAdmin[DpfImport]):
    """The imports of the EU-US Data Privacy Framework list; the latest is the one checked.
    A privacy officer uploads a new one here (or ``personvern import_dpf_list``)."""

    list_display = ("imported_at", "filename", "participants", "actor_label")
    change_list_template = "admin/processing/dpfimport/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        latest = latest_dpf_import()
        if latest is None:
            messages.warning(request, _("No Data Privacy Framework list has been imported."))
        elif dpf_list_outdated():
            messages.warning(
                request,
                _("The Data Privacy Framework list was imported on %(date)s: over 30 days ago.")
                % {"date": f"{latest.imported_at:%Y-%m-%d}"},
            )
        return super().changelist_view(request, extra_context)

    def get_urls(self) -> list[URLPattern]:
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view),
                 name="processing_dpf_upload"),
            *super().get_urls(),
        ]  # fmt: skip

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("processing.add_dpfimport"):
            raise PermissionDenied
        form = DpfUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = import_dpf_list(
                    actor=Actor.from_request(request), content=upload.read(), filename=upload.name
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(count)s organisations imported from the DPF list.")
                    % {"count": imported.participants},
                )
                return HttpResponseRedirect(reverse("admin:processing_dpfimport_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import the Data Privacy Framework list"),
            "form": form,
        }
        return TemplateResponse(request, "admin/processing/dpf_upload.html", context)


@admin.register(AdequacyDecision)
class AdequacyDecisionAdmin(ReadOnlyAdmin[AdequacyDecision]):
    """The Commission's adequacy decisions, seeded by a migration with their references."""

    list_display = ("country", "name", "reference", "adopted_on", "scope", "in_force")
    list_filter = ("in_force",)
    search_fields = ("country", "name", "reference")
