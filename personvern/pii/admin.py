"""The privacy officer's review queue in the staff admin: each open finding is redacted, its
record deleted, or accepted with a legal basis, through the review services (audited). The
scanned fields' policies are set through their service."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ServiceAdmin, add_domain_errors
from personvern.core.errors import DomainError

from . import services
from .choices import Article9Basis, FieldPolicyAction, FindingStatus
from .models import FieldPolicy, Finding, ScanProgress
from .registry import targets
from .sources import is_external

# action -> (label, form fields, service call)
ReviewCall = Callable[[Actor, Finding, Mapping[str, Any]], Any]
REVIEW_ACTIONS: dict[str, tuple[Any, dict[str, forms.Field], ReviewCall]] = {
    "redact": (
        _("Redact the span"),
        {},
        lambda actor, finding, data: services.redact_finding(actor=actor, finding=finding),
    ),
    "delete": (
        _("Delete the record"),
        {},
        lambda actor, finding, data: services.delete_record_of_finding(
            actor=actor, finding=finding
        ),
    ),
    "accept": (
        _("Accept with a legal basis"),
        {
            "basis": forms.ChoiceField(label=_("Legal basis"), choices=Article9Basis.choices),
            "reason": forms.CharField(label=_("Reason"), widget=forms.Textarea),
        },
        lambda actor, finding, data: services.accept_finding(
            actor=actor, finding=finding, basis=data["basis"], reason=data["reason"]
        ),
    ),
}


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin[Finding]):
    list_display = ("kind", "target", "field", "object_id", "status", "confidence", "found_at")
    list_filter = ("status", "kind", "target", "source")
    readonly_fields = (
        "target", "object_id", "field", "subject_id", "start", "end", "kind", "confidence",
        "rule", "source", "status", "found_at", "resolved_at", "resolved_by", "basis", "reason",
        "review",
    )  # fmt: skip

    @admin.display(description=_("Review"))
    def review(self, obj: Finding) -> str:
        if obj.status != FindingStatus.OPEN:
            return "—"
        external = is_external(obj.target)
        links = [
            (reverse("admin:pii_finding_review", args=[obj.pk, action]), label)
            for action, (label, _fields, _call) in REVIEW_ACTIONS.items()
            if not external or action == "accept"
        ]
        html = format_html_join(" · ", '<a href="{}">{}</a>', links)
        if external:
            # Personvern only reads the source: the span is fixed there, and the next scan
            # of the table closes the finding.
            return format_html(
                "{} · {}", html, _("or correct it in the source system and scan again")
            )
        return html or "—"

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/review/<str:action>/",
                self.admin_site.admin_view(self.review_view),
                name="pii_finding_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in REVIEW_ACTIONS or not request.user.has_perm("pii.review_finding"):
            raise PermissionDenied
        label, fields, call = REVIEW_ACTIONS[action]
        finding = get_object_or_404(Finding, pk=pk)
        form_class = type("ReviewForm", (forms.Form,), dict(fields))
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                call(Actor.from_request(request), finding, form.cleaned_data)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                self.message_user(request, _("Done: %(action)s.") % {"action": label})
                return HttpResponseRedirect(reverse("admin:pii_finding_change", args=[pk]))
        return TemplateResponse(
            request,
            "admin/pii/review.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "obj": finding,
                "form": form,
                "title": label,
            },
        )


def _field_choices() -> list[tuple[str, str]]:
    return [(f"{t.label}.{name}", f"{t.label}.{name}") for t in targets() for name in t.fields]


class FieldPolicyForm(forms.ModelForm[FieldPolicy]):
    scanned_field = forms.ChoiceField(label=_("Scanned field"), choices=_field_choices)

    class Meta:
        model = FieldPolicy
        fields = ("action",)


@admin.register(FieldPolicy)
class FieldPolicyAdmin(ServiceAdmin[FieldPolicy]):
    form = FieldPolicyForm
    list_display = ("target", "field", "action", "changed_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("action",) if obj is not None else ("scanned_field", "action")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return []

    def _split(self, values: Mapping[str, Any], obj: FieldPolicy | None) -> tuple[str, str]:
        if obj is not None:
            return obj.target, obj.field
        target, _dot, field = str(values.get("scanned_field", "")).rpartition(".")
        return target, field

    def create(self, *, actor: Actor, values: dict[str, Any]) -> FieldPolicy:
        target, field = self._split(values, None)
        action = values.get("action", FieldPolicyAction.WARN)
        return services.set_field_policy(actor=actor, target=target, field=field, action=action)

    def update(self, *, actor: Actor, obj: FieldPolicy, changes: dict[str, Any]) -> FieldPolicy:
        action = changes.get("action", obj.action)
        return services.set_field_policy(
            actor=actor, target=obj.target, field=obj.field, action=action
        )

    def remove(self, *, actor: Actor, obj: FieldPolicy) -> None:
        services.set_field_policy(
            actor=actor, target=obj.target, field=obj.field, action=FieldPolicyAction.WARN
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScanProgress)
class ScanProgressAdmin(ReadOnlyAdmin[ScanProgress]):
    list_display = ("target", "scanned", "last_id", "started_at", "finished_at")
    show_every_field = True
