"""Changes to processing activities and their balancing assessments, each audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import FieldError, collect
from personvern.core.records import (
    apply_changes,
    locked,
    model_errors,
    reject_unknown,
    save_unique,
)
from personvern.core.translated import in_default_language, stored
from personvern.register.choices import SubjectCategory

from ..activation import activation_blockers
from ..choices import (
    ART9_CATEGORY_PARTS,
    ActivityStatus,
    AssessmentOutcome,
    CommunicationKind,
    LegalBasis,
    ProcessingErrorCode,
)
from ..models import (
    BalancingAssessment,
    ProcessingActivity,
    Processor,
)
from ..selectors import ASSESSMENT_ORDER
from ..transfers import processor_blockers
from .common import _data_categories, _trimmed, _values_of


@dataclass(frozen=True, kw_only=True)
class ActivityValues:
    """An activity as staff, the API or the demo give it, with its data categories (keys) and
    processors; ``clean_activity`` normalises it."""

    name: str
    purpose: str
    legal_basis: str
    description: str = ""
    legal_basis_detail: str = ""
    subject_categories: Sequence[str] = ()
    communication: str = CommunicationKind.NONE
    existing_customer_exception: bool = False
    automated_decision_making: bool = False
    automated_decision_logic: str = ""
    sources: str = ""
    recipients: str = ""
    retention: str = ""
    security_measures: str = ""
    record_group: str = ""
    joint_controllers: str = ""
    special_category_condition: str = ""
    # The texts in English (the base names are bokmål, the default language): see
    # ``processing.translation`` and ``core.translated``.
    name_en: str = ""
    purpose_en: str = ""
    description_en: str = ""
    legal_basis_detail_en: str = ""
    sources_en: str = ""
    recipients_en: str = ""
    retention_en: str = ""
    security_measures_en: str = ""
    automated_decision_logic_en: str = ""
    data_categories: Sequence[str] = ()
    processors: Sequence[Processor] = ()

    @classmethod
    def of(cls, activity: ProcessingActivity) -> ActivityValues:
        with in_default_language():
            return cls(
                **_values_of(activity, ACTIVITY_FIELDS),
                data_categories=sorted(activity.data_categories.values_list("key", flat=True)),
                processors=list(activity.processors.all()),
            )


class ActivityChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked. The
    relations (``data_categories``, ``processors``) are replaced only when given."""

    name: str
    purpose: str
    legal_basis: str
    description: str
    legal_basis_detail: str
    subject_categories: Sequence[str]
    communication: str
    existing_customer_exception: bool
    automated_decision_making: bool
    automated_decision_logic: str
    sources: str
    recipients: str
    retention: str
    security_measures: str
    record_group: str
    joint_controllers: str
    special_category_condition: str
    name_en: str
    purpose_en: str
    description_en: str
    legal_basis_detail_en: str
    sources_en: str
    recipients_en: str
    retention_en: str
    security_measures_en: str
    automated_decision_logic_en: str
    data_categories: Sequence[str]
    processors: Sequence[Processor]


ACTIVITY_RELATIONS = ("data_categories", "processors")
ACTIVITY_NAMES = tuple(field.name for field in fields(ActivityValues))
# The activity's own columns (the relations are set after it is saved).
ACTIVITY_FIELDS = tuple(name for name in ACTIVITY_NAMES if name not in ACTIVITY_RELATIONS)
ACTIVITY_TEXT_FIELDS = tuple(
    name
    for name in ACTIVITY_FIELDS
    if name
    not in ("subject_categories", "existing_customer_exception", "automated_decision_making")
)
# The domain's codes for the models' own checks that fail other than as missing or too long.
ACTIVITY_INVALID = {
    "legal_basis": ProcessingErrorCode.INVALID_LEGAL_BASIS,
    "communication": ProcessingErrorCode.INVALID_COMMUNICATION,
    "special_category_condition": ProcessingErrorCode.INVALID_SPECIAL_CONDITION,
}


