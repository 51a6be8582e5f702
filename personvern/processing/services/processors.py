"""Changes to processors, sub-processors and their data-processing agreements, each
audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.files import delete_after_commit
from personvern.core.records import (
    apply_changes,
    locked,
    model_errors,
    reject_unknown,
    save_unique,
)
from personvern.core.translated import in_default_language, stored
from personvern.core.validation import normalise_country, normalise_orgnr

from ..choices import (
    EEA_COUNTRIES,
    ProcessingErrorCode,
    TransferMechanism,
)
from ..models import (
    DataProcessingAgreement,
    Processor,
)
from .common import _data_categories, _trimmed, _values_of


@dataclass(frozen=True, kw_only=True)
class ProcessorValues:
    """A processor as staff, the API or the demo give it, with its data categories (keys);
    ``clean_processor`` normalises it."""

    name: str
    country: str
    services: str
    organisation_number: str = ""
    parent: Processor | None = None
    transfer_mechanism: str = TransferMechanism.EEA
    dpf_name: str = ""
    scc_module: str = ""
    # the transfer impact assessment document (an upload, or the stored file)
    transfer_impact_assessment: Any = ""
    services_en: str = ""  # in English; ``services`` is bokmål (``core.translated``)
    data_categories: Sequence[str] = ()

    @classmethod
    def of(cls, processor: Processor) -> ProcessorValues:
        with in_default_language():
            values = _values_of(processor, PROCESSOR_FIELDS)
        return cls(
            **{**values, "services_en": values["services_en"] or ""},
            data_categories=sorted(processor.data_categories.values_list("key", flat=True)),
        )


class ProcessorChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked. The
    data categories are replaced only when given."""

    name: str
    country: str
    services: str
    organisation_number: str
    parent: Processor | None
    transfer_mechanism: str
    dpf_name: str
    scc_module: str
    transfer_impact_assessment: Any
    services_en: str
    data_categories: Sequence[str]


PROCESSOR_NAMES = tuple(field.name for field in fields(ProcessorValues))
PROCESSOR_FIELDS = tuple(name for name in PROCESSOR_NAMES if name != "data_categories")
PROCESSOR_TEXT_FIELDS = tuple(
    name for name in PROCESSOR_FIELDS if name not in ("parent", "transfer_impact_assessment")
)
# The domain's codes for the models' own checks that fail other than as missing or too long.
PROCESSOR_INVALID = {
    "transfer_mechanism": ProcessingErrorCode.INVALID_TRANSFER_MECHANISM,
    "scc_module": ProcessingErrorCode.INVALID_TRANSFER_MECHANISM,
    # The parent's row is gone (deleted since the caller read it).
    "parent": CoreErrorCode.NOT_FOUND,
}


def _unsaved(values: ProcessorValues) -> Processor:
    with in_default_language():
        return Processor(**stored(Processor, _values_of(values, PROCESSOR_FIELDS)))


def clean_processor(
    values: ProcessorValues, *, instance: Processor | None = None
) -> ProcessorValues:
    """The processor's values trimmed and normalised by the field libraries (country,
    Norwegian organisation number), then checked against the model's own rules (required,
    column length, choices, the parent still there); the service adds what the model cannot
    say: a processor outside the EEA needs a transfer mechanism, and none is its own
    sub-processor. Raises with every field error."""
    texts = _trimmed(values, PROCESSOR_TEXT_FIELDS)
    texts["transfer_mechanism"] = texts["transfer_mechanism"] or TransferMechanism.EEA
    errors: list[FieldError] = []
    for name, normalise in (
        ("country", normalise_country),
        ("organisation_number", normalise_orgnr),
    ):
        if texts[name]:
            try:
                texts[name] = normalise(texts[name], field=name)
            except DomainError as exc:
                errors.extend(exc.errors)
    # A cleared upload in the staff form arrives as False: no document.
    document = values.transfer_impact_assessment or ""
    cleaned = replace(values, **texts, transfer_impact_assessment=document)
    errors = (
        model_errors(
            _unsaved(cleaned),
            too_long=ProcessingErrorCode.TOO_LONG,
            invalid=PROCESSOR_INVALID,
            exclude=[error.field for error in errors],
        )
        + errors
    )
    country_valid = not any(error.field == "country" for error in errors)
    if (
        country_valid
        and cleaned.country not in EEA_COUNTRIES
        and cleaned.transfer_mechanism == TransferMechanism.EEA
    ):
        errors.append(
            FieldError(
                field="transfer_mechanism",
                code=ProcessingErrorCode.TRANSFER_MECHANISM_REQUIRED,
                message=_(
                    "A processor outside the EEA needs a transfer mechanism (GDPR Chapter V)."
                ),
            )
        )
    if instance is not None and cleaned.parent is not None and cleaned.parent.pk == instance.pk:
        errors.append(
            FieldError(
                field="parent",
                code=ProcessingErrorCode.SELF_PARENT,
                message=_("A processor cannot be its own sub-processor."),
            )
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
def create_processor(*, actor: Actor, values: ProcessorValues) -> Processor:
    cleaned = clean_processor(values)
    processor = _unsaved(cleaned)
    _save_processor(processor)
    processor.data_categories.set(_data_categories(cleaned.data_categories))
    record(actor=actor, event=AuditEventType.PROCESSOR_ADDED, obj=processor,
           fields=PROCESSOR_NAMES)  # fmt: skip
    return processor


@transaction.atomic
def update_processor(
    *,
    actor: Actor,
    processor: Processor,
    changes: ProcessorChanges,
) -> Processor:
    processor = locked(processor)
    reject_unknown(changes, PROCESSOR_NAMES, ProcessingErrorCode.UNKNOWN_FIELD)
    cleaned = clean_processor(replace(ProcessorValues.of(processor), **changes), instance=processor)
    with in_default_language():
        changed = apply_changes(processor, stored(Processor, _values_of(cleaned, PROCESSOR_FIELDS)))
    if changed:
        _save_processor(processor)
    if "data_categories" in changes:
        categories = _data_categories(cleaned.data_categories)
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
    expires_on: datetime.date | None = None,
) -> DataProcessingAgreement:
    """A signed agreement; ``expires_on`` is the day it ends (none while it runs until
    terminated), after the day it was signed."""
    if expires_on is not None and expires_on <= signed_on:
        raise DomainError(
            code=ProcessingErrorCode.AGREEMENT_DATES,
            message=_("The agreement must end after the day it was signed."),
            field="expires_on",
        )
    agreement = DataProcessingAgreement(
        processor=processor, signed_on=signed_on, review_due=review_due, expires_on=expires_on
    )
    if document is not None:
        agreement.document.save(document.name, document, save=False)
    agreement.save()
    record(
        actor=actor,
        event=AuditEventType.AGREEMENT_RECORDED,
        obj=agreement,
        fields=[
            "signed_on",
            "review_due",
            *(["expires_on"] if expires_on else []),
            *(["document"] if document else []),
        ],
    )
    return agreement
