"""Screenings and DPIAs in the staff UI, through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ServiceAdmin
from personvern.core.errors import DomainError

from . import criteria as lists
from . import services
from .export import export_dpia
from .models import ImpactAssessment, Screening


class ScreeningForm(forms.ModelForm[Screening]):
    criteria = forms.MultipleChoiceField(
        label=_("WP248 criteria met"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: list(lists.wp248().items.items()),
        help_text=_("Two or more: the activity needs a DPIA."),
    )  # fmt: skip
    listed_kinds = forms.MultipleChoiceField(
        label=_("kinds on Datatilsynet's list"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: list(lists.datatilsynet_list().items.items()),
        help_text=_("Any one: the activity needs a DPIA."),
    )  # fmt: skip

    class Meta:
        model = Screening
        fields = ("activity", "criteria", "listed_kinds", "reasoning")


@admin.register(Screening)
class ScreeningAdmin(ServiceAdmin[Screening]):
    form = ScreeningForm
    list_display = ("activity", "needs_dpia", "screened_at", "screened_by")
    list_filter = ("needs_dpia",)
    readonly_fields = ("needs_dpia", "screened_at", "screened_by", "sources")

    @admin.display(description=_("sources"))
    def sources(self, obj: Screening) -> str:
        return format_html('<a href="{}">WP248 rev.01</a> · <a href="{}">Datatilsynet</a>',
                           lists.wp248().url, lists.datatilsynet_list().url)  # fmt: skip

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Screening:
        return services.screen_activity(
            actor=actor, activity=values["activity"], criteria=values.get("criteria", []),
            listed_kinds=values.get("listed_kinds", []), reasoning=values.get("reasoning", ""),
        )  # fmt: skip

    def update(self, *, actor: Actor, obj: Screening, changes: dict[str, Any]) -> Screening:
        return services.screen_activity(
            actor=actor, activity=obj.activity,
            criteria=changes.get("criteria", obj.criteria),
            listed_kinds=changes.get("listed_kinds", obj.listed_kinds),
            reasoning=changes.get("reasoning", obj.reasoning),
        )  # fmt: skip


@admin.register(ImpactAssessment)
class ImpactAssessmentAdmin(ServiceAdmin[ImpactAssessment]):
    list_display = ("activity", "residual_risk", "signed_off_at", "review_on")
    list_filter = ("residual_risk",)
    readonly_fields = ("signed_off_at", "signed_off_by", "export_links")
    actions = ["sign_off"]

    @admin.display(description=_("export"))
    def export_links(self, obj: ImpactAssessment) -> str:
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">HTML</a> · <a href="{}">PDF</a>',
            reverse("admin:assessments_impactassessment_export", args=[obj.pk, "html"]),
            reverse("admin:assessments_impactassessment_export", args=[obj.pk, "pdf"]),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def create(self, *, actor: Actor, values: dict[str, Any]) -> ImpactAssessment:
        activity = values.pop("activity")
        return services.start_dpia(actor=actor, activity=activity, values=values)

    def update(
        self, *, actor: Actor, obj: ImpactAssessment, changes: dict[str, Any]
    ) -> ImpactAssessment:
        return services.update_dpia(actor=actor, dpia=obj, changes=changes)

    @admin.action(description=_("Sign off the selected assessments"), permissions=["change"])
    def sign_off(self, request: HttpRequest, queryset: QuerySet[ImpactAssessment]) -> None:
        actor = Actor.from_request(request)
        for dpia in queryset:
            try:
                services.sign_off_dpia(actor=actor, dpia=dpia)
            except DomainError as exc:
                problems = "; ".join(str(e.message) for e in exc.errors) or str(exc.message)
                self.message_user(request, f"{dpia}: {problems}", messages.ERROR)

    def get_urls(self) -> list[URLPattern]:
        custom = [path("<int:pk>/export/<str:fmt>/", self.admin_site.admin_view(self.export_view),
                       name="assessments_impactassessment_export")]  # fmt: skip
        return custom + super().get_urls()

    def export_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        dpia = get_object_or_404(ImpactAssessment, pk=pk)
        try:
            exported = export_dpia(actor=Actor.from_request(request), dpia=dpia, fmt=fmt)
        except DomainError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain")
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
        return response
