"""What the scanner found, where, and what the privacy officer decided; the policy of each
scanned field; and how far each table's scan has come. A finding names the record, the field
and the character span: never the value found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Article9Basis, FieldPolicyAction, FindingKind, FindingStatus


class FindingSource(models.TextChoices):
    WRITE = "write", _("On write")
    SCAN = "scan", _("Scan of stored data")


class Finding(models.Model):
    target = models.CharField(
        _("table"),
        max_length=120,
        help_text=_(
            "The record's model, e.g. register.interaction, or an external source's dataset:table."
        ),
    )
    object_id = models.CharField(_("record id"), max_length=200)
    field = models.CharField(_("field"), max_length=100)
    subject_id = models.IntegerField(
        _("person id"), null=True, blank=True, help_text=_("The person the record is about.")
    )
    start = models.PositiveIntegerField(_("start"), help_text=_("First character of the span."))
    end = models.PositiveIntegerField(_("end"), help_text=_("Character after the span."))
    kind = models.CharField(_("kind"), max_length=30, choices=FindingKind.choices)
    confidence = models.FloatField(_("confidence"))
    rule = models.CharField(_("rule"), max_length=200, help_text=_("The rule that matched."))
    source = models.CharField(
        _("found"), max_length=10, choices=FindingSource.choices, default=FindingSource.WRITE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    basis = models.CharField(
        _("legal basis"), max_length=10, choices=Article9Basis.choices, blank=True
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the finding may be kept (for an accepted one).")
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-found_at", "-pk"]
        permissions = [("review_finding", _("Can review findings (redact, delete, accept)"))]
        indexes = [
            models.Index(fields=["target", "object_id", "field"], name="pii_finding_place"),
            models.Index(fields=["status", "kind"], name="pii_finding_status_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.target}.{self.field} #{self.object_id}"


class FieldPolicy(models.Model):
    """What a write of a scanned field does when the scanner finds something. A field without
    a policy warns."""

    target = models.CharField(_("table"), max_length=100)
    field = models.CharField(_("field"), max_length=100)
    action = models.CharField(
        _("action"), max_length=10, choices=FieldPolicyAction.choices, default="warn"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("field policy")
        verbose_name_plural = _("field policies")
        ordering = ["target", "field"]
        constraints = [
            models.UniqueConstraint(fields=["target", "field"], name="pii_policy_unique_field")
        ]

    def __str__(self) -> str:
        return f"{self.target}.{self.field}: {self.get_action_display()}"


class ScanProgress(models.Model):
    """How far ``personvern pii scan`` came through a table: a stopped scan resumes after
    ``last_id`` (an external table: after ``last_key``, its primary key as read); a finished
    one starts over on the next run."""

    target = models.CharField(_("table"), max_length=120, unique=True)
    last_id = models.BigIntegerField(_("last record scanned"), default=0)
    last_key = models.JSONField(_("last key scanned"), null=True, blank=True)
    scanned = models.PositiveIntegerField(_("records scanned"), default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("scan progress")
        verbose_name_plural = _("scan progress")

    def __str__(self) -> str:
        return self.target
