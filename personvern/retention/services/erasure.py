"""Erasing one person on request (GDPR Art. 17) with the sweep's own operations, so erasure
and retention remove exactly the same things and respect the same holds and statutes.

Nothing here decides whether a request is valid: the erasure-request workflow does that, then
calls :func:`erase_person` and shows the data subject what was erased and what was kept, why,
and until when. Staff deletion of a person (:func:`delete_person`) is the same erasure, refused
while anything of theirs must be kept."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.consent.services import suppress_person
from personvern.core import journal
from personvern.core.actors import Actor
from personvern.core.db import checkpoint_after_commit
from personvern.core.errors import DomainError
from personvern.register.choices import RegisterErrorCode
from personvern.register.models import Interaction, JobApplication, Person
from personvern.register.services import require_unrestricted

from ..choices import HeldRecord
from ..keepers import KEEPERS
from ..models import BookkeepingRecord, DueDiligenceRecord, LegalHold
from ..selectors import active_holds
from . import operations
from .statutes import (
    bookkeeping_keep_until,
    bookkeeping_past_statute,
    due_diligence_keep_until,
    due_diligence_past_statute,
)


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
    # Outside the database, once this commits: a restore of an older backup erases them again.
    journal.record_erasure(identity=journal_identity(person_id, person.created_at))
    checkpoint_after_commit()
    return outcome


def journal_identity(person_id: int, created_at: datetime.datetime) -> str:
    """What the erasure journal hashes for a person: the id with the creation time, which no
    later person with a reused id shares (ids are given again after a restore)."""
    return f"register.person:{person_id}:{created_at.isoformat()}"


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


def _held() -> DomainError:
    return DomainError(
        code=RegisterErrorCode.PERSON_UNDER_LEGAL_HOLD,
        message=_(
            "This person or one of their records is under a legal hold: nothing of theirs "
            "can be deleted until the hold is lifted."
        ),
        status=409,
    )


def _refuse_if_kept(person: Person) -> None:
    """Staff deletion removes everything of the person's, so it is refused while anything of
    theirs must stay: a legal hold (on them or one of their records), what an app above keeps
    (``keepers``: an open data-subject request, whose answer acts on the data as it was), or
    records the law makes us keep. An
    erasure request is the way for those: it keeps what must be kept and erases the rest."""
    if active_holds().filter(person_id=person.pk).exists():
        raise _held()
    for keeper in KEEPERS.values():  # an open data-subject request (rights)
        if Person.objects.filter(pk=person.pk).filter(keeper.keeps(OuterRef("pk"))).exists():
            raise keeper.refusal()
    today = timezone.localdate()
    kept_by_law = (
        BookkeepingRecord.objects.filter(person_id=person.pk)
        .exclude(bookkeeping_past_statute(today))
        .exists()
        or DueDiligenceRecord.objects.filter(person_id=person.pk)
        .exclude(due_diligence_past_statute(today))
        .exists()
    )
    if kept_by_law:
        raise DomainError(
            code=RegisterErrorCode.RECORDS_KEPT_BY_LAW,
            message=_(
                "The law requires records about this person to be kept (bookkeeping or customer "
                "due diligence), so they cannot be deleted. Record an erasure request instead: "
                "it keeps what must be kept and erases the rest."
            ),
            status=409,
        )


@transaction.atomic
def delete_person(*, actor: Actor, person: Person) -> None:
    """Delete a person with everything of theirs (staff UI, API). Refused (409) while anything
    of theirs must be kept; otherwise their e-mail and phone go on the suppression list first,
    so an objection or opt-out outlives the row and a re-imported lead is not contacted. The
    deletion is retention's own (statistics folded, files removed only after commit); its
    audit entry is written by ``erase_person``, the suppression's here. The register's
    ``delete_person`` (staff UI, API) calls this: registered in ``apps.py``."""
    require_unrestricted(actor=actor, person=person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    _refuse_if_kept(person)
    suppressed = suppress_person(person=person, reason="deleted")
    outcome = erase_person(actor=actor, person_id=person.pk)
    if outcome.person != "deleted":  # a hold set meanwhile: undo everything
        raise _held()
    if suppressed:
        record(
            actor=actor,
            event=AuditEventType.ADDRESSES_SUPPRESSED,
            object_type="consent.suppressionentry",
            subject_id=person.pk,
            detail={"kinds": suppressed, "reason": "deleted"},
        )