def clean_activity(values: ActivityValues) -> ActivityValues:
    """The activity's values trimmed, then checked against the model's own rules (required,
    column length, choices); the service adds what the model cannot say: the categories of
    data subjects are the register's, and the existing-customer exception is for direct
    marketing only. Raises with every field error."""
    texts = _trimmed(values, ACTIVITY_TEXT_FIELDS)
    texts["communication"] = texts["communication"] or CommunicationKind.NONE
    cleaned = replace(
        values,
        **texts,
        subject_categories=sorted(set(values.subject_categories or ())),
        existing_customer_exception=bool(values.existing_customer_exception),
        automated_decision_making=bool(values.automated_decision_making),
    )
    with in_default_language():
        unsaved = ProcessingActivity(
            **stored(ProcessingActivity, _values_of(cleaned, ACTIVITY_FIELDS))
        )
    errors = model_errors(
        unsaved,
        too_long=ProcessingErrorCode.TOO_LONG,
        invalid=ACTIVITY_INVALID,
    )
    if (
        cleaned.existing_customer_exception
        and cleaned.communication != CommunicationKind.DIRECT_MARKETING
    ):
        errors.append(
            FieldError(
                field="existing_customer_exception",
                code=ProcessingErrorCode.EXCEPTION_NEEDS_MARKETING,
                message=_("The existing-customer exception applies to direct marketing only."),
            )
        )
    if any(c not in SubjectCategory.values for c in cleaned.subject_categories):
        errors.append(
            FieldError(
                field="subject_categories",
                code=ProcessingErrorCode.INVALID_SUBJECT_CATEGORY,
                message=_("Select valid categories of data subjects."),
            )
        )
    collect(errors)
    return cleaned


def _latest_permits(activity: ProcessingActivity) -> bool:
    # Always from the database: a list prefetched onto the instance may predate a new one.
    latest = activity.assessments.order_by(*ASSESSMENT_ORDER).first()
    return latest is not None and latest.outcome in AssessmentOutcome.permits_processing()


def assessment_blockers(activity: ProcessingActivity) -> list[FieldError]:
    """Legitimate interest is only a basis after a documented balancing test (Art. 6(1)(f)),
    and only while the latest one is favourable: a later assessment that finds the person's
    interests override ends it, whatever an earlier one said."""
    if activity.legal_basis == LegalBasis.LEGITIMATE_INTEREST and not _latest_permits(activity):
        return [
            FieldError(
                field="legal_basis",
                code=ProcessingErrorCode.BALANCING_ASSESSMENT_REQUIRED,
                message=_(
                    "An activity on legitimate interest can only be active while its latest "
                    "balancing assessment is favourable."
                ),
            )
        ]
    return []


def _require_assessment(activity: ProcessingActivity) -> None:
    collect(assessment_blockers(activity))


def special_category_blockers(activity: ProcessingActivity) -> list[FieldError]:
    """The activation check: special categories of data (Art. 9(1)) need the condition of
    Art. 9(2) that lifts the ban."""
    special = [
        category.key
        for category in activity.data_categories.all()
        if any(part in category.key for part in ART9_CATEGORY_PARTS)
    ]
    if not special or activity.special_category_condition:
        return []
    return [
        FieldError(
            "special_category_condition",
            ProcessingErrorCode.SPECIAL_CONDITION_REQUIRED,
            _("Special categories of personal data (Art. 9(1)) need the condition of Art. 9(2)."),
        )
    ]


def _require_activatable(activity: ProcessingActivity) -> None:
    """Every registered rule (``processing.activation``) must let the activity be active."""
    collect(activation_blockers(activity))


def _set_relations(
    activity: ProcessingActivity, values: ActivityValues, names: Iterable[str]
) -> list[str]:
    """Replace the named relations where they differ; return the names of those changed."""
    changed = []
    if "data_categories" in names:
        categories = _data_categories(values.data_categories)
        if {c.pk for c in categories} != set(activity.data_categories.values_list("pk", flat=True)):
            activity.data_categories.set(categories)
            changed.append("data_categories")
    if "processors" in names:
        processors = list(values.processors)
        if {p.pk for p in processors} != set(activity.processors.values_list("pk", flat=True)):
            activity.processors.set(processors)
            changed.append("processors")
    return changed


def _save_activity(activity: ProcessingActivity) -> None:
    save_unique(
        activity,
        code=ProcessingErrorCode.DUPLICATE_NAME,
        message=_("An activity with this name already exists."),
        field="name",
    )


@transaction.atomic
def create_activity(*, actor: Actor, values: ActivityValues) -> ProcessingActivity:
    """A new activity starts as a draft; ``activate_activity`` puts it into effect."""
    cleaned = clean_activity(values)
    with in_default_language():
        activity = ProcessingActivity(
            **stored(ProcessingActivity, _values_of(cleaned, ACTIVITY_FIELDS))
        )
    _save_activity(activity)
    _set_relations(activity, cleaned, ACTIVITY_RELATIONS)
    record(actor=actor, event=AuditEventType.ACTIVITY_CREATED, obj=activity,
           fields=ACTIVITY_NAMES)  # fmt: skip
    return activity


