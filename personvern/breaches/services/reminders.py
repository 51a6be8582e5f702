"""Reminders of the 72 hours to the privacy officer, by e-mail, at set points before the
deadline (``clock.REMINDER_HOURS_LEFT``) and when it has passed. Run every few minutes by the
scheduler; safe to run again: each point is claimed by inserting its row (unique per breach
and point) before the mail goes, and released if the mail server refuses it. A job that was
down sends one mail for the most urgent point reached and marks the earlier ones as covered."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.mail import mail_staff
from personvern.organisation.selectors import get_controller

from .. import clock
from ..models import BreachReminder
from ..selectors import awaiting_notification

logger = logging.getLogger(__name__)
REMINDER_ACTOR = Actor.for_system("breach-reminders")


def send_reminders(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    org = get_controller()
    if org is None:
        return 0
    sent = 0
    for breach in awaiting_notification():
        done = set(breach.reminders.values_list("hours_left", flat=True))
        due = [h for h in clock.reminder_points_due(breach.aware_at, now) if h not in done]
        if not due:
            continue
        urgent = min(due)
        try:
            with transaction.atomic():
                rows = [BreachReminder.objects.create(breach=breach, hours_left=h) for h in due]
        except IntegrityError:  # another run claimed them
            continue
        context = {
            "breach": breach,
            "hours_left": urgent,
            "time_left": clock.hours_left_label(breach.aware_at, now),
            "deadline": clock.in_oslo(clock.deadline(breach.aware_at)),
        }
        mailed = mail_staff(
            to=org.privacy_contact_email, template="breaches/reminder.txt", context=context,
            logger=logger, what=f"breach reminder {breach.pk}",
        )  # fmt: skip
        if not mailed:
            BreachReminder.objects.filter(pk__in=[r.pk for r in rows]).delete()
            continue
        with transaction.atomic():
            BreachReminder.objects.filter(pk__in=[r.pk for r in rows]).update(sent_at=now)
            record(actor=REMINDER_ACTOR, event=AuditEventType.BREACH_REMINDED, obj=breach,
                   detail={"hours_left": urgent})  # fmt: skip
        sent += 1
    return sent
