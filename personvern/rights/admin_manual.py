"""The staff admin of manual sources (the privacy officer sets them up) and their tasks (the
named staff member closes theirs: done, nothing found, or kept with the reason). Writes go
through ``services.manual``. Registered by ``admin.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ServiceAdmin

from .choices import ManualTaskStatus
from .models import Art19Notice, Art19Recipient, ManualSource, ManualTask
from .services import manual
from .services.common import log_viewed
from .services.rectification import corrected_values


@admin.register(ManualSource)
class ManualSourceAdmin(ServiceAdmin[ManualSource]):
    list_display = ("key", "name", "assignee", "lead_days", "enabled")
    fields = manual.MANUAL_SOURCE_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # taken out of use instead: its tasks name it

    def create(self, *, actor: Actor, values: dict[str, Any]) -> ManualSource:
        return manual.save_manual_source(actor=actor, values=values)

    def update(self, *, actor: Actor, obj: ManualSource, changes: dict[str, Any]) -> ManualSource:
        return manual.save_manual_source(actor=actor, values=changes, source=obj)


class TaskForm(forms.ModelForm[ManualTask]):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ManualTaskStatus if s != ManualTaskStatus.OPEN]
    )

    class Meta:
        model = ManualTask
        fields = ["status", "note"]


@admin.register(ManualTask)
class ManualTaskAdmin(ServiceAdmin[ManualTask]):
    form = TaskForm
    list_display = ("request", "step", "source", "assignee", "due_on", "status")
    list_filter = ("status", "step", "source")
    readonly_fields = (
        "request",
        "step",
        "source",
        "assignee",
        "instructions",
        "corrections",
        "due_on",
        "closed_at",
    )
    fields = (
        "request",
        "step",
        "source",
        "assignee",
        "instructions",
        "corrections",
        "due_on",
        "status",
        "note",
    )

    @admin.display(description=_("corrected values"))
    def corrections(self, obj: ManualTask) -> SafeString | str:
        """A rectification's corrected values, read from the request while it holds them
        (never copied into the task or an e-mail)."""
        values = corrected_values(obj.request) if obj.step == "" else []
        if not values:
            return "—"
        return format_html_join("", "<div>{}: {}</div>", values)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and corrected_values(obj.request):
                # The page shows the person's corrected data: recorded as a view of it.
                log_viewed(actor=Actor.from_request(request), request=obj.request, via="task")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ManualTask]:
        return super().get_queryset(request).select_related("request", "source", "assignee")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests create them

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status != ManualTaskStatus.OPEN:
            return (*self.readonly_fields, "status", "note")
        return self.readonly_fields

    def form_values(self, form: forms.ModelForm[ManualTask], *, change: bool) -> dict[str, Any]:
        return {n: form.cleaned_data[n] for n in ("status", "note") if n in form.cleaned_data}

    def validate(self, obj: ManualTask | None, values: Mapping[str, Any]) -> None:
        """Refusals (the reason missing for kept) come from the service on save."""

    def update(self, *, actor: Actor, obj: ManualTask, changes: dict[str, Any]) -> ManualTask:
        return manual.close_task(
            actor=actor, task=obj, outcome=changes["status"], note=changes.get("note", "")
        )


@admin.register(Art19Recipient)
class Art19RecipientAdmin(admin.ModelAdmin[Art19Recipient]):
    """Configuration, not personal data of data subjects: plain admin, as data categories."""

    list_display = ("name", "email", "language", "processor", "enabled")
    filter_horizontal = ("activities",)


@admin.register(Art19Notice)
class Art19NoticeAdmin(ReadOnlyAdmin[Art19Notice]):
    """Who was told of which request, when (the letter's time) and the digest of the text:
    what the person is told on request (Art. 19, second sentence)."""

    list_display = ("request", "recipient", "sent", "digest")
    list_select_related = ("request", "recipient", "letter")

    @admin.display(description=_("sent"))
    def sent(self, obj: Art19Notice) -> Any:
        return obj.letter.sent_at
