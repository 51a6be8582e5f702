"""Bookkeeping and customer due-diligence records: registered, and removed only once the law
allows it. Bookkeeping material is documentation and is never edited once registered."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError, FieldError, collect
from personvern.register.models import Company, Person

from .. import config
from ..choices import BookkeepingKind, HeldRecord, RetentionErrorCode
from ..models import BookkeepingRecord, DueDiligenceRecord, LegalHold
from ..periods import fiscal_year_end
from .statutes import bookkeeping_keep_until, due_diligence_keep_until


def _check_reference(reference: str, person: Person | None, company: Company | None) -> None:
    errors: list[FieldError] = []
    if not reference.strip():
        errors.append(
            FieldError(
                field="reference",
                code=RetentionErrorCode.REFERENCE_REQUIRED,
                message=_("Give the voucher or document number."),
            )
        )
    if person is None and company is None:
        errors.append(
            FieldError(
                field="person",
                code=RetentionErrorCode.SUBJECT_REQUIRED,
                message=_("Name the person or the company the record is about."),
            )
        )
    collect(errors)


@transaction.atomic
def register_bookkeeping_record(
    *,
    actor: Actor,
    kind: str,
    reference: str,
    document_date: datetime.date,
    person: Person | None = None,
    company: Company | None = None,
    fiscal_year_end_month: int | None = None,
) -> BookkeepingRecord:
    """The fiscal year is derived from the document date and the organisation's fiscal year
    end (``config.fiscal_year_end_month`` unless given)."""
    if kind not in BookkeepingKind.values:
        raise DomainError(
            code=RetentionErrorCode.INVALID_BOOKKEEPING_KIND,
            message=_("Select a valid choice."),
            field="kind",
        )
    end_month = fiscal_year_end_month or config.fiscal_year_end_month()
    if not 1 <= end_month <= 12:
        raise DomainError(
            code=RetentionErrorCode.INVALID_FISCAL_YEAR_END,
            message=_("The fiscal year ends in a month from 1 to 12."),
            field="fiscal_year_end_month",
        )
    _check_reference(reference, person, company)
    year_end = fiscal_year_end(document_date, end_month=end_month)
    bookkeeping = BookkeepingRecord.objects.create(
        person=person,
        company=company,
        kind=kind,
        reference=reference.strip(),
        document_date=document_date,
        fiscal_year=year_end.year,
        fiscal_year_end=year_end,
    )
    record(
        actor=actor,
        event=AuditEventType.BOOKKEEPING_REGISTERED,
        obj=bookkeeping,
        subject_id=person.pk if person else None,
        fields=["kind", "reference", "document_date"],
    )
    return bookkeeping


@transaction.atomic
def register_due_diligence_record(
    *,
    actor: Actor,
    reference: str,
    performed_on: datetime.date,
    person: Person | None = None,
    company: Company | None = None,
    relationship_ended_on: datetime.date | None = None,
) -> DueDiligenceRecord:
    _check_reference(reference, person, company)
    due_diligence = DueDiligenceRecord.objects.create(
        person=person,
        company=company,
        reference=reference.strip(),
        performed_on=performed_on,
        relationship_ended_on=relationship_ended_on,
    )
    record(
        actor=actor,
        event=AuditEventType.DUE_DILIGENCE_REGISTERED,
        obj=due_diligence,
        subject_id=person.pk if person else None,
        fields=["reference", "performed_on"],
    )
    return due_diligence


@transaction.atomic
def end_customer_relationship(
    *, actor: Actor, due_diligence: DueDiligenceRecord, ended_on: datetime.date | None
) -> DueDiligenceRecord:
    """Record when the customer relationship ended: the five years count from it."""
    if due_diligence.relationship_ended_on != ended_on:
        due_diligence.relationship_ended_on = ended_on
        due_diligence.save(update_fields=["relationship_ended_on"])
        record(
            actor=actor,
            event=AuditEventType.RELATIONSHIP_ENDED,
            obj=due_diligence,
            subject_id=due_diligence.person_id,
            fields=["relationship_ended_on"],
        )
    return due_diligence


def _refuse_if_held(record_type: HeldRecord, pk: int, person_id: int | None) -> None:
    holds = LegalHold.objects.filter(lifted_at__isnull=True)
    if holds.filter(record_type=record_type, record_id=pk).exists() or (
        person_id is not None
        and holds.filter(record_type=HeldRecord.PERSON, record_id=person_id).exists()
    ):
        raise DomainError(
            code=RetentionErrorCode.UNDER_HOLD,
            message=_("A legal hold covers this record; lift it first."),
            status=409,
        )


def _refuse_if_statutory(keep: datetime.date | None) -> None:
    if keep is None or keep >= timezone.localdate():
        raise DomainError(
            code=RetentionErrorCode.UNDER_STATUTORY_PERIOD,
            message=_("The law requires this record to be kept until %(date)s.")
            % {"date": keep.isoformat() if keep else _("five years after the relationship ends")},
            status=409,
        )


@transaction.atomic
def delete_bookkeeping_record(*, actor: Actor, bookkeeping: BookkeepingRecord) -> None:
    _refuse_if_held(HeldRecord.BOOKKEEPING_RECORD, bookkeeping.pk, bookkeeping.person_id)
    _refuse_if_statutory(bookkeeping_keep_until(bookkeeping.kind, bookkeeping.fiscal_year_end))
    pk, person_id = bookkeeping.pk, bookkeeping.person_id
    bookkeeping.delete()
    record(
        actor=actor,
        event=AuditEventType.BOOKKEEPING_DELETED,
        object_type="retention.bookkeepingrecord",
        object_id=pk,
        subject_id=person_id,
    )


@transaction.atomic
def delete_due_diligence_record(*, actor: Actor, due_diligence: DueDiligenceRecord) -> None:
    _refuse_if_held(HeldRecord.DUE_DILIGENCE_RECORD, due_diligence.pk, due_diligence.person_id)
    _refuse_if_statutory(due_diligence_keep_until(due_diligence.relationship_ended_on))
    pk, person_id = due_diligence.pk, due_diligence.person_id
    due_diligence.delete()
    record(
        actor=actor,
        event=AuditEventType.DUE_DILIGENCE_DELETED,
        object_type="retention.duediligencerecord",
        object_id=pk,
        subject_id=person_id,
    )
