"""The demo's bookkeeping material and customer due diligence, so that the retention rules of
bokføringsloven § 13 and hvitvaskingsloven have something to keep and, later, to delete.

Deterministic (customers in e-mail order, dates from their position) and idempotent: nothing is
added once the demo's references exist.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from personvern.core.actors import Actor
from personvern.register.choices import SubjectCategory
from personvern.register.models import Person
from personvern.retention.choices import BookkeepingKind
from personvern.retention.models import BookkeepingRecord
from personvern.retention.services.records import (
    register_bookkeeping_record,
    register_due_diligence_record,
)

PREFIX = "DEMO-"


def load_bookkeeping(*, actor: Actor, created: Counter[str]) -> None:
    if BookkeepingRecord.objects.filter(reference__startswith=PREFIX).exists():
        return
    today = timezone.localdate()
    customers = Person.objects.filter(category=SubjectCategory.CUSTOMER_CONTACT).order_by(
        "email_key"
    )
    for index, person in enumerate(customers):
        # Invoices spread over the last seven years: the oldest are past their five years.
        for offset, kind in (
            (index % 7, BookkeepingKind.PRIMARY),
            (index % 4, BookkeepingKind.AGREEMENTS),
        ):
            document_date = datetime.date(today.year - offset, 1 + index % 12, 1 + index % 28)
            register_bookkeeping_record(
                actor=actor, kind=kind, reference=f"{PREFIX}{kind[:3].upper()}-{index:04d}",
                document_date=min(document_date, today), person=person, company=person.company,
            )  # fmt: skip
            created["bookkeeping records"] += 1
        register_due_diligence_record(
            actor=actor,
            reference=f"{PREFIX}KYC-{index:04d}",
            performed_on=today - datetime.timedelta(days=365 * (1 + index % 8)),
            person=person,
            company=person.company,
            relationship_ended_on=person.relationship_ended_on,
        )
        created["due-diligence records"] += 1
