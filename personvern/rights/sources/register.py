"""The register as a data source: the person, their company, interactions, job applications
and documents, the consent ledger and current consents, and the bookkeeping and
due-diligence records retention keeps track of.

Erasure goes through retention's ``erase_person`` so that a request and the retention sweep
remove exactly the same things; the person's e-mail and phone go on the suppression list
first (as keyed hashes), and whatever the law makes us keep is left restricted."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.consent.models import ConsentEvent, ConsentState
from personvern.consent.services import suppress_person
from personvern.core.actors import Actor
from personvern.register.linked import linked_records
from personvern.register.models import Person
from personvern.register.services import (
    PersonChanges,
    lift_restriction,
    restrict_processing,
    update_person,
)
from personvern.retention.models import BookkeepingRecord, DueDiligenceRecord
from personvern.retention.services import erase_person

from .base import Collected, Corrections, DataSource, KindData

PROVIDED_BY_PERSON = frozenset({"data_subject", "interaction"})


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _row(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in names}


class RegisterSource(DataSource):
    key = "register"
    label = _("The register")
    holds_identity = True

    def collect(self, person: Person) -> Collected:
        collected = Collected()
        kinds = collected.kinds
        profile = _row(
            person,
            (
                "id",
                "category",
                "first_name",
                "last_name",
                "email",
                "phone",
                "position",
                "role",
                "source",
                "source_party",
                "source_reference",
                "relationship_ended_on",
                "processing_restricted_since",
                "legitimate_interest_objection_since",
                "last_interaction_at",
                "created_at",
                "updated_at",
            ),
        )
        kinds["person"] = KindData(
            description=_("Your name, contact details, position and role with us."),
            source=_("From you, unless the source column names a third party or public source."),
            records=[profile],
            portable=person.source in PROVIDED_BY_PERSON,
        )
        company = person.company
        kinds["company"] = KindData(
            description=_("The company you work for, as we have registered it."),
            source=_("From you or from public registers (Brønnøysundregistrene)."),
            records=[]
            if company is None
            else [
                _row(
                    company,
                    (
                        "id",
                        "name",
                        "organisation_number",
                        "street_address",
                        "postal_code",
                        "city",
                        "country",
                        "email",
                        "phone",
                        "website",
                        "source",
                    ),
                )
            ],
        )
        kinds["interactions"] = KindData(
            description=_("Meetings, calls, e-mails and other contact with you, with notes."),
            source=_("Written by our staff during contact with you."),
            records=[
                _row(i, ("id", "channel", "summary", "occurred_at"))
                for i in person.interactions.order_by("occurred_at", "pk")
            ],
        )
        applications = list(person.job_applications.prefetch_related("documents"))
        kinds["job_applications"] = KindData(
            description=_("Job applications you sent us and where they stand."),
            source=_("From you."),
            records=[
                _row(a, ("id", "position", "status", "received_at", "decision_date"))
                for a in applications
            ],
            portable=True,
        )
        documents = []
        for application in applications:
            for document in application.documents.all():
                suffix = document.file.name.rsplit(".", 1)[-1][:10] if document.file else "bin"
                path = f"documents/{document.pk}.{suffix}"
                with document.file.open("rb") as handle:
                    collected.files[path] = handle.read()
                collected.portable_files.add(path)
                documents.append(
                    {
                        **_row(document, ("id", "title", "uploaded_at")),
                        "application_id": application.pk,
                        "file": path,
                    }
                )
        kinds["application_documents"] = KindData(
            description=_(
                "Documents with your applications (CV, letters); the files are included."
            ),
            source=_("From you."),
            records=documents,
            portable=True,
        )
        kinds["consent_events"] = KindData(
            description=_(
                "Every consent you gave, refused or withdrew, with the exact text shown."
            ),
            source=_("Your own choices, recorded when you made them."),
            records=[
                self._event(e)
                for e in ConsentEvent.objects.filter(person_id=person.pk)
                .select_related("purpose", "text")
                .order_by("sequence")
            ],
            portable=True,
        )
        kinds["consent_states"] = KindData(
            description=_("Your current answer per purpose and channel."),
            source=_("Your own choices."),
            records=[
                {
                    "purpose": s.purpose.name if s.purpose else None,
                    "channel": s.channel,
                    "action": s.action,
                    "changed_at": _value(s.changed_at),
                }
                for s in ConsentState.objects.filter(person=person)
                .select_related("purpose")
                .order_by("pk")
            ],
            portable=True,
        )
        kinds["bookkeeping_records"] = KindData(
            description=_("Bookkeeping material naming you (invoices, vouchers)."),
            source=_(
                "Our accounting; kept as the Bookkeeping Act (bokføringsloven § 13) requires."
            ),
            records=[
                _row(b, ("id", "kind", "reference", "document_date", "fiscal_year"))
                for b in BookkeepingRecord.objects.filter(person=person)
            ],
        )
        kinds["due_diligence_records"] = KindData(
            description=_("Customer due diligence under the Anti-Money Laundering Act."),
            source=_("From you and public registers (hvitvaskingsloven)."),
            records=[
                _row(d, ("id", "reference", "performed_on", "relationship_ended_on"))
                for d in DueDiligenceRecord.objects.filter(person=person)
            ],
        )
        # What apps above the register link to the person (the website's IP log).
        for kind, linked in linked_records(person).items():
            kinds[kind] = KindData(
                description=linked.description, source=linked.source, records=linked.records
            )
        return collected

    @staticmethod
    def _event(event: ConsentEvent) -> dict[str, Any]:
        text = event.text
        return {
            "sequence": event.sequence,
            "occurred_at": _value(event.occurred_at),
            "purpose": event.purpose.name if event.purpose else None,
            "channel": event.channel,
            "action": event.action,
            "method": event.method,
            "evidence": event.evidence,
            "text_title": text.title if text else None,
            "text_version": text.version if text else None,
            "text_language": text.language if text else None,
            "text": text.text if text else None,
            "text_sha256": text.sha256 if text else None,
            "hash": event.hash,
        }

    @transaction.atomic
    def erase(self, person: Person, *, actor: Actor, job: str = "") -> dict[str, Any]:
        suppressed = suppress_person(person=person, reason="erasure")
        had_ledger = ConsentEvent.objects.filter(person_id=person.pk).exists()
        outcome = erase_person(actor=actor, person_id=person.pk)
        kept = [
            {
                "record_type": str(k.record_type),
                "record_id": k.record_id,
                "reason": k.reason,
                "keep_until": k.keep_until.isoformat() if k.keep_until else None,
            }
            for k in outcome.kept
        ]
        if had_ledger:
            # The ledger is proof of consent (Art. 7(1)); after erasure its rows hold a bare
            # id, the purpose and the masked evidence: nothing that names the person.
            kept.append(
                {
                    "record_type": "consent_ledger",
                    "record_id": None,
                    "reason": "gdpr_art_7_1",
                    "keep_until": None,
                }
            )
        remaining = Person.objects.filter(pk=person.pk).first()
        if remaining is not None:
            # What the law makes us keep is kept for that reason alone: storage only.
            restrict_processing(actor=actor, person=remaining)
        return {
            "person": outcome.person,
            "erased": {key: int(n) for key, n in sorted(outcome.erased.items())},
            "kept": kept,
            "suppressed": sorted(suppressed),
        }

    @transaction.atomic
    def rectify(
        self, person: Person, *, changes: Corrections, actor: Actor, job: str = ""
    ) -> dict[str, Any]:
        """Corrected through the register's own service (validated, audited); last of all
        sources, since the others find the person by the identity held here."""
        before = {name: getattr(person, name) for name in changes.register}
        updated = update_person(
            actor=actor, person=person, changes=cast(PersonChanges, dict(changes.register))
        )
        changed = sorted(n for n in changes.register if getattr(updated, n) != before[n])
        return {"rectified": {"person": 1 if changed else 0}, "fields": changed}

    def restrict(self, person: Person, *, on: bool, actor: Actor, job: str = "") -> dict[str, Any]:
        if on:
            restrict_processing(actor=actor, person=person)
        else:
            lift_restriction(actor=actor, person=person)
        return {"restricted": on}
