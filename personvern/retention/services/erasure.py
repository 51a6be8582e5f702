"""Erasing one person on request (GDPR Art. 17) with the sweep's own operations, so erasure
and retention remove exactly the same things and respect the same holds and statutes.

Nothing here decides whether a request is valid: the erasure-request workflow does that, then
calls :func:`erase_person` and shows the data subject what was erased and what was kept, why,
and until when."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.db import checkpoint_after_commit
from personvern.register.models import Interaction, JobApplication, Person

from ..choices import HeldRecord
from ..models import BookkeepingRecord, DueDiligenceRecord, LegalHold
from . import operations
from .statutes import bookkeeping_keep_until, due_diligence_keep_until


@dataclass(frozen=True)
class Kept:
    """A record that was not erased: what, why (``legal_hold``, ``bokforingsloven_13``,
    ``hvitvaskingsloven_30``) and until when (None: until the hold is lifted or the
    customer relationship has ended)."""

    record_type: str
    record_id: int
    reason: str
    keep_until: datetime.date | None


@dataclass
class ErasureOutcome:
    person_id: int
    erased: Counter[str] = field(default_factory=Counter)
    kept: list[Kept] = field(default_factory=list)
    person: str = "kept"  # "deleted", "anonymised" or "kept"


def _held_ids(person_id: int, record_type: HeldRecord) -> set[int]:
    holds = LegalHold.objects.filter(lifted_at__isnull=True, person_id=person_id)
    return set(holds.filter(record_type=record_type).values_list("record_id", flat=True))


@transaction.atomic
def erase_person(*, actor: Actor, person_id: int) -> ErasureOutcome:
    """Erase what may be erased. A hold on the person keeps everything; a held record or
    material the law makes us keep is kept and the person is then anonymised, not deleted
    (the kept records still point at the row)."""
    outcome = ErasureOutcome(person_id=person_id)
    person = Person.objects.select_for_update().get(pk=person_id)
    if _held_ids(person_id, HeldRecord.PERSON):
        outcome.kept.append(Kept(HeldRecord.PERSON, person_id, "legal_hold", None))
        _audit(actor, outcome)
        return outcome
    today = timezone.localdate()
    for record_type, model in (
        (HeldRecord.INTERACTION, Interaction),
        (HeldRecord.JOB_APPLICATION, JobApplication),
        (HeldRecord.BOOKKEEPING_RECORD, BookkeepingRecord),
        (HeldRecord.DUE_DILIGENCE_RECORD, DueDiligenceRecord),
    ):
        for pk in sorted(_held_ids(person_id, record_type)):
            if model._default_manager.filter(pk=pk, person_id=person_id).exists():
                outcome.kept.append(Kept(record_type, pk, "legal_hold", None))
    held = {(k.record_type, k.record_id) for k in outcome.kept}
    for bookkeeping in BookkeepingRecord.objects.filter(person_id=person_id):
        keep = bookkeeping_keep_until(bookkeeping.kind, bookkeeping.fiscal_year_end)
        key = (HeldRecord.BOOKKEEPING_RECORD, bookkeeping.pk)
        if keep >= today and key not in held:
            outcome.kept.append(Kept(*key, "bokforingsloven_13", keep))
    for due_diligence in DueDiligenceRecord.objects.filter(person_id=person_id):
        keep_dd = due_diligence_keep_until(due_diligence.relationship_ended_on)
        key = (HeldRecord.DUE_DILIGENCE_RECORD, due_diligence.pk)
        if (keep_dd is None or keep_dd >= today) and key not in held:
            outcome.kept.append(Kept(*key, "hvitvaskingsloven_30", keep_dd))
    kept_ids = {(k.record_type, k.record_id) for k in outcome.kept}

    def free(record_type: HeldRecord, ids: list[int]) -> list[int]:
        return [pk for pk in ids if (record_type, pk) not in kept_ids]

    interactions = free(
        HeldRecord.INTERACTION, list(person.interactions.values_list("pk", flat=True))
    )
    applications = free(
        HeldRecord.JOB_APPLICATION, list(person.job_applications.values_list("pk", flat=True))
    )
    bookkeeping_ids = free(
        HeldRecord.BOOKKEEPING_RECORD,
        list(BookkeepingRecord.objects.filter(person_id=person_id).values_list("pk", flat=True)),
    )
    due_diligence_ids = free(
        HeldRecord.DUE_DILIGENCE_RECORD,
        list(DueDiligenceRecord.objects.filter(person_id=person_id).values_list("pk", flat=True)),
    )
    outcome.erased += operations.delete_interactions(interactions)
    outcome.erased += operations.delete_job_applications(applications)
    outcome.erased["bookkeeping_records"] += BookkeepingRecord.objects.filter(
        pk__in=bookkeeping_ids
    ).delete()[0]
    outcome.erased["due_diligence_records"] += DueDiligenceRecord.objects.filter(
        pk__in=due_diligence_ids
    ).delete()[0]
    if outcome.kept:
        outcome.erased += operations.anonymise_people([person_id])
        outcome.person = "anonymised"
    else:
        outcome.erased += operations.delete_people([person_id])
        outcome.person = "deleted"
    outcome.erased = +outcome.erased
    _audit(actor, outcome)
    checkpoint_after_commit()
    return outcome


def _audit(actor: Actor, outcome: ErasureOutcome) -> None:
    record(
        actor=actor,
        event=AuditEventType.PERSON_ERASED,
        object_type="register.person",
        object_id=outcome.person_id,
        subject_id=outcome.person_id,
        detail={
            "erasure": True,
            "person": outcome.person,
            "erased": dict(sorted(outcome.erased.items())),
            "kept": dict(sorted(Counter(k.reason for k in outcome.kept).items())),
        },
    )
