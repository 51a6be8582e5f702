"""Screening and impact assessments: each write validated and audited in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError, FieldError, collect
from personvern.processing.models import ProcessingActivity

from . import criteria as lists
from .choices import AssessmentsErrorCode, Level, ResidualRisk
from .models import ImpactAssessment, Screening

DPIA_FIELDS = ("description", "necessity", "risks", "measures", "residual_risk", "dpo_advice",
               "review_on", "prior_consultation_on", "prior_consultation_reference")  # fmt: skip


@transaction.atomic
def screen_activity(
    *,
    actor: Actor,
    activity: ProcessingActivity,
    criteria: list[str],
    listed_kinds: list[str],
    reasoning: str = "",
) -> Screening:
    """Record which WP248 criteria the activity meets and which listed kinds it is."""
    errors = [
        FieldError("criteria", AssessmentsErrorCode.UNKNOWN_CRITERION,
                   _("Unknown WP248 criterion: %(key)s.") % {"key": key})
        for key in criteria if key not in lists.wp248().items
    ] + [
        FieldError("listed_kinds", AssessmentsErrorCode.UNKNOWN_LISTED_KIND,
                   _("Not on Datatilsynet's list: %(key)s.") % {"key": key})
        for key in listed_kinds if key not in lists.datatilsynet_list().items
    ]  # fmt: skip
    collect(errors)
    criteria, listed_kinds = sorted(set(criteria)), sorted(set(listed_kinds))
    screening, _created = Screening.objects.update_or_create(
        activity=activity,
        defaults={
            "criteria": criteria,
            "listed_kinds": listed_kinds,
            "reasoning": reasoning,
            "needs_dpia": lists.needs_dpia(criteria, listed_kinds),
            "screened_at": timezone.now(),
            "screened_by": actor.label,
        },
    )
    record(
        actor=actor,
        event=AuditEventType.SCREENING_RECORDED,
        obj=activity,
        detail={"criteria": len(criteria), "listed": len(listed_kinds),
                "needs_dpia": screening.needs_dpia},
    )  # fmt: skip
    return screening


def _check_risks(risks: Any) -> None:
    valid = isinstance(risks, list) and all(
        isinstance(r, dict) and str(r.get("risk", "")).strip()
        and r.get("likelihood") in Level.values and r.get("severity") in Level.values
        for r in risks
    )  # fmt: skip
    if not valid:
        raise DomainError(
            code=AssessmentsErrorCode.INVALID_RISK,
            message=_("Each risk needs a text, a likelihood and a severity from 1 to 4."),
            field="risks",
        )


@transaction.atomic
def start_dpia(
    *, actor: Actor, activity: ProcessingActivity, values: dict[str, Any] | None = None
) -> ImpactAssessment:
    values = {k: v for k, v in (values or {}).items() if k in DPIA_FIELDS}
    if "risks" in values:
        _check_risks(values["risks"])
    dpia = ImpactAssessment.objects.create(activity=activity, **values)
    record(actor=actor, event=AuditEventType.DPIA_CREATED, obj=dpia, fields=sorted(values))
    return dpia


@transaction.atomic
def update_dpia(
    *, actor: Actor, dpia: ImpactAssessment, changes: dict[str, Any]
) -> ImpactAssessment:
    dpia = ImpactAssessment.objects.select_for_update().get(pk=dpia.pk)
    if dpia.signed_off_at is not None:
        raise DomainError(
            code=AssessmentsErrorCode.ALREADY_SIGNED_OFF,
            message=_("A signed-off assessment is not changed: start a new one to revise it."),
        )
    changed = [k for k, v in changes.items() if k in DPIA_FIELDS and getattr(dpia, k) != v]
    if "risks" in changed:
        _check_risks(changes["risks"])
    for name in changed:
        setattr(dpia, name, changes[name])
    if changed:
        dpia.save()
        record(actor=actor, event=AuditEventType.DPIA_CHANGED, obj=dpia, fields=changed)
    return dpia


def _sign_off_errors(dpia: ImpactAssessment) -> list[FieldError]:
    required = {
        "description": _("Describe the processing systematically."),
        "necessity": _("Assess necessity and proportionality."),
        "risks": _("Name at least one risk to the people."),
        "measures": _("Name the measures that address the risks."),
        "residual_risk": _("State the residual risk."),
        "dpo_advice": _("Record the advice of the data-protection officer or contact."),
        "review_on": _("Set a review date."),
    }
    errors = [
        FieldError(name, AssessmentsErrorCode.INCOMPLETE, message)
        for name, message in required.items() if not getattr(dpia, name)
    ]  # fmt: skip
    if dpia.residual_risk == ResidualRisk.HIGH and not dpia.prior_consultation_on:
        errors.append(FieldError(
            "prior_consultation_on", AssessmentsErrorCode.PRIOR_CONSULTATION_REQUIRED,
            _("The residual risk is high: record the prior consultation with Datatilsynet "
              "(Art. 36) first."),
        ))  # fmt: skip
    return errors


@transaction.atomic
def sign_off_dpia(*, actor: Actor, dpia: ImpactAssessment) -> ImpactAssessment:
    dpia = ImpactAssessment.objects.select_for_update().get(pk=dpia.pk)
    if dpia.signed_off_at is not None:
        return dpia
    collect(_sign_off_errors(dpia))
    dpia.signed_off_at = timezone.now()
    dpia.signed_off_by = actor.label
    dpia.save(update_fields=["signed_off_at", "signed_off_by"])
    record(actor=actor, event=AuditEventType.DPIA_SIGNED_OFF, obj=dpia,
           fields=["signed_off_at"])  # fmt: skip
    return dpia
