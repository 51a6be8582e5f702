"""The breach register (GDPR Art. 33(5)): every personal-data breach, notified or not, with
its notifications to Datatilsynet in phases, the reminders of the 72 hours, the letters to the
people affected, the notices to client controllers, and the security signals that may be one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.clients.models import ClientController
from personvern.processing.models import DataCategory, ProcessingActivity
from personvern.register.models import Person

from .choices import BreachRisk, BreachStatus, DiscoveryMethod, NotificationPhase, SignalKind


class Breach(models.Model):
    title = models.CharField(
        _("title"), max_length=200, help_text=_("Short, without personal data.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BreachStatus.choices, default=BreachStatus.OPEN,
        editable=False,
    )  # fmt: skip
    what_happened = models.TextField(_("what happened"))
    cause = models.TextField(_("main cause and how it happened"), blank=True)
    began_at = models.DateTimeField(_("began"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    aware_at = models.DateTimeField(
        _("became aware"),
        help_text=_("When the firm became aware of the breach: the 72 hours count from here."),
    )
    discovered_how = models.CharField(
        _("how it was found"), max_length=20, choices=DiscoveryMethod.choices,
        default=DiscoveryMethod.STAFF,
    )  # fmt: skip
    systems = models.TextField(_("systems concerned"), blank=True)
    activities = models.ManyToManyField(
        ProcessingActivity, blank=True, related_name="breaches",
        verbose_name=_("processing activities concerned"),
    )  # fmt: skip
    data_categories = models.ManyToManyField(
        DataCategory, blank=True, related_name="+", verbose_name=_("categories of data")
    )
    subject_categories = models.JSONField(
        _("categories of people"), default=list, blank=True,
        help_text=_("Register categories, e.g. customer_contact, employee."),
    )  # fmt: skip
    approx_people = models.PositiveIntegerField(_("approximate number of people"), null=True, blank=True)  # noqa: E501
    approx_records = models.PositiveIntegerField(_("approximate number of records"), null=True, blank=True)  # noqa: E501
    data_whereabouts = models.TextField(_("where the data is after the breach"), blank=True)
    likely_consequences = models.TextField(_("likely consequences"), blank=True)
    measures_taken = models.TextField(_("measures taken"), blank=True)
    measures_proposed = models.TextField(_("measures proposed"), blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("handled by"),
    )  # fmt: skip
    risk = models.CharField(
        _("risk"), max_length=12, choices=BreachRisk.choices, default=BreachRisk.UNASSESSED,
    )  # fmt: skip
    risk_reasoning = models.TextField(_("reasoning of the risk assessment"), blank=True)
    risk_assessed_at = models.DateTimeField(_("risk assessed"), null=True, blank=True, editable=False)  # noqa: E501
    delay_reasons = models.TextField(
        _("reasons for the delay"), blank=True, editable=False,
        help_text=_("Required when the initial notification is later than 72 hours (Art. 33(1))."),
    )  # fmt: skip
    public_notice_at = models.DateTimeField(
        _("public notice"), null=True, blank=True,
        help_text=_("Instead of letters, when they would be disproportionate (Art. 34(3)(c))."),
    )  # fmt: skip
    public_notice_where = models.TextField(_("where the notice was published"), blank=True)
    clients = models.ManyToManyField(
        ClientController, blank=True, related_name="breaches",
        verbose_name=_("client controllers concerned"),
        help_text=_("When the firm is the processor: the clients whose data is concerned (Art. 33(2))."),  # noqa: E501
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("breach register")
        ordering = ["-aware_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class BreachNotification(models.Model):
    """One phase of the notification to Datatilsynet (Art. 33(4))."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="notifications")
    phase = models.CharField(_("phase"), max_length=10, choices=NotificationPhase.choices)
    submitted_at = models.DateTimeField(_("submitted"))
    reference = models.CharField(_("Datatilsynet's reference"), max_length=100, blank=True)
    summary = models.TextField(_("what was sent"), blank=True)
    late = models.BooleanField(_("after 72 hours"), default=False)
    recorded_by = models.CharField(_("recorded by"), max_length=150)

    class Meta:
        verbose_name = _("notification to Datatilsynet")
        verbose_name_plural = _("notifications to Datatilsynet")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.submitted_at:%Y-%m-%d %H:%M}"


class BreachReminder(models.Model):
    """A reminder of the 72 hours sent to the privacy officer: one per breach and point."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="reminders")
    hours_left = models.IntegerField(_("hours left"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["breach", "hours_left"], name="breaches_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.breach_id}: {self.hours_left} h"


class BreachLetter(models.Model):
    """A letter to a person affected (Art. 34), sent through an outbox: written in the
    transaction that decided it, sent after commit, and sent again by the periodic job if
    the process died. The address and text are cleared once it went."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="letters")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2)
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter to a person affected")
        verbose_name_plural = _("letters to people affected")
        constraints = [
            models.UniqueConstraint(fields=["breach", "person"], name="breaches_letter_once")
        ]

    def __str__(self) -> str:
        return f"{self.breach_id}: {self.language} {self.created_at:%Y-%m-%d}"


class ClientNotification(models.Model):
    """A client controller told of a breach by the firm as its processor (Art. 33(2))."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="client_notices")
    client = models.ForeignKey(ClientController, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"))
    recorded_by = models.CharField(_("recorded by"), max_length=150)

    class Meta:
        verbose_name = _("notice to a client controller")
        verbose_name_plural = _("notices to client controllers")
        constraints = [
            models.UniqueConstraint(fields=["breach", "client"], name="breaches_client_once")
        ]

    def __str__(self) -> str:
        return f"{self.breach_id}: {self.client_id}"


class SecuritySignal(models.Model):
    """A possible incident from the security log, shown to the security role; opened as a
    breach with one action, or dismissed. ``key`` makes the scan safe to run again; the
    summary holds no address or name (a blocked network is shown masked)."""

    kind = models.CharField(_("kind"), max_length=30, choices=SignalKind.choices)
    key = models.CharField(max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    count = models.PositiveIntegerField(_("events"), default=1)
    breach = models.ForeignKey(
        Breach, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals",
        verbose_name=_("opened as breach"),
    )  # fmt: skip
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismissed_by = models.CharField(_("dismissed by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("security signal")
        verbose_name_plural = _("security signals")
        ordering = ["-last_seen", "-pk"]

    def __str__(self) -> str:
        return self.summary
