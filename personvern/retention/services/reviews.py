"""Closing a review flag once a person has looked at the record."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor

from ..models import ReviewFlag


@transaction.atomic
def mark_reviewed(*, actor: Actor, flag: ReviewFlag) -> ReviewFlag:
    if flag.reviewed_at is None:
        flag.reviewed_at = timezone.now()
        flag.reviewed_by_label = actor.label
        flag.save(update_fields=["reviewed_at", "reviewed_by_label"])
        record(actor=actor, event=AuditEventType.REVIEW_DONE, obj=flag, fields=["reviewed_at"])
    return flag
