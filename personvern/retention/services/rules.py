"""Creating and changing retention rules. A rule must name its legal source, fit its target
(a trigger and an action the target supports) and never be shorter than the statute."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import FieldError, collect
from personvern.core.records import (
    apply_changes,
    choice_error,
    current_values,
    reject_unknown,
    save_unique,
)
from personvern.core.records import require as require_fields
from personvern.register.choices import SubjectCategory

from ..choices import (
    BookkeepingKind,
    RetentionAction,
    RetentionErrorCode,
    TargetRecord,
    Trigger,
)
from ..models import RetentionRule
from ..periods import Period
from .statutes import BOOKKEEPING_MINIMUM, DUE_DILIGENCE_MINIMUM, shorter_than
from .targets import target_for

RULE_FIELDS = (
    "name",
    "processing_activity",
    "data_category",
    "target",
    "subject_category",
    "bookkeeping_kind",
    "trigger",
    "period_years",
    "period_months",
    "period_days",
    "action",
    "legal_source",
    "active",
)
DEFAULTS: dict[str, Any] = {
    "data_category": None,
    "subject_category": "",
    "bookkeeping_kind": "",
    "period_years": 0,
    "period_months": 0,
    "period_days": 0,
    "active": True,
}


def _error(field: str, code: RetentionErrorCode, message: Any) -> FieldError:
    return FieldError(field=field, code=code, message=message)


def _statutory_minimum(values: Mapping[str, Any]) -> Period | None:
    if values["target"] == TargetRecord.DUE_DILIGENCE_RECORDS:
        return DUE_DILIGENCE_MINIMUM
    if values["target"] == TargetRecord.BOOKKEEPING_RECORDS:
        kinds = (
            [values["bookkeeping_kind"]]
            if values["bookkeeping_kind"]
            else list(BOOKKEEPING_MINIMUM)
        )
        return max((BOOKKEEPING_MINIMUM[k] for k in kinds), key=lambda p: (p.years, p.months))
    return None


# No law asks for longer; a longer period would only be a typing error (a year in the years
# field), and dates before year 1 cannot be computed.
MAXIMUM_PERIOD_YEARS = 100


def clean_rule(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a rule's full set of values; raises with every field error at once."""
    reject_unknown(values, RULE_FIELDS, RetentionErrorCode.UNKNOWN_FIELD)
    cleaned = {**DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
    for name in ("name", "legal_source", "subject_category", "bookkeeping_kind"):
        cleaned[name] = str(cleaned.get(name) or "").strip()
    errors: list[FieldError] = []
    require_fields(cleaned, ["name", "processing_activity", "target", "trigger", "action"], errors)
    choice_error(cleaned, "target", TargetRecord, RetentionErrorCode.INVALID_TARGET, errors)
    choice_error(cleaned, "trigger", Trigger, RetentionErrorCode.INVALID_TRIGGER, errors)
    choice_error(cleaned, "action", RetentionAction, RetentionErrorCode.INVALID_ACTION, errors)
    if cleaned["subject_category"]:
        choice_error(
            cleaned,
            "subject_category",
            SubjectCategory,
            RetentionErrorCode.INVALID_SUBJECT_CATEGORY,
            errors,
        )
    if cleaned["bookkeeping_kind"]:
        choice_error(
            cleaned,
            "bookkeeping_kind",
            BookkeepingKind,
            RetentionErrorCode.INVALID_BOOKKEEPING_KIND,
            errors,
        )
    if not cleaned["legal_source"]:
        errors.append(
            _error(
                "legal_source",
                RetentionErrorCode.LEGAL_SOURCE_REQUIRED,
                _("Name the statute, contract or assessment the period rests on."),
            )
        )
    collect(errors)
    handler = target_for(cleaned["target"])
    if cleaned["trigger"] not in handler.triggers:
        errors.append(
            _error(
                "trigger",
                RetentionErrorCode.TRIGGER_NOT_FOR_TARGET,
                _("This event does not apply to these records."),
            )
        )
    if cleaned["action"] not in handler.actions:
        errors.append(
            _error(
                "action",
                RetentionErrorCode.ACTION_NOT_FOR_TARGET,
                _("These records can only be deleted or flagged for review."),
            )
        )
    period = Period(cleaned["period_years"], cleaned["period_months"], cleaned["period_days"])
    if period.is_zero and cleaned["action"] != RetentionAction.FLAG:
        errors.append(
            _error(
                "period_years",
                RetentionErrorCode.PERIOD_REQUIRED,
                _("Give the period the records are kept for."),
            )
        )
    elif period.approximate_days > MAXIMUM_PERIOD_YEARS * 366:
        errors.append(
            _error(
                "period_years",
                RetentionErrorCode.PERIOD_TOO_LONG,
                _("A retention period can be at most %(years)s years.")
                % {"years": MAXIMUM_PERIOD_YEARS},
            )
        )
        collect(errors)
    minimum = _statutory_minimum(cleaned)
    if minimum and shorter_than(period, minimum, keep_month_end=handler.keep_month_end):
        errors.append(
            _error(
                "period_years",
                RetentionErrorCode.PERIOD_BELOW_STATUTE,
                _("The law requires these records to be kept for at least %(period)s.")
                % {"period": minimum},
            )
        )
    collect(errors)
    return cleaned


def _save(rule: RetentionRule) -> None:
    save_unique(
        rule,
        code=RetentionErrorCode.DUPLICATE_NAME,
        message=_("A retention rule with this name already exists."),
        field="name",
    )


@transaction.atomic
def create_rule(*, actor: Actor, values: Mapping[str, Any]) -> RetentionRule:
    rule = RetentionRule(**clean_rule(values))
    _save(rule)
    record(
        actor=actor,
        event=AuditEventType.RULE_CREATED,
        obj=rule,
        fields=[name for name in RULE_FIELDS if getattr(rule, name) not in (None, "")],
    )
    return rule


@transaction.atomic
def update_rule(*, actor: Actor, rule: RetentionRule, changes: Mapping[str, Any]) -> RetentionRule:
    cleaned = clean_rule({**current_values(rule, RULE_FIELDS), **changes})
    changed = apply_changes(rule, cleaned)
    if changed:
        rule.updated_at = timezone.now()
        _save(rule)
        record(actor=actor, event=AuditEventType.RULE_CHANGED, obj=rule, fields=changed)
    return rule
