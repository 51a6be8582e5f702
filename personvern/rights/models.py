"""Data subject requests, their single-use tokens and their timeline.

Writes go through ``services``. A request keeps its own record after an erasure (the person
link is cleared, the bare ``subject_id`` stays) because the organisation must be able to show
that it answered, when and how (GDPR Art. 5(2) and 12)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.processing.models import ProcessingActivity, Processor
from personvern.register.models import Person

from .choices import (
    EventKind,
    Language,
    ManualTaskStatus,
    ReceivedChannel,
    RequestStatus,
    RequestType,
    TaskStep,
    TokenPurpose,
    VerificationMethod,
)


class DataSubjectRequest(models.Model):
    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        editable=False,
        help_text=_("Random and unguessable; the person quotes it in any reply."),
    )
    request_type = models.CharField(_("type"), max_length=30, choices=RequestType.choices)
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=RequestStatus.choices,
        default=RequestStatus.AWAITING_VERIFICATION,
        db_index=True,
    )
    contact_email = models.CharField(
        _("contact e-mail"), max_length=254, help_text=_("Where the replies go.")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.NB
    )
    received_channel = models.CharField(
        _("received through"), max_length=20, choices=ReceivedChannel.choices
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken down by"),
        help_text=_("The staff member who entered a request received by phone, letter or e-mail."),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    due_on = models.DateField(
        _("due"), help_text=_("Received plus the organisation's request deadline.")
    )
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rights_requests",
        verbose_name=_("person"),
        help_text=_("Matched by the e-mail address after verification."),
    )
    subject_id = models.BigIntegerField(
        _("data subject id"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The matched person's id; kept when the person is erased."),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_method = models.CharField(
        _("verified by"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    details = models.TextField(
        _("details"), blank=True, help_text=_("What the person asked for, in their words.")
    )
    destination_url = models.URLField(
        _("send to (another controller)"),
        blank=True,
        max_length=500,
        help_text=_("Portability: HTTPS address the data is POSTed to as JSON."),
    )
    objection_scopes = models.JSONField(
        _("objection to"),
        default=list,
        blank=True,
        help_text=_("direct_marketing and/or legitimate_interest."),
    )
    consent_purposes = models.ManyToManyField(
        ProcessingActivity,
        blank=True,
        related_name="+",
        verbose_name=_("consents to withdraw"),
        help_text=_("Empty: every consent."),
    )
    compelling_grounds = models.TextField(
        _("compelling legitimate grounds"),
        blank=True,
        help_text=_(
            "Recorded by the privacy officer when processing continues despite an objection."
        ),
    )
    objection_decided_at = models.DateTimeField(_("objection decided"), null=True, blank=True)
    lift_announced_at = models.DateTimeField(
        _("lifting of the restriction announced"), null=True, blank=True
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    result = models.JSONField(
        _("result"),
        default=dict,
        blank=True,
        help_text=_("What was done where: counts, kept records, delivery receipt."),
    )
    source_states = models.JSONField(
        _("data source progress"),
        default=dict,
        blank=True,
        help_text=_("Per data source: pending or done, and its report (erasure resumes here)."),
    )
    package_name = models.CharField(_("package file"), max_length=300, blank=True, editable=False)
    last_reminded_on = models.DateField(_("staff last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("verify_datasubjectrequest", _("Can verify a request by other means")),
            ("extend_datasubjectrequest", _("Can extend a request's deadline")),
            ("refuse_datasubjectrequest", _("Can refuse a request as unfounded or excessive")),
            (
                "decide_datasubjectrequest",
                _("Can decide objections and lift restrictions"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def deadline(self) -> datetime.date:
        """The date the answer is due: the extension if there is one."""
        return self.extended_until or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in RequestStatus.open()


class RequestToken(models.Model):
    """A single-use, expiring link. Only the SHA-256 of the token is stored: a copy of the
    database cannot be used to verify or download anything."""

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(_("purpose"), max_length=20, choices=TokenPurpose.choices)
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("request link")
        verbose_name_plural = _("request links")

    def __str__(self) -> str:
        return f"{self.purpose} {self.digest[:8]}…"


class RequestEvent(models.Model):
    """One step in a request's timeline. The detail holds codes and counts, never values."""

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=30, choices=EventKind.choices)
    actor_label = models.CharField(_("by"), max_length=150)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request timeline")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class OutgoingLetter(models.Model):
    """A letter to the person, written in the transaction that decided it and sent after it
    commits (an outbox). A process that dies between the commit and the send leaves the row
    pending, and the next run of ``send_pending`` sends it: a letter may go twice (the mail
    server took it, the process died before marking it), never not at all. Once sent, the
    address and the text are cleared; what letter went, and when, stays."""

    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.CASCADE, related_name="letters"
    )
    name = models.CharField(_("letter"), max_length=60)
    recipient = models.CharField(_("to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.created_at:%Y-%m-%d %H:%M}"


# --- manual sources (issue 11): systems with no API, handled by a named staff member -------


class ManualSource(models.Model):
    """A system no program can reach (a paper archive, a shared mailbox, a SaaS without a
    delete call). Every request creates a task for its staff member, with the instructions
    and a due date before the request's deadline."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    instructions = models.TextField(
        _("instructions"),
        help_text=_("What the staff member does for a request: where to look, what to erase."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible staff member"),
    )
    lead_days = models.PositiveSmallIntegerField(
        _("days before the deadline"),
        default=5,
        help_text=_("The task is due this many days before the request's deadline."),
    )
    enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("manual data source")
        verbose_name_plural = _("manual data sources")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class ManualTask(models.Model):
    """One request's step in one manual source: the request's own part, or a restriction
    put in place or lifted outside it (``step``)."""

    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.CASCADE, related_name="manual_tasks"
    )
    step = models.CharField(
        _("task"),
        max_length=20,
        choices=TaskStep.choices,
        default=TaskStep.REQUEST,
        blank=True,
        help_text=_("The request itself, or a restriction put in place or lifted outside it."),
    )
    source = models.ForeignKey(
        ManualSource, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("source")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible staff member"),
    )
    instructions = models.TextField(_("instructions"))
    due_on = models.DateField(_("due"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ManualTaskStatus.choices,
        default=ManualTaskStatus.OPEN,
        db_index=True,
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("What was done, or why it is kept (required then).")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.CharField(_("closed by"), max_length=150, blank=True)
    last_reminded_on = models.DateField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("manual task")
        verbose_name_plural = _("manual tasks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "source", "step"], name="rights_one_task_per_source_and_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.source.name}"


# --- GDPR Art. 19 (issue 11): recipients told of a rectification, erasure or restriction ----


class Art19Recipient(models.Model):
    """Whom to tell when a person's data is rectified, erased or restricted: a processor, or
    another recipient of the activities named, at an address and in a language."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail for notices"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.NB
    )
    processor = models.ForeignKey(
        Processor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("processor"),
        help_text=_("Told whenever an activity it processes for concerns the person."),
    )
    activities = models.ManyToManyField(
        ProcessingActivity,
        blank=True,
        related_name="+",
        verbose_name=_("activities"),
        help_text=_("For a recipient that is not a processor: the activities it receives from."),
    )
    enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("Art. 19 recipient")
        verbose_name_plural = _("Art. 19 recipients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Art19Notice(models.Model):
    """One recipient told of one request's outcome: the letter (sent through the outbox, its
    time there) and the SHA-256 of what was sent."""

    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.CASCADE, related_name="art19_notices"
    )
    recipient = models.ForeignKey(Art19Recipient, on_delete=models.PROTECT, related_name="notices")
    letter = models.ForeignKey(OutgoingLetter, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("Art. 19 notice")
        verbose_name_plural = _("Art. 19 notices")
        ordering = ["request", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "recipient"], name="rights_one_notice_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.recipient.name}"
