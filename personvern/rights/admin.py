"""The staff UI: the list with due-soon and overdue filters, intake of requests received by
phone, letter or e-mail, the timeline, and one page per action — all through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyInline, ServiceAdmin, add_domain_errors
from personvern.core.errors import DomainError
from personvern.register.models import Person

from . import config, selectors, services
from .choices import (
    AccessExemption,
    ObjectionScope,
    ReceivedChannel,
    RequestStatus,
    RequestType,
    SourceStatus,
)
from .models import DataSubjectRequest, OutgoingLetter, RequestEvent
from .services.common import log_viewed


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("due_soon", _("Due soon")), ("overdue", _("Overdue"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "overdue":
            return queryset.filter(pk__in=selectors.overdue().values("pk"))
        if self.value() == "due_soon":
            return queryset.filter(pk__in=selectors.due_soon(config.due_soon_days()).values("pk"))
        return queryset


class JobTroubleFilter(admin.SimpleListFilter):
    """Open requests whose fulfilment job failed or is being run again after its worker was
    lost: the ones that need a look."""

    title = _("background job")
    parameter_name = "job"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("trouble", _("Failing or retrying"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "trouble":
            return queryset.filter(pk__in=selectors.with_job_trouble())
        return queryset


class LetterTroubleFilter(admin.SimpleListFilter):
    """Requests with a letter the mail server refused lately, or one still being retried."""

    title = _("letters")
    parameter_name = "letters"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("trouble", _("Not sent (refused or retrying)"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "trouble":
            return queryset.filter(pk__in=selectors.letters_in_trouble().values("request"))
        return queryset


class IntakeForm(forms.ModelForm[DataSubjectRequest]):
    received_channel = forms.ChoiceField(
        label=_("received through"),
        choices=[(c.value, c.label) for c in ReceivedChannel if c in ReceivedChannel.staff()],
    )
    objection_scope_choices = forms.MultipleChoiceField(
        label=_("objection to"),
        required=False,
        choices=ObjectionScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    destination_url = forms.URLField(
        label=_("send to (another controller)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    verification_note = forms.CharField(
        label=_("identity verified by"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How you verified who the person is. Leave empty to e-mail them a link."),
    )

    class Meta:
        model = DataSubjectRequest
        fields = (
            "request_type",
            "contact_email",
            "language",
            "received_channel",
            "details",
            "consent_purposes",
        )


class RequestEventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ("at", "kind", "actor_label", "detail")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = _("timeline")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """The timeline is part of the request: whoever may see the request sees it (no role
        holds a separate permission on the events, so only superusers saw it)."""
        return request.user.has_perm("rights.view_datasubjectrequest")


class OutgoingLetterInline(ReadOnlyInline):
    """The request's letters from the outbox: what went when, and what has not gone."""

    model = OutgoingLetter
    fields = ("name", "created_at", "sent_at", "attempts", "last_error", "failed_at")
    readonly_fields = fields
    show_change_link = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("rights.view_datasubjectrequest")


# Each action: (label, permission, form fields, service call).
ActionCall = Callable[[Actor, DataSubjectRequest, dict[str, Any]], object]


def _text(label: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}))


# What staff may correct across the sources from the request page (the register's names).
CORRECTABLE = ("first_name", "last_name", "email", "phone", "position")


def _corrected(name: str) -> forms.CharField:
    field = Person._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - CORRECTABLE names plain columns
    return forms.CharField(label=field.verbose_name, required=False, help_text=_("corrected value"))


