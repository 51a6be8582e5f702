"""The breach register's writes (Art. 33(5)): recording, changing, assessing the risk,
notifying Datatilsynet in phases, a public notice instead of letters, closing. Each audited
in its own transaction, with field names only."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError, FieldError, collect
from personvern.register.choices import SubjectCategory

from .. import clock
from ..choices import BreachErrorCode, BreachRisk, BreachStatus, NotificationPhase
from ..models import Breach, BreachNotification

TEXT_FIELDS = ("title", "what_happened", "cause", "began_at", "ended_at", "aware_at",
               "discovered_how", "systems", "subject_categories", "approx_people",
               "approx_records", "data_whereabouts", "likely_consequences", "measures_taken",
               "measures_proposed", "handler")  # fmt: skip
M2M_FIELDS = ("activities", "data_categories", "clients")
EARLIEST_YEAR = 2000


def _time_error(name: str, value: datetime.datetime | None) -> FieldError | None:
    """A time of a breach has its zone and lies between 2000 and a few minutes from now (the
    bounds also keep the clock's arithmetic away from the calendar's ends)."""
    if value is None:
        return None
    if timezone.is_naive(value):
        return FieldError(name, BreachErrorCode.INVALID_TIMES, _("Give the time with its zone."))
    if not EARLIEST_YEAR <= value.year <= timezone.now().year + 1 or value > _soon():
        return FieldError(name, BreachErrorCode.INVALID_TIMES,
                          _("The time must be after 2000 and not in the future."))  # fmt: skip
    return None


def _soon() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=5)


def _validate(breach: Breach) -> None:
    errors: list[FieldError] = []
    if not breach.title.strip():
        errors.append(FieldError("title", BreachErrorCode.TITLE_REQUIRED, _("Give a title.")))
    for name in ("began_at", "ended_at", "aware_at"):
        error = _time_error(name, getattr(breach, name))
        if error is not None:
            errors.append(error)
    if errors:
        collect(errors)
    if breach.began_at and breach.ended_at and breach.ended_at < breach.began_at:
        errors.append(FieldError("ended_at", BreachErrorCode.INVALID_TIMES,
                                 _("The breach cannot end before it began.")))  # fmt: skip
    if breach.began_at and breach.aware_at < breach.began_at:
        errors.append(FieldError("aware_at", BreachErrorCode.INVALID_TIMES,
                                 _("Awareness cannot come before the breach began.")))  # fmt: skip
    unknown = [c for c in breach.subject_categories if c not in SubjectCategory.values]
    if unknown:
        errors.append(FieldError("subject_categories", BreachErrorCode.INVALID_CATEGORY,
                                 _("Unknown category of people.")))  # fmt: skip
    collect(errors)


def _ensure_open(breach: Breach) -> None:
    if breach.status == BreachStatus.CLOSED:
        raise DomainError(code=BreachErrorCode.CLOSED, message=_("The breach is closed."))


@transaction.atomic
def record_breach(
    *, actor: Actor, values: dict[str, Any], signal_id: int | None = None
) -> Breach:
    breach = Breach(**{k: v for k, v in values.items() if k in TEXT_FIELDS})
    _validate(breach)
    breach.save()
    for name in M2M_FIELDS:
        if name in values:
            getattr(breach, name).set(list(values[name]))
    detail = {"signal": signal_id} if signal_id is not None else {}
    record(actor=actor, event=AuditEventType.BREACH_RECORDED, obj=breach,
           fields=sorted(values), detail=detail)  # fmt: skip
    return breach


@transaction.atomic
def update_breach(*, actor: Actor, breach: Breach, changes: dict[str, Any]) -> Breach:
    _ensure_open(breach)
    changed: list[str] = []
    for name, value in changes.items():
        if name in M2M_FIELDS:
            if {o.pk for o in getattr(breach, name).all()} != {o.pk for o in value}:
                getattr(breach, name).set(list(value))
                changed.append(name)
        elif name in TEXT_FIELDS and getattr(breach, name) != value:
            setattr(breach, name, value)
            changed.append(name)
    if changed:
        _validate(breach)
        breach.save()
        record(actor=actor, event=AuditEventType.BREACH_CHANGED, obj=breach, fields=changed)
    return breach


@transaction.atomic
def assess_risk(*, actor: Actor, breach: Breach, risk: str, reasoning: str) -> Breach:
    """Record the risk assessment and its reasoning (required, also for "unlikely")."""
    _ensure_open(breach)
    if not reasoning.strip():
        raise DomainError(code=BreachErrorCode.REASONING_REQUIRED,
                          message=_("Give the reasoning behind the assessment."),
                          field="risk_reasoning")  # fmt: skip
    if risk not in BreachRisk.values or risk == BreachRisk.UNASSESSED:
        raise DomainError(code=BreachErrorCode.REASONING_REQUIRED,
                          message=_("Choose a risk level."), field="risk")  # fmt: skip
    breach.risk, breach.risk_reasoning = risk, reasoning
    breach.risk_assessed_at = timezone.now()
    breach.save(update_fields=["risk", "risk_reasoning", "risk_assessed_at"])
    record(actor=actor, event=AuditEventType.BREACH_RISK_ASSESSED, obj=breach,
           fields=["risk", "risk_reasoning"], detail={"risk": risk})  # fmt: skip
    return breach


@transaction.atomic
def record_notification(
    *,
    actor: Actor,
    breach: Breach,
    phase: str,
    submitted_at: datetime.datetime,
    reference: str = "",
    summary: str = "",
    delay_reasons: str = "",
) -> BreachNotification:
    """Record a notification submitted in Datatilsynet's online form: its time and the
    reference Datatilsynet gave. An initial notification after 72 hours needs the reasons
    for the delay (Art. 33(1)); follow-ups (Art. 33(4)) come after an initial one."""
    phase = NotificationPhase(phase)
    error = _time_error("submitted_at", submitted_at)
    if error is None and submitted_at < breach.aware_at:
        error = FieldError("submitted_at", BreachErrorCode.INVALID_TIMES,
                           _("A notification cannot come before the firm was aware."))  # fmt: skip
    if error is not None:
        collect([error])
    has_initial = breach.notifications.filter(phase=NotificationPhase.INITIAL).exists()
    if phase != NotificationPhase.INITIAL and not has_initial:
        raise DomainError(code=BreachErrorCode.INITIAL_FIRST,
                          message=_("Record the initial notification first."), field="phase")
    late = phase == NotificationPhase.INITIAL and clock.is_late(breach.aware_at, submitted_at)
    if late and not (delay_reasons.strip() or breach.delay_reasons.strip()):
        raise DomainError(code=BreachErrorCode.DELAY_REASONS_REQUIRED,
                          message=_("The notification is later than 72 hours after awareness: "
                                    "give the reasons for the delay (Art. 33(1))."),
                          field="delay_reasons")  # fmt: skip
    if delay_reasons.strip():
        breach.delay_reasons = delay_reasons
        breach.save(update_fields=["delay_reasons"])
    notification = BreachNotification.objects.create(
        breach=breach, phase=phase, submitted_at=submitted_at, reference=reference,
        summary=summary, late=late, recorded_by=actor.label,
    )  # fmt: skip
    record(actor=actor, event=AuditEventType.BREACH_NOTIFIED, obj=breach,
           fields=["notifications"], detail={"phase": phase.value, "late": late})  # fmt: skip
    return notification


@transaction.atomic
def record_public_notice(
    *, actor: Actor, breach: Breach, published_at: datetime.datetime, where: str
) -> Breach:
    """Art. 34(3)(c): letters to each person would be disproportionate, so the people are
    told by a public communication instead; record when and where."""
    if breach.risk != BreachRisk.HIGH:
        raise DomainError(code=BreachErrorCode.NOT_HIGH_RISK,
                          message=_("Only a high-risk breach is communicated to the people."))
    if not where.strip():
        raise DomainError(code=BreachErrorCode.REASONING_REQUIRED,
                          message=_("Say where the notice was published."),
                          field="public_notice_where")  # fmt: skip
    error = _time_error("public_notice_at", published_at)
    if error is not None:
        collect([error])
    breach.public_notice_at, breach.public_notice_where = published_at, where
    breach.save(update_fields=["public_notice_at", "public_notice_where"])
    record(actor=actor, event=AuditEventType.BREACH_PUBLIC_NOTICE, obj=breach,
           fields=["public_notice_at", "public_notice_where"])  # fmt: skip
    return breach


@transaction.atomic
def close_breach(*, actor: Actor, breach: Breach) -> Breach:
    if breach.status == BreachStatus.CLOSED:
        return breach
    errors = []
    if breach.risk == BreachRisk.UNASSESSED:
        errors.append(FieldError("risk", BreachErrorCode.REASONING_REQUIRED,
                                 _("Assess the risk before closing.")))  # fmt: skip
    if breach.ended_at is None:
        errors.append(FieldError("ended_at", BreachErrorCode.INVALID_TIMES,
                                 _("Record when the breach ended.")))  # fmt: skip
    collect(errors)
    breach.status, breach.closed_at = BreachStatus.CLOSED, timezone.now()
    breach.save(update_fields=["status", "closed_at"])
    record(actor=actor, event=AuditEventType.BREACH_CLOSED, obj=breach, fields=["status"])
    return breach
