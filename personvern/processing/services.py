"""Changes to the record of processing activities and to processors, each audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError, FieldError, collect
from personvern.core.files import delete_after_commit
from personvern.core.records import (
    apply_changes,
    choice_error,
    current_values,
    locked,
    reject_unknown,
    require,
    save_unique,
)
from personvern.core.validation import length_errors, normalise_country, normalise_orgnr
from personvern.register.choices import SubjectCategory

from .choices import (
    EEA_COUNTRIES,
    ActivityStatus,
    AssessmentOutcome,
    CommunicationKind,
    LegalBasis,
    ProcessingErrorCode,
    TransferMechanism,
)
from .models import (
    BalancingAssessment,
    DataCategory,
    DataProcessingAgreement,
    ProcessingActivity,
    Processor,
)
from .selectors import ASSESSMENT_ORDER

ACTIVITY_FIELDS = (
    "communication",
    "existing_customer_exception",
    "name",
    "purpose",
    "description",
    "legal_basis",
    "legal_basis_detail",
    "subject_categories",
    "sources",
    "recipients",
    "retention",
    "security_measures",
)
ACTIVITY_RELATIONS = ("data_categories", "processors")
PROCESSOR_FIELDS = (
    "name",
    "organisation_number",
    "country",
    "services",
    "parent",
    "transfer_mechanism",
)
ACTIVITY_TEXT_FIELDS = ("name", "legal_basis_detail")
PROCESSOR_TEXT_FIELDS = ("name", "organisation_number")


def clean_activity(values: Mapping[str, Any]) -> dict[str, Any]:
    reject_unknown(values, ACTIVITY_FIELDS, ProcessingErrorCode.UNKNOWN_FIELD)
    cleaned = {name: values.get(name, "") for name in ACTIVITY_FIELDS}
    cleaned["subject_categories"] = sorted(set(values.get("subject_categories") or []))
    cleaned["communication"] = values.get("communication") or CommunicationKind.NONE
    cleaned["existing_customer_exception"] = bool(values.get("existing_customer_exception"))
    errors: list[FieldError] = []
    require(cleaned, ["name", "purpose", "legal_basis"], errors)
    choice_error(
        cleaned,
        "communication",
        CommunicationKind,
        ProcessingErrorCode.INVALID_COMMUNICATION,
        errors,
    )
    if (
        cleaned["existing_customer_exception"]
        and cleaned["communication"] != CommunicationKind.DIRECT_MARKETING
    ):
        errors.append(
            FieldError(
                field="existing_customer_exception",
                code=ProcessingErrorCode.EXCEPTION_NEEDS_MARKETING,
                message=_("The existing-customer exception applies to direct marketing only."),
            )
        )
    if cleaned["legal_basis"]:
        choice_error(
            cleaned, "legal_basis", LegalBasis, ProcessingErrorCode.INVALID_LEGAL_BASIS, errors
        )
    invalid = [c for c in cleaned["subject_categories"] if c not in SubjectCategory.values]
    if invalid:
        errors.append(
            FieldError(
                field="subject_categories",
                code=ProcessingErrorCode.INVALID_SUBJECT_CATEGORY,
                message=_("Select valid categories of data subjects."),
            )
        )
    errors += length_errors(
        cleaned, ProcessingActivity, ACTIVITY_TEXT_FIELDS, code=ProcessingErrorCode.TOO_LONG
    )
    collect(errors)
    return cleaned


def _data_categories(keys: Iterable[str]) -> list[DataCategory]:
    keys = sorted(set(keys))
    found = list(DataCategory.objects.filter(key__in=keys))
    if len(found) != len(keys):
        raise DomainError(
            code=ProcessingErrorCode.UNKNOWN_DATA_CATEGORY,
            message=_("Unknown data category key."),
            field="data_categories",
        )
    return found


def _latest_permits(activity: ProcessingActivity) -> bool:
    # Always from the database: a list prefetched onto the instance may predate a new one.
    latest = activity.assessments.order_by(*ASSESSMENT_ORDER).first()
    return latest is not None and latest.outcome in AssessmentOutcome.permits_processing()


def _require_assessment(activity: ProcessingActivity) -> None:
    """Legitimate interest is only a basis after a documented balancing test (Art. 6(1)(f)),
    and only while the latest one is favourable: a later assessment that finds the person's
    interests override ends it, whatever an earlier one said."""
    if activity.legal_basis == LegalBasis.LEGITIMATE_INTEREST and not _latest_permits(activity):
        raise DomainError(
            code=ProcessingErrorCode.BALANCING_ASSESSMENT_REQUIRED,
            message=_(
                "An activity on legitimate interest can only be active while its latest "
                "balancing assessment is favourable."
            ),
            field="legal_basis",
        )


def _set_relations(activity: ProcessingActivity, relations: Mapping[str, Any]) -> list[str]:
    changed = []
    if "data_categories" in relations:
        categories = _data_categories(relations["data_categories"])
        if {c.pk for c in categories} != set(activity.data_categories.values_list("pk", flat=True)):
            activity.data_categories.set(categories)
            changed.append("data_categories")
    if "processors" in relations:
        processors = list(relations["processors"])
        if {p.pk for p in processors} != set(activity.processors.values_list("pk", flat=True)):
            activity.processors.set(processors)
            changed.append("processors")
    return changed


def _split(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {k: v for k, v in values.items() if k not in ACTIVITY_RELATIONS}
    relations = {k: v for k, v in values.items() if k in ACTIVITY_RELATIONS}
    return fields, relations


def _save_activity(activity: ProcessingActivity) -> None:
    save_unique(
        activity,
        code=ProcessingErrorCode.DUPLICATE_NAME,
        message=_("An activity with this name already exists."),
        field="name",
    )


@transaction.atomic
def create_activity(*, actor: Actor, values: Mapping[str, Any]) -> ProcessingActivity:
    """A new activity starts as a draft; ``activate_activity`` puts it into effect."""
    fields, relations = _split(values)
    activity = ProcessingActivity(**clean_activity(fields))
    _save_activity(activity)
    _set_relations(activity, relations)
    record(actor=actor, event=AuditEventType.ACTIVITY_CREATED, obj=activity,
           fields=[*fields, *relations])  # fmt: skip
    return activity


@transaction.atomic
def update_activity(
    *, actor: Actor, activity: ProcessingActivity, changes: Mapping[str, Any]
) -> ProcessingActivity:
    activity = locked(activity)
    fields, relations = _split(changes)
    cleaned = clean_activity({**current_values(activity, ACTIVITY_FIELDS), **fields})
    changed = apply_changes(activity, cleaned)
    if activity.status == ActivityStatus.ACTIVE:
        _require_assessment(activity)
    if changed:
        activity.updated_at = timezone.now()
        _save_activity(activity)
    changed += _set_relations(activity, relations)
    if changed:
        record(actor=actor, event=AuditEventType.ACTIVITY_CHANGED, obj=activity, fields=changed)
    return activity


@transaction.atomic
def activate_activity(*, actor: Actor, activity: ProcessingActivity) -> ProcessingActivity:
    # Locked, so an unfavourable assessment recorded at the same time is seen by one or the
    # other and the activity never ends up active against it.
    ProcessingActivity.objects.select_for_update().filter(pk=activity.pk).first()
    _require_assessment(activity)
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
    values = {
        "purpose_test": purpose_test,
        "necessity_test": necessity_test,
        "balancing_test": balancing_test,
        "outcome": outcome,
    }
    errors: list[FieldError] = []
    require(values, values, errors)
    if outcome:
        choice_error(
            values, "outcome", AssessmentOutcome, ProcessingErrorCode.INVALID_OUTCOME, errors
        )
    today = timezone.localdate()
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
    assessment = BalancingAssessment.objects.create(
        activity=locked,
        author=actor.user,
        author_label=actor.label,
        assessed_on=assessed_on or today,
        **{k: v.strip() for k, v in values.items()},
    )
    record(actor=actor, event=AuditEventType.ASSESSMENT_RECORDED, obj=assessment, fields=values)
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


def clean_processor(
    values: Mapping[str, Any], *, instance: Processor | None = None
) -> dict[str, Any]:
    reject_unknown(values, PROCESSOR_FIELDS, ProcessingErrorCode.UNKNOWN_FIELD)
    cleaned = {name: values.get(name, "") for name in PROCESSOR_FIELDS}
    cleaned["parent"] = values.get("parent")
    cleaned["transfer_mechanism"] = values.get("transfer_mechanism") or TransferMechanism.EEA
    errors: list[FieldError] = []
    require(cleaned, ["name", "country", "services"], errors)
    country_valid = False
    if cleaned["country"]:
        try:
            cleaned["country"] = normalise_country(cleaned["country"])
            country_valid = True
        except DomainError as exc:
            errors.extend(exc.errors)
    if cleaned["organisation_number"]:
        try:
            cleaned["organisation_number"] = normalise_orgnr(cleaned["organisation_number"])
        except DomainError as exc:
            errors.extend(exc.errors)
    choice_error(
        cleaned,
        "transfer_mechanism",
        TransferMechanism,
        ProcessingErrorCode.INVALID_TRANSFER_MECHANISM,
        errors,
    )
    outside_eea = country_valid and cleaned["country"] not in EEA_COUNTRIES
    if outside_eea and cleaned["transfer_mechanism"] == TransferMechanism.EEA:
        errors.append(
            FieldError(
                field="transfer_mechanism",
                code=ProcessingErrorCode.TRANSFER_MECHANISM_REQUIRED,
                message=_(
                    "A processor outside the EEA needs a transfer mechanism (GDPR Chapter V)."
                ),
            )
        )
    if (
        instance is not None
        and cleaned["parent"] is not None
        and cleaned["parent"].pk == instance.pk
    ):
        errors.append(
            FieldError(
                field="parent",
                code=ProcessingErrorCode.SELF_PARENT,
                message=_("A processor cannot be its own sub-processor."),
            )
        )
    errors += length_errors(
        cleaned, Processor, PROCESSOR_TEXT_FIELDS, code=ProcessingErrorCode.TOO_LONG
    )
    collect(errors)
    return cleaned


def _save_processor(processor: Processor) -> None:
    save_unique(
        processor,
        code=ProcessingErrorCode.DUPLICATE_NAME,
        message=_("A processor with this name already exists."),
        field="name",
    )


@transaction.atomic
def create_processor(
    *, actor: Actor, values: Mapping[str, Any], data_categories: Iterable[str] = ()
) -> Processor:
    processor = Processor(**clean_processor(values))
    _save_processor(processor)
    processor.data_categories.set(_data_categories(data_categories))
    record(
        actor=actor, event=AuditEventType.PROCESSOR_ADDED, obj=processor,
        fields=[*values, "data_categories"],
    )  # fmt: skip
    return processor


@transaction.atomic
def update_processor(
    *,
    actor: Actor,
    processor: Processor,
    changes: Mapping[str, Any],
    data_categories: Iterable[str] | None = None,
) -> Processor:
    processor = locked(processor)
    cleaned = clean_processor(
        {**current_values(processor, PROCESSOR_FIELDS), **changes}, instance=processor
    )
    changed = apply_changes(processor, cleaned)
    if changed:
        _save_processor(processor)
    if data_categories is not None:
        categories = _data_categories(data_categories)
        if {c.pk for c in categories} != set(
            processor.data_categories.values_list("pk", flat=True)
        ):
            processor.data_categories.set(categories)
            changed.append("data_categories")
    if changed:
        record(actor=actor, event=AuditEventType.PROCESSOR_CHANGED, obj=processor, fields=changed)
    return processor


@transaction.atomic
def delete_processor(*, actor: Actor, processor: Processor) -> None:
    """Delete a processor with its agreements. Refused (409) while it has sub-processors;
    the agreements' documents are removed only once the deletion has committed, so a refusal
    or a rollback never leaves agreements without their documents."""
    if processor.sub_processors.exists():
        raise DomainError(
            code=ProcessingErrorCode.PROCESSOR_HAS_SUB_PROCESSORS,
            message=_("The processor has sub-processors: move or delete them first."),
            status=409,
        )
    processor_id = processor.pk
    documents: list[tuple[Storage, str]] = [
        (agreement.document.storage, agreement.document.name)
        for agreement in processor.agreements.all()
        if agreement.document and agreement.document.name
    ]
    try:
        with transaction.atomic():
            processor.delete()
    except ProtectedError as exc:
        raise DomainError(
            code=ProcessingErrorCode.PROCESSOR_IN_USE,
            message=_("Other records still refer to this processor: remove those first."),
            status=409,
        ) from exc
    for storage, name in documents:
        delete_after_commit([name], storage=storage)
    record(
        actor=actor,
        event=AuditEventType.PROCESSOR_DELETED,
        object_type="processing.processor",
        object_id=processor_id,
    )


@transaction.atomic
def record_agreement(
    *,
    actor: Actor,
    processor: Processor,
    signed_on: datetime.date,
    review_due: datetime.date,
    document: Any = None,
) -> DataProcessingAgreement:
    agreement = DataProcessingAgreement(
        processor=processor, signed_on=signed_on, review_due=review_due
    )
    if document is not None:
        agreement.document.save(document.name, document, save=False)
    agreement.save()
    record(
        actor=actor,
        event=AuditEventType.AGREEMENT_RECORDED,
        obj=agreement,
        fields=["signed_on", "review_due", *(["document"] if document else [])],
    )
    return agreement


@transaction.atomic
def ensure_data_category(*, key: str, name: str, description: str = "") -> DataCategory:
    """Reference data, not personal data: created once, not audited."""
    category, _created = DataCategory.objects.get_or_create(
        key=key, defaults={"name": name, "description": description}
    )
    return category