ACTIONS: dict[str, tuple[Any, str, dict[str, forms.Field], ActionCall]] = {
    "verify": (
        _("Verify by other means"),
        "rights.verify_datasubjectrequest",
        {"note": _text(_("How was the identity verified?"))},
        lambda a, r, d: services.verify_by_staff(actor=a, request=r, note=d["note"]),
    ),
    "match": (
        _("Choose the person"),
        "rights.verify_datasubjectrequest",
        {"person_id": forms.IntegerField(label=_("person id"))},
        lambda a, r, d: services.match_person(
            actor=a, request=r, person=get_object_or_404(Person, pk=d["person_id"])
        ),
    ),
    "extend": (
        _("Extend the deadline"),
        "rights.extend_datasubjectrequest",
        {
            "until": forms.DateField(
                label=_("new due date"), widget=forms.DateInput(attrs={"type": "date"})
            ),
            "reason": _text(_("reason (sent to the person)")),
        },
        lambda a, r, d: services.extend_deadline(
            actor=a, request=r, until=d["until"], reason=d["reason"]
        ),
    ),
    "refuse": (
        _("Refuse as manifestly unfounded or excessive"),
        "rights.refuse_datasubjectrequest",
        {"reason": _text(_("reason (sent to the person)"))},
        lambda a, r, d: services.refuse_request(actor=a, request=r, reason=d["reason"]),
    ),
    "exempt": (
        _("Refuse access in part on a statutory exemption"),
        "rights.decide_datasubjectrequest",
        {
            "ground": forms.ChoiceField(label=_("ground"), choices=AccessExemption.choices),
            "withheld": forms.CharField(
                label=_("kinds of records withheld (comma-separated, as in the package)")
            ),
            "reason": _text(_("reason (sent to the person unless the ground forbids it)")),
        },
        lambda a, r, d: services.decide_access_exemption(
            actor=a,
            request=r,
            ground=d["ground"],
            withheld=d["withheld"].split(","),
            reason=d["reason"],
        ),
    ),
    "rectified": (
        _("Complete the rectification"),
        "rights.change_datasubjectrequest",
        {
            "note": _text(_("what was corrected (sent to the person)")),
            # The corrected values, carried to every data source (empty: unchanged).
            **{name: _corrected(name) for name in CORRECTABLE},
        },
        lambda a, r, d: services.complete_rectification(
            actor=a,
            request=r,
            note=d["note"],
            changes={name: d[name] for name in CORRECTABLE if d[name]} or None,
        ),
    ),
    "lift": (
        _("Lift the restriction (the person is told first)"),
        "rights.decide_datasubjectrequest",
        {"reason": _text(_("reason (sent to the person)"))},
        lambda a, r, d: services.lift_restriction(actor=a, request=r, reason=d["reason"]),
    ),
    "decide": (
        _("Decide the objection"),
        "rights.decide_datasubjectrequest",
        {
            "compelling_grounds": forms.CharField(
                label=_("compelling legitimate grounds (empty: uphold the objection)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        },
        lambda a, r, d: services.decide_objection(
            actor=a, request=r, compelling_grounds=d["compelling_grounds"]
        ),
    ),
    "resend": (
        _("Send the verification link again"),
        "rights.change_datasubjectrequest",
        {},
        lambda a, r, d: services.resend_verification_link(actor=a, request=r),
    ),
    "rerun": (
        _("Run the fulfilment again"),
        "rights.change_datasubjectrequest",
        {},
        lambda a, r, d: services.rerun_fulfilment(actor=a, request=r),
    ),
    "retry_sources": (
        _("Try the failed systems again"),
        "rights.change_datasubjectrequest",
        {},
        lambda a, r, d: services.retry_failed_sources(actor=a, request=r),
    ),
    "reissue": (
        _("Send a new download link"),
        "rights.change_datasubjectrequest",
        {},
        lambda a, r, d: services.reissue_download_link(actor=a, request=r),
    ),
}


def _awaiting_decision(r: DataSubjectRequest) -> bool:
    return (
        r.request_type == RequestType.OBJECTION
        and ObjectionScope.LEGITIMATE_INTEREST in r.objection_scopes
        and r.status == RequestStatus.IN_PROGRESS
        and r.objection_decided_at is None
    )


# Which actions the request page links to for a request in its current state (the services
# decide; this only keeps the page from offering what they would refuse).
APPLIES: dict[str, Callable[[DataSubjectRequest], bool]] = {
    "verify": lambda r: r.status == RequestStatus.AWAITING_VERIFICATION,
    "match": lambda r: (
        r.status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS) and r.person_id is None
    ),
    "extend": lambda r: r.is_open,
    "refuse": lambda r: r.is_open,
    "exempt": lambda r: r.request_type == RequestType.ACCESS and r.is_open and not r.package_name,
    "rectified": lambda r: (
        r.request_type == RequestType.RECTIFICATION
        and r.status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS)
    ),
    "lift": lambda r: r.request_type == RequestType.RESTRICTION and r.status == RequestStatus.DONE,
    "decide": _awaiting_decision,
    "resend": lambda r: r.status == RequestStatus.AWAITING_VERIFICATION,
    "rerun": lambda r: r.is_open,
    "retry_sources": lambda r: any(
        s.get("status") in (SourceStatus.FAILING, SourceStatus.FAILED)
        for s in r.source_states.values()
    ),
    "reissue": lambda r: (
        r.request_type in (RequestType.ACCESS, RequestType.PORTABILITY)
        and r.status == RequestStatus.DONE
    ),
}

VERIFY_PERM = "rights.verify_datasubjectrequest"


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(ServiceAdmin[DataSubjectRequest]):
    form = IntakeForm
    list_display = (
        "reference",
        "request_type",
        "status",
        "received_channel",
        "received_at",
        "deadline_display",
    )
    list_filter = (
        DeadlineFilter,
        JobTroubleFilter,
        LetterTroubleFilter,
        "status",
        "request_type",
        "received_channel",
    )
    search_fields = ("=reference",)
    inlines = [RequestEventInline, OutgoingLetterInline]
    readonly_fields = (
        "reference",
        "request_type",
        "status",
        "contact_email",
        "language",
        "received_channel",
        "received_by",
        "received_at",
        "deadline_display",
        "extension_reason",
        "person",
        "verified_at",
        "verification_method",
        "verification_note",
        "details",
        "destination_url",
        "objection_scopes",
        "compelling_grounds",
        "refusal_reason",
        "completed_at",
        "result",
        "source_states",
        "job_display",
        "action_links",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[DataSubjectRequest]:
        return selectors.requests_with_relations()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            fields = [*IntakeForm.Meta.fields, "destination_url", "objection_scope_choices"]
            # A note verifies the request: only for those who may verify.
            if request.user.has_perm(VERIFY_PERM):
                fields.append("verification_note")
            return fields
        return self.readonly_fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and not request.user.has_perm(VERIFY_PERM):
            # A declared field stays in a ModelForm whatever ``fields`` says: take it out, so
            # a note posted anyway is ignored and the person is sent a link.
            form.base_fields.pop("verification_note", None)
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj else ()

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.inlines if obj else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the request is the proof that the organisation answered

    @admin.display(description=_("due"), ordering="effective_deadline")
    def deadline_display(self, obj: DataSubjectRequest) -> str:
        days = (obj.deadline - timezone.localdate()).days
        extended = _(" (extended)") if obj.extended_until else ""
        if not obj.is_open:
            return f"{obj.deadline:%Y-%m-%d}{extended}"
        state = (
            _("overdue")
            if days < 0
            else ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
        )
        return f"{obj.deadline:%Y-%m-%d}{extended} - {state}"

    @admin.display(description=_("background job"))
    def job_display(self, obj: DataSubjectRequest) -> str:
        """The latest fulfilment job: running, done, being run again or failed, and why."""
        state = selectors.fulfilment_job_states([obj.pk]).get(obj.pk)
        if state is None:
            return "-"
        return state.describe(selectors.last_retry_reason(obj.pk))

    @admin.display(description=_("actions"))
    def action_links(self, obj: DataSubjectRequest) -> str:
        links = [
            (reverse("admin:rights_datasubjectrequest_action", args=[obj.pk, key]), label)
            for key, (label, _perm, _fields, _call) in ACTIONS.items()
            if APPLIES[key](obj)
        ]
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def create(self, *, actor: Actor, values: dict[str, Any]) -> DataSubjectRequest:
        return services.submit_request(
            actor=actor,
            request_type=values["request_type"],
            email=values["contact_email"],
            language=values.get("language", "nb"),
            channel=values["received_channel"],
            details=values.get("details", ""),
            destination_url=values.get("destination_url", ""),
            objection_scopes=values.get("objection_scope_choices", []),
            consent_purposes=values.get("consent_purposes", []),
            verification_note=values.get("verification_note", ""),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service set the purposes."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and self.has_view_permission(request, obj):
                log_viewed(actor=Actor.from_request(request), request=obj, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/act/<str:action>/",
                self.admin_site.admin_view(self.action_view),
                name="rights_datasubjectrequest_action",
            ),
            *super().get_urls(),
        ]

    def action_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise PermissionDenied
        label, perm, fields, call = ACTIONS[action]
        if not request.user.has_perm(perm):
            raise PermissionDenied
        obj = get_object_or_404(DataSubjectRequest, pk=pk)
        form_class = type("ActionForm", (forms.Form,), dict(fields))
        # Bound on any POST, also one with no fields (an action without input).
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                call(Actor.from_request(request), obj, form.cleaned_data)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                self.message_user(
                    request, _("Done: %(action)s.") % {"action": label}, messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:rights_datasubjectrequest_change", args=[obj.pk])
                )
        return TemplateResponse(
            request,
            "admin/rights/action.html",
            {
                **self.admin_site.each_context(request),
                "title": label,
                "form": form,
                "obj": obj,
                "opts": self.model._meta,
                "status_open": obj.status in RequestStatus.open(),
            },
        )


from . import admin_manual  # noqa: E402, F401 - manual sources and tasks
