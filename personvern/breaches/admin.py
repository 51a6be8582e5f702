"""The breach register in the staff UI: every save and action goes through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin
from personvern.core.errors import DomainError

from . import clock, services, views
from .models import (
    Breach,
    BreachLetter,
    BreachNotification,
    BreachReminder,
    ClientNotification,
    SecuritySignal,
)
from .report import export_report

ASSESSMENT = ("risk", "risk_reasoning")
NOTICE = ("public_notice_at", "public_notice_where")


class NotificationInline(ReadOnlyInline):
    model = BreachNotification
    fields = ("phase", "submitted_at", "reference", "late", "recorded_by")
    readonly_fields = fields


class ReminderInline(ReadOnlyInline):
    model = BreachReminder
    fields = ("hours_left", "sent_at")
    readonly_fields = fields
    show_change_link = False


class LetterInline(ReadOnlyInline):
    model = BreachLetter
    fields = ("language", "created_at", "sent_at", "attempts", "failed_at")
    readonly_fields = fields
    show_change_link = False


class ClientNoticeInline(ReadOnlyInline):
    model = ClientNotification
    fields = ("client", "sent_at", "recorded_by")
    readonly_fields = fields
    show_change_link = False


def _download(response_file: Any) -> HttpResponse:
    response = HttpResponse(response_file.content, content_type=response_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{response_file.filename}"'
    return response


@admin.register(Breach)
class BreachAdmin(ServiceAdmin[Breach]):
    list_display = ("id", "title", "status", "risk", "aware_in_oslo", "time_left", "notified")
    list_filter = ("status", "risk", "discovered_how")
    search_fields = ("title",)
    filter_horizontal = ("activities", "data_categories", "clients")
    readonly_fields = ("status", "deadline_in_oslo", "time_left", "risk_assessed_at",
                       "delay_reasons", "created_at", "closed_at", "report_links",
                       "sources_link")  # fmt: skip
    inlines = [NotificationInline, ReminderInline, LetterInline, ClientNoticeInline]
    actions = ["close", "write_letters", "notify_clients"]

    @admin.display(description=_("became aware (Europe/Oslo)"), ordering="aware_at")
    def aware_in_oslo(self, obj: Breach) -> str:
        return f"{clock.in_oslo(obj.aware_at):%Y-%m-%d %H:%M}"

    @admin.display(description=_("72 hours run out (Europe/Oslo)"))
    def deadline_in_oslo(self, obj: Breach) -> str:
        return f"{clock.in_oslo(clock.deadline(obj.aware_at)):%Y-%m-%d %H:%M %Z}" if obj.pk else ""

    @admin.display(description=_("time left"))
    def time_left(self, obj: Breach) -> str:
        if not obj.pk:
            return ""
        if obj.notifications.filter(phase="initial").exists():
            return str(_("notified"))
        if obj.risk == "unlikely":
            return str(_("no notification needed"))
        return clock.hours_left_label(obj.aware_at, timezone.now())

    @admin.display(description=_("notified"), boolean=True)
    def notified(self, obj: Breach) -> bool:
        return obj.notifications.exists()

    @admin.display(description=_("draft report (avviksmelding)"))
    def report_links(self, obj: Breach) -> str:
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">HTML</a> · <a href="{}">PDF</a>',
            reverse("admin:breaches_breach_report", args=[obj.pk, "html"]),
            reverse("admin:breaches_breach_report", args=[obj.pk, "pdf"]),
        )

    @admin.display(description=_("people affected, in the other systems"))
    def sources_link(self, obj: Breach) -> str:
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:breaches_breach_sources", args=[obj.pk]),
            _("Search the SQL sources"),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the register keeps every breach (Art. 33(5))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Breach:
        assessment = {k: values.pop(k) for k in (*ASSESSMENT, *NOTICE) if k in values}
        breach = services.record_breach(actor=actor, values=values)
        return self._assess(actor, breach, assessment)

    def update(self, *, actor: Actor, obj: Breach, changes: dict[str, Any]) -> Breach:
        assessment = {k: changes.pop(k) for k in (*ASSESSMENT, *NOTICE) if k in changes}
        breach = services.update_breach(actor=actor, breach=obj, changes=changes)
        return self._assess(actor, breach, assessment)

    def _assess(self, actor: Actor, breach: Breach, values: dict[str, Any]) -> Breach:
        if any(k in values for k in ASSESSMENT):
            breach = services.assess_risk(
                actor=actor, breach=breach, risk=values.get("risk", breach.risk),
                reasoning=values.get("risk_reasoning", breach.risk_reasoning),
            )  # fmt: skip
        if values.get("public_notice_at"):
            breach = services.record_public_notice(
                actor=actor, breach=breach, published_at=values["public_notice_at"],
                where=values.get("public_notice_where", breach.public_notice_where),
            )  # fmt: skip
        return breach

    def _each(self, request: HttpRequest, queryset: QuerySet[Breach],
              op: Callable[[Actor, Breach], str]) -> None:  # fmt: skip
        actor = Actor.from_request(request)
        for breach in queryset:
            try:
                self.message_user(request, f"#{breach.pk}: {op(actor, breach)}")
            except DomainError as exc:
                self.message_user(request, f"#{breach.pk}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Close the selected breaches"), permissions=["change"])
    def close(self, request: HttpRequest, queryset: QuerySet[Breach]) -> None:
        self._each(request, queryset,
                   lambda a, b: str(services.close_breach(actor=a, breach=b).status))  # fmt: skip

    @admin.action(description=_("Write letters to the people affected (Art. 34)"),
                  permissions=["change"])  # fmt: skip
    def write_letters(self, request: HttpRequest, queryset: QuerySet[Breach]) -> None:
        def op(actor: Actor, breach: Breach) -> str:
            people = services.affected_by(breach)
            written = services.write_letters(actor=actor, breach=breach, people=people)
            return str(_("%(n)s letters written") % {"n": len(written)})

        self._each(request, queryset, op)

    @admin.action(description=_("Notify the client controllers concerned (Art. 33(2))"),
                  permissions=["change"])  # fmt: skip
    def notify_clients(self, request: HttpRequest, queryset: QuerySet[Breach]) -> None:
        def op(actor: Actor, breach: Breach) -> str:
            sent = services.notify_clients(actor=actor, breach=breach)
            return str(_("%(n)s clients notified") % {"n": len(sent)})

        self._each(request, queryset, op)

    def get_urls(self) -> list[URLPattern]:
        custom = [path("<int:pk>/report/<str:fmt>/", self.admin_site.admin_view(self.report_view),
                       name="breaches_breach_report"),
                  path("<int:pk>/sources/", self.admin_site.admin_view(self.sources_view),
                       name="breaches_breach_sources")]  # fmt: skip
        return custom + super().get_urls()

    def sources_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return views.sources_view(self, request, pk)

    def report_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        breach = get_object_or_404(Breach, pk=pk)
        try:
            exported = export_report(actor=Actor.from_request(request), breach=breach, fmt=fmt)
        except DomainError as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain")
        return _download(exported)


class NotificationForm(forms.ModelForm[BreachNotification]):
    delay_reasons = forms.CharField(
        label=_("reasons for the delay"), required=False, widget=forms.Textarea,
        help_text=_("Required when the initial notification comes later than 72 hours."),
    )  # fmt: skip

    class Meta:
        model = BreachNotification
        fields = ("breach", "phase", "submitted_at", "reference", "summary")


@admin.register(BreachNotification)
class BreachNotificationAdmin(ServiceAdmin[BreachNotification]):
    form = NotificationForm
    list_display = ("breach", "phase", "submitted_at", "reference", "late")
    fields = ("breach", "phase", "submitted_at", "reference", "summary", "delay_reasons")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def create(self, *, actor: Actor, values: dict[str, Any]) -> BreachNotification:
        return services.record_notification(actor=actor, **values)


@admin.register(SecuritySignal)
class SecuritySignalAdmin(ReadOnlyAdmin[SecuritySignal]):
    list_display = ("summary", "kind", "count", "first_seen", "last_seen", "breach", "dismissed_at")
    list_filter = ("kind",)
    actions = ["open_as_breach", "dismiss"]
    show_every_field = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The list's actions need "change"; a signal's own page stays read-only.
        return obj is None and request.user.has_perm("breaches.change_securitysignal")

    @admin.action(description=_("Open as a breach"), permissions=["change"])
    def open_as_breach(self, request: HttpRequest, queryset: QuerySet[SecuritySignal]) -> None:
        actor = Actor.from_request(request)
        for signal in queryset:
            try:
                breach = services.open_breach_from_signal(actor=actor, signal=signal)
                self.message_user(request, _("Breach #%(id)s opened.") % {"id": breach.pk})
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)

    @admin.action(description=_("Dismiss: no breach"), permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[SecuritySignal]) -> None:
        actor = Actor.from_request(request)
        for signal in queryset:
            try:
                services.dismiss_signal(actor=actor, signal=signal)
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
