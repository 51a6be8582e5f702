"""The audit trail: append-only and hash-chained. No code path updates or deletes an entry; on
PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE as well, so a bug or a shell session
cannot rewrite history, and each entry's hash (``chain.py``) makes an edit by whoever runs the
database visible to ``personvern audit verify``."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, AuditEventType


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what to which object, which fields, when and from where — never the values."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff user"),
    )
    actor_label = models.CharField(
        _("actor"), max_length=150, help_text=_("Username, or system:<job> for background work.")
    )
    event_type = models.CharField(
        _("event"),
        max_length=64,
        choices=AuditEventType.choices,
        db_index=True,
        help_text=_("What happened, by name (docs/audit.md)."),
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(
        _("object type"), max_length=100, help_text=_("app_label.model of the object touched.")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    subject_id = models.BigIntegerField(
        _("data subject id"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The person whose data this was, if any."),
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(
        _("detail"),
        default=dict,
        blank=True,
        help_text=_("Counts, formats, reasons; no personal data."),
    )
    sequence = models.PositiveBigIntegerField(_("sequence"), null=True, unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        permissions = [("export_auditentry", _("Can export the audit log"))]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_event_type_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")


class AuditHead(models.Model):
    """The end of the audit chain. Every entry locks this one row, so writers in any number of
    processes chain their entries one after another."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit log head")

    def __str__(self) -> str:
        return f"#{self.last_sequence}"
