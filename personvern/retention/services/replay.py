"""Erasing again, after a restore, whoever the erasure journal says was erased after the
backup (``personvern restore``; see ``personvern.core.journal``). Each is erased the way they
were first: their addresses on the suppression list, then ``erase_person``, which keeps what
a hold or the law keeps, as it did then, and the processing of an anonymised rest restricted.
Safe to run twice: a person already gone is not found again."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.consent.services import suppress_person
from personvern.core import journal
from personvern.core.actors import Actor
from personvern.register.models import Person
from personvern.register.services import restrict_processing

from .erasure import erase_person, journal_identity

# People read per query while looking for the journal's hashes.
CHUNK = 5000


@dataclass
class ReplayReport:
    entries: int = 0
    erased: int = 0


def replay_erasures(*, actor: Actor, after: datetime.datetime) -> ReplayReport:
    """Erase again every person the journal lists as erased later than ``after``; the
    restore itself is audited, with the counts (each erasure is audited by ``erase_person``)."""
    wanted = {entry.digest for entry in journal.entries(after=after)}
    report = ReplayReport(entries=len(wanted))
    if wanted:
        _erase_found(actor=actor, wanted=wanted, report=report)
    record(
        actor=actor,
        event=AuditEventType.ERASURES_REPLAYED,
        object_type="backups.backup",
        detail={
            "backup_taken_at": after.isoformat(),
            "journal_entries": report.entries,
            "erased_again": report.erased,
        },
    )
    return report


def _erase_found(*, actor: Actor, wanted: set[str], report: ReplayReport) -> None:
    found: list[int] = []
    last = 0
    while True:
        rows = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "created_at")[:CHUNK]
        )
        if not rows:
            break
        for pk, created_at in rows:
            if journal.digest(journal_identity(pk, created_at)) in wanted:
                found.append(pk)
        last = rows[-1][0]
    for pk in found:
        _erase_again(actor=actor, person_id=pk)
        report.erased += 1


@transaction.atomic
def _erase_again(*, actor: Actor, person_id: int) -> None:
    person = Person.objects.select_for_update().get(pk=person_id)
    suppress_person(person=person, reason="erasure")
    outcome = erase_person(actor=actor, person_id=person_id)
    if outcome.person == "anonymised":
        # As the erasure request did: what the law keeps is kept for that reason alone.
        restrict_processing(actor=actor, person=Person.objects.get(pk=person_id))
