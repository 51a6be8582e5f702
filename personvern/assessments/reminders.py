"""The privacy officer is told by e-mail, once per review date, when a signed-off DPIA's
review falls due within 30 days. Safe to run again: a reminder is claimed with a conditional
update before it is sent, and released if the mail server refuses it."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.mail import mail_staff
from personvern.organisation.selectors import get_controller

from .models import ImpactAssessment
from .selectors import due_for_review

logger = logging.getLogger(__name__)
REMINDER_ACTOR = Actor.for_system("dpia-review-reminders")


def send_review_reminders(today: datetime.date | None = None) -> int:
    org = get_controller()
    if org is None:
        return 0
    sent = 0
    for dpia in due_for_review(today).order_by("pk"):
        review_on = dpia.review_on
        if review_on is None:  # the selector asks for one; for the type checker
            continue
        claimed = ImpactAssessment.objects.filter(pk=dpia.pk).exclude(
            review_reminded_for=review_on
        ).update(review_reminded_for=review_on)
        if not claimed:
            continue
        mailed = mail_staff(
            to=org.privacy_contact_email, template="assessments/review_reminder.txt",
            context={"dpia": dpia}, logger=logger, what=f"DPIA review reminder {dpia.pk}",
        )  # fmt: skip
        if not mailed:
            ImpactAssessment.objects.filter(pk=dpia.pk).update(review_reminded_for=None)
            continue
        with transaction.atomic():
            record(actor=REMINDER_ACTOR, event=AuditEventType.DPIA_REVIEW_REMINDED, obj=dpia,
                   detail={"review_on": review_on.isoformat()})  # fmt: skip
        sent += 1
    return sent


