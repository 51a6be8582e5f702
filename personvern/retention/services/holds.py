"""Legal holds: set and lifted by a named actor with a reason, both audited. A hold stops
every rule (and erasure) for what it covers until it is lifted; lifted holds are kept."""

from __future__ import annotations

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.register.models import Interaction, JobApplication, Person

from ..choices import HeldRecord, RetentionErrorCode
from ..models import BookkeepingRecord, DueDiligenceRecord, LegalHold

HELD_MODELS: dict[str, type[models.Model]] = {
    HeldRecord.PERSON: Person,
    HeldRecord.INTERACTION: Interaction,
    HeldRecord.JOB_APPLICATION: JobApplication,
    HeldRecord.BOOKKEEPING_RECORD: BookkeepingRecord,
    HeldRecord.DUE_DILIGENCE_RECORD: DueDiligenceRecord,
}


def _person_of(record_type: str, obj: models.Model) -> int | None:
    if record_type == HeldRecord.PERSON:
        return int(obj.pk)
    person_id = getattr(obj, "person_id", None)
    return None if person_id is None else int(person_id)


@transaction.atomic
def set_hold(*, actor: Actor, record_type: str, record_id: int, reason: str) -> LegalHold:
    """Hold a person (``record_type`` "person") or one of their records."""
    model = HELD_MODELS.get(record_type)
    if model is None:
        raise DomainError(
            code=RetentionErrorCode.HOLD_TARGET_REQUIRED,
            message=_("Choose what the hold covers."),
            field="record_type",
        )
    obj = model._default_manager.filter(pk=record_id).first()
    if obj is None:
        raise DomainError(
            code=RetentionErrorCode.HOLD_RECORD_NOT_FOUND,
            message=_("There is no such record."),
            field="record_id",
        )
    if not reason.strip():
        raise DomainError(
            code=RetentionErrorCode.HOLD_REASON_REQUIRED,
            message=_("Say why the data must be kept: the dispute, claim or request."),
            field="reason",
        )
    hold = LegalHold.objects.create(
        person_id=_person_of(record_type, obj),
        record_type=record_type,
        record_id=record_id,
        reason=reason.strip(),
        set_by=actor.user,
        set_by_label=actor.label,
    )
    record(
        actor=actor,
        event=AuditEventType.HOLD_SET,
        obj=hold,
        subject_id=hold.person_id,
        fields=["record_type", "record_id", "reason"],
    )
    return hold


@transaction.atomic
def lift_hold(*, actor: Actor, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise DomainError(
            code=RetentionErrorCode.HOLD_ALREADY_LIFTED,
            message=_("This hold has already been lifted."),
        )
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor.user
    hold.lifted_by_label = actor.label
    hold.save(update_fields=["lifted_at", "lifted_by", "lifted_by_label"])
    record(
        actor=actor,
        event=AuditEventType.HOLD_LIFTED,
        obj=hold,
        subject_id=hold.person_id,
        fields=["lifted_at", "lifted_by"],
    )
    return hold