@transaction.atomic
def update_activity(
    *, actor: Actor, activity: ProcessingActivity, changes: ActivityChanges
) -> ProcessingActivity:
    activity = locked(activity)
    reject_unknown(changes, ACTIVITY_NAMES, ProcessingErrorCode.UNKNOWN_FIELD)
    cleaned = clean_activity(replace(ActivityValues.of(activity), **changes))
    with in_default_language():
        changed = apply_changes(
            activity, stored(ProcessingActivity, _values_of(cleaned, ACTIVITY_FIELDS))
        )
    if activity.status == ActivityStatus.ACTIVE:
        _require_assessment(activity)
    if changed:
        activity.updated_at = timezone.now()
        _save_activity(activity)
    changed += _set_relations(activity, cleaned, [n for n in ACTIVITY_RELATIONS if n in changes])
    if activity.status == ActivityStatus.ACTIVE and "processors" in changed:
        # An active activity takes on no processor without a lawful transfer and an agreement
        # in force (the same rule as activation); the transaction rolls the change back.
        collect(processor_blockers(activity))
    if changed:
        record(actor=actor, event=AuditEventType.ACTIVITY_CHANGED, obj=activity, fields=changed)
    return activity


@transaction.atomic
def activate_activity(*, actor: Actor, activity: ProcessingActivity) -> ProcessingActivity:
    # Locked, so an unfavourable assessment recorded at the same time is seen by one or the
    # other and the activity never ends up active against it.
    ProcessingActivity.objects.select_for_update().filter(pk=activity.pk).first()
    _require_activatable(activity)
    if activity.status != ActivityStatus.ACTIVE:
        activity.status = ActivityStatus.ACTIVE
        activity.updated_at = timezone.now()
        activity.save(update_fields=["status", "updated_at"])
        record(actor=actor, event=AuditEventType.ACTIVITY_ACTIVATED, obj=activity,
               fields=["status"])  # fmt: skip
    return activity


@transaction.atomic
def retire_activity(*, actor: Actor, activity: ProcessingActivity) -> ProcessingActivity:
    if activity.status != ActivityStatus.RETIRED:
        activity.status = ActivityStatus.RETIRED
        activity.updated_at = timezone.now()
        activity.save(update_fields=["status", "updated_at"])
        record(actor=actor, event=AuditEventType.ACTIVITY_RETIRED, obj=activity, fields=["status"])
    return activity


@transaction.atomic
def record_balancing_assessment(
    *,
    actor: Actor,
    activity: ProcessingActivity,
    purpose_test: str,
    necessity_test: str,
    balancing_test: str,
    outcome: str,
    assessed_on: datetime.date | None = None,
) -> BalancingAssessment:
    today = timezone.localdate()
    assessment = BalancingAssessment(
        purpose_test=purpose_test.strip(),
        necessity_test=necessity_test.strip(),
        balancing_test=balancing_test.strip(),
        outcome=outcome.strip(),
        assessed_on=assessed_on or today,
    )
    # The activity and the author are the caller's, not the user's input.
    errors = model_errors(
        assessment,
        too_long=ProcessingErrorCode.TOO_LONG,
        invalid={"outcome": ProcessingErrorCode.INVALID_OUTCOME},
        exclude=("activity", "author", "author_label"),
    )
    if assessed_on is not None and assessed_on > today:
        # A future date would stay "the latest" and outrank every real assessment until then.
        errors.append(
            FieldError(
                field="assessed_on",
                code=ProcessingErrorCode.ASSESSMENT_IN_FUTURE,
                message=_("An assessment cannot be dated in the future."),
            )
        )
    collect(errors)
    locked = ProcessingActivity.objects.select_for_update().get(pk=activity.pk)
    assessment.activity = locked
    assessment.author = actor.user
    assessment.author_label = actor.label
    assessment.save()
    record(actor=actor, event=AuditEventType.ASSESSMENT_RECORDED, obj=assessment,
           fields=["purpose_test", "necessity_test", "balancing_test", "outcome"])  # fmt: skip
    _suspend_if_no_longer_permitted(actor=actor, activity=locked)
    activity.status, activity.updated_at = locked.status, locked.updated_at
    return assessment


def _suspend_if_no_longer_permitted(*, actor: Actor, activity: ProcessingActivity) -> None:
    """An unfavourable assessment is recorded, never refused: it is the documentation that
    the processing must stop. If it is now the latest and the activity is active on
    legitimate interest, the activity goes back to draft (out of effect: no marketing on it,
    off the published notice's active list) until a later favourable assessment lets it be
    activated again. The change is audited with its reason."""
    if (
        activity.status == ActivityStatus.ACTIVE
        and activity.legal_basis == LegalBasis.LEGITIMATE_INTEREST
        and not _latest_permits(activity)
    ):
        activity.status = ActivityStatus.DRAFT
        activity.updated_at = timezone.now()
        activity.save(update_fields=["status", "updated_at"])
        record(
            actor=actor,
            event=AuditEventType.ACTIVITY_SUSPENDED,
            obj=activity,
            fields=["status"],
            detail={"status": ActivityStatus.DRAFT, "reason": "unfavourable_assessment"},
        )
