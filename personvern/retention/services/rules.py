"""Creating and changing retention rules. A rule must name its legal source, fit its target
(a trigger and an action the target supports) and never be shorter than the statute."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, FieldError, collect
from personvern.core.records import (
    apply_changes,
    locked,
    model_errors,
    reject_unknown,
    save_unique,
)
from personvern.core.translated import in_default_language, stored
from personvern.processing.models import DataCategory, ProcessingActivity

from ..choices import (
    RetentionAction,
    RetentionErrorCode,
    TargetRecord,
)
from ..models import RetentionRule
from ..periods import Period
from . import external
from .statutes import BOOKKEEPING_MINIMUM, DUE_DILIGENCE_MINIMUM, shorter_than
from .targets import target_for


@dataclass(frozen=True, kw_only=True)
class RuleValues:
    """A retention rule as staff, the demo or a command give it; ``clean_rule`` checks it."""

    name: str
    processing_activity: ProcessingActivity
    data_category: DataCategory | None = None
    target: str
    subject_category: str = ""
    bookkeeping_kind: str = ""
    trigger: str
    source_table: str = ""  # "dataset.table" for rows of an external SQL source
    trigger_column: str = ""
    period_years: int = 0
    period_months: int = 0
    period_days: int = 0
    action: str
    legal_source: str
    active: bool = True
    name_en: str = ""  # the name in English; ``name`` is bokmål (``core.translated``)

    @classmethod
    def of(cls, rule: RetentionRule) -> RuleValues:
        with in_default_language():
            values = {name: getattr(rule, name) for name in RULE_FIELDS}
        return cls(**{**values, "name_en": values["name_en"] or ""})


class RuleChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked."""

    name: str
    processing_activity: ProcessingActivity
    data_category: DataCategory | None
    target: str
    subject_category: str
    bookkeeping_kind: str
    trigger: str
    source_table: str
    trigger_column: str
    period_years: int
    period_months: int
    period_days: int
    action: str
    legal_source: str
    active: bool
    name_en: str


RULE_FIELDS = tuple(field.name for field in fields(RuleValues))
RULE_TEXT_FIELDS = (
    "name",
    "name_en",
    "target",
    "subject_category",
    "bookkeeping_kind",
    "trigger",
    "action",
    "source_table",
    "trigger_column",
)
PERIOD_FIELDS = ("period_years", "period_months", "period_days")
# Retention's codes for the model's own checks that fail other than as missing or too long.
RULE_INVALID = {
    "target": RetentionErrorCode.INVALID_TARGET,
    "trigger": RetentionErrorCode.INVALID_TRIGGER,
    "action": RetentionErrorCode.INVALID_ACTION,
    "subject_category": RetentionErrorCode.INVALID_SUBJECT_CATEGORY,
    "bookkeeping_kind": RetentionErrorCode.INVALID_BOOKKEEPING_KIND,
    "period_years": RetentionErrorCode.INVALID_PERIOD,
    "period_months": RetentionErrorCode.INVALID_PERIOD,
    "period_days": RetentionErrorCode.INVALID_PERIOD,
    "processing_activity": CoreErrorCode.NOT_FOUND,
    "data_category": CoreErrorCode.NOT_FOUND,
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


def clean_rule(values: RuleValues) -> RuleValues:
    """The rule's text trimmed, then checked against the model's own rules (required, column
    length, choices, periods of no fewer than 0) and what the model cannot say: a legal
    source, a period that is given and sane, a trigger and an action the target supports, and
    no period shorter than the statute. Raises with every field error the rule's values show;
    the checks that need a valid target come after those that do not."""
    cleaned = {name: getattr(values, name) for name in RULE_FIELDS}
    for name in RULE_TEXT_FIELDS:
        cleaned[name] = str(cleaned[name] or "").strip()
    cleaned["legal_source"] = str(cleaned["legal_source"] or "").strip()
    errors: list[FieldError] = []
    if not cleaned["legal_source"]:
        errors.append(
            _error(
                "legal_source",
                RetentionErrorCode.LEGAL_SOURCE_REQUIRED,
                _("Name the statute, contract or assessment the period rests on."),
            )
        )
    period_errors = _period_errors(cleaned)
    errors += period_errors
    excluded = [error.field for error in errors] + (list(PERIOD_FIELDS) if period_errors else [])
    errors = (
        model_errors(
            _unsaved(cleaned),
            too_long=RetentionErrorCode.TOO_LONG,
            invalid=RULE_INVALID,
            exclude=excluded,
        )
        + errors
    )
    collect(errors)
    external_errors = external.rule_errors(cleaned)
    if cleaned["target"] == TargetRecord.EXTERNAL_TABLE:
        collect(external_errors)
        return RuleValues(**cleaned)
    errors += external_errors
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
    minimum = _statutory_minimum(cleaned)
    period = Period(cleaned["period_years"], cleaned["period_months"], cleaned["period_days"])
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
    return RuleValues(**cleaned)


def _period_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """A period is given unless the rule only flags, and is no typing error: a period too
    long is refused before any date is computed from it (dates before year 1 cannot be)."""
    period = Period(values["period_years"], values["period_months"], values["period_days"])
    if period.is_zero and values["action"] != RetentionAction.FLAG:
        return [
            _error(
                "period_years",
                RetentionErrorCode.PERIOD_REQUIRED,
                _("Give the period the records are kept for."),
            )
        ]
    if period.approximate_days > MAXIMUM_PERIOD_YEARS * 366:
        return [
            _error(
                "period_years",
                RetentionErrorCode.PERIOD_TOO_LONG,
                _("A retention period can be at most %(years)s years.")
                % {"years": MAXIMUM_PERIOD_YEARS},
            )
        ]
    return []


def _save(rule: RetentionRule) -> None:
    save_unique(
        rule,
        code=RetentionErrorCode.DUPLICATE_NAME,
        message=_("A retention rule with this name already exists."),
        field="name",
    )


def _as_dict(values: RuleValues) -> dict[str, Any]:
    return stored(RetentionRule, {name: getattr(values, name) for name in RULE_FIELDS})


def _unsaved(values: dict[str, Any]) -> RetentionRule:
    with in_default_language():
        return RetentionRule(**stored(RetentionRule, values))


@transaction.atomic
def create_rule(*, actor: Actor, values: RuleValues) -> RetentionRule:
    rule = _unsaved(_as_dict(clean_rule(values)))
    _save(rule)
    record(
        actor=actor,
        event=AuditEventType.RULE_CREATED,
        obj=rule,
        fields=[name for name in RULE_FIELDS if getattr(rule, name) not in (None, "")],
    )
    return rule


@transaction.atomic
def update_rule(*, actor: Actor, rule: RetentionRule, changes: RuleChanges) -> RetentionRule:
    rule = locked(rule)
    reject_unknown(changes, RULE_FIELDS, RetentionErrorCode.UNKNOWN_FIELD)
    cleaned = clean_rule(replace(RuleValues.of(rule), **changes))
    with in_default_language():
        changed = apply_changes(rule, _as_dict(cleaned))
    if changed:
        rule.updated_at = timezone.now()
        _save(rule)
        record(actor=actor, event=AuditEventType.RULE_CHANGED, obj=rule, fields=changed)
    return rule
