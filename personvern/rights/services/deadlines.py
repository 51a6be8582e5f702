"""Deadlines: extension by the privacy officer, refusal, and reminders to staff.

GDPR Art. 12(3): answer within one month (the organisation's deadline, 30 days by default),
extendable by two further months where necessary, the person being told within the first
period with the reasons. Art. 12(5): a manifestly unfounded or excessive request may be
refused, with the reasons and the right to complain to the supervisory authority."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.accounts.models import User
from personvern.core.actors import Actor
from personvern.core.config import portal_url
from personvern.core.dates import add_months
from personvern.core.errors import DomainError

from .. import config, letters
from ..choices import EventKind, RequestStatus, RightsErrorCode
from ..models import DataSubjectRequest
from ..selectors import due_within
from .common import letter, lock, require_open, require_perm, require_text
from .events import log

MAX_EXTENSION_MONTHS = 2
REMINDER_ACTOR = Actor.for_system("rights-reminders")


def latest_extension(request: DataSubjectRequest) -> datetime.date:
    return add_months(request.due_on, MAX_EXTENSION_MONTHS)


@transaction.atomic
def extend_deadline(
    *, actor: Actor, request: DataSubjectRequest, until: datetime.date, reason: str
) -> DataSubjectRequest:
    require_perm(actor, "rights.extend_datasubjectrequest")
    request = lock(request.pk)
    require_open(request)
    reason = require_text(
        reason,
        field="reason",
        code=RightsErrorCode.REASON_REQUIRED,
        message=_("Give the reason for the extension."),
    )
    if timezone.localdate() > request.due_on:
        raise DomainError(
            code=RightsErrorCode.EXTENSION_TOO_LATE,
            field="until",
            message=_("The first due date has passed: it can no longer be extended."),
        )
    if until <= request.deadline:
        raise DomainError(
            code=RightsErrorCode.EXTENSION_NOT_LATER,
            field="until",
            message=_("The new date must be after the current due date."),
        )
    if until > latest_extension(request):
        raise DomainError(
            code=RightsErrorCode.EXTENSION_TOO_LONG,
            field="until",
            message=_("At most two further months: %(date)s at the latest.")
            % {"date": latest_extension(request).isoformat()},
        )
    request.extended_until = until
    request.extension_reason = reason
    request.save(update_fields=["extended_until", "extension_reason"])
    log(
        request=request,
        kind=EventKind.EXTENDED,
        actor=actor,
        detail={"until": until.isoformat()},
        fields=("extended_until", "extension_reason"),
    )
    letter(request=request, name="extended", actor=actor, context={"reason": reason})
    return request


@transaction.atomic
def refuse_request(*, actor: Actor, request: DataSubjectRequest, reason: str) -> DataSubjectRequest:
    """Refuse as manifestly unfounded or excessive; the reason is recorded and sent."""
    require_perm(actor, "rights.refuse_datasubjectrequest")
    request = lock(request.pk)
    require_open(request)
    reason = require_text(
        reason,
        field="reason",
        code=RightsErrorCode.REASON_REQUIRED,
        message=_("Give the reason for the refusal."),
    )
    request.status = RequestStatus.REFUSED
    request.refusal_reason = reason
    request.completed_at = timezone.now()
    request.save(update_fields=["status", "refusal_reason", "completed_at"])
    log(request=request, kind=EventKind.REFUSED, actor=actor, fields=("refusal_reason",))
    letter(request=request, name="refused", actor=actor, context={"reason": reason})
    return request


def staff_to_remind() -> list[str]:
    """Active staff who handle requests and have an address."""
    users = User.objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(u.email for u in users if u.has_perm("rights.change_datasubjectrequest"))


@transaction.atomic
def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """One e-mail to staff listing open requests due within ``RIGHTS_DUE_SOON_DAYS`` or
    overdue (references, types and dates only). Once a day per request: a rerun sends nothing.

    The mail is sent while the requests are locked, and they are marked as reminded only once
    it has gone: if the mail server refuses, nothing is marked and the next run tries again."""
    today = today or timezone.localdate()
    due = list(
        due_within(config.due_soon_days(), today=today)
        .exclude(last_reminded_on=today)
        .select_for_update(of=("self",))
    )
    recipients = staff_to_remind()
    if not due or not recipients:
        return 0
    rows = [
        {
            "reference": r.reference,
            "type": r.get_request_type_display(),
            "deadline": r.deadline,
            "days_left": (r.deadline - today).days,
            "days_over": (today - r.deadline).days,
            "url": portal_url() + reverse("admin:rights_datasubjectrequest_change", args=[r.pk]),
        }
        for r in due
    ]
    try:
        letters.send_staff(recipients, "staff_reminder", {"rows": rows, "today": today})
    except DomainError:
        return 0  # logged without addresses; the next run sends it
    for request in due:
        request.last_reminded_on = today
        request.save(update_fields=["last_reminded_on"])
        log(
            request=request,
            kind=EventKind.REMINDED,
            actor=REMINDER_ACTOR,
            detail={"days_left": (request.deadline - today).days},
        )
    return len(due)
