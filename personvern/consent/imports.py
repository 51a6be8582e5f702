"""Leads bought or received from a third party.

The privacy notice promises such data is used only when the person consented to the sharing:
a row without a reference to the third party's proof of consent is refused, and so is a row
whose address is on the suppression list. Every row stands alone: a refused row is reported
with its reason and the rest of the import goes through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.register.choices import Source, SubjectCategory
from personvern.register.selectors import find_people
from personvern.register.services import PersonValues, create_person

from . import keys
from .choices import ConsentErrorCode
from .models import SuppressionEntry

LEAD_FIELDS = ("first_name", "last_name", "email", "phone", "position", "role")


@dataclass(frozen=True)
class RefusedRow:
    row: int
    field: str
    code: str
    message: str


@dataclass
class ImportReport:
    accepted: list[int] = field(default_factory=list)  # person ids, in row order
    refused: list[RefusedRow] = field(default_factory=list)


def _refuse(report: ImportReport, row: int, field_name: str, code: Any, message: Any) -> None:
    report.refused.append(RefusedRow(row, field_name, str(code), str(message)))


def _suppressed(values: Mapping[str, Any]) -> bool:
    digests = [
        d
        for d in (
            keys.try_email_digest(values["email"]) if values.get("email") else None,
            keys.try_phone_digest(values["phone"]) if values.get("phone") else None,
        )
        if d
    ]
    return SuppressionEntry.objects.filter(digest__in=digests).exists()


def import_leads(
    *, actor: Actor, source_party: str, rows: Sequence[Mapping[str, Any]]
) -> ImportReport:
    """Create a lead for each acceptable row; refuse the others with the field and reason."""
    if not source_party.strip():
        raise DomainError(
            code=CoreErrorCode.REQUIRED,
            message=_("Name the third party the leads come from."),
            field="source_party",
        )
    report = ImportReport()
    for number, row in enumerate(rows, start=1):
        _import_row(actor=actor, source_party=source_party.strip(), number=number, row=row,
                    report=report)  # fmt: skip
    record(actor=actor, event=AuditEventType.LEADS_IMPORTED, object_type="consent.leadimport",
           detail={"accepted": len(report.accepted), "refused": len(report.refused)})  # fmt: skip
    return report


def _import_row(
    *, actor: Actor, source_party: str, number: int, row: Mapping[str, Any], report: ImportReport
) -> None:
    reference = str(row.get("consent_reference") or "").strip()
    if not reference:
        _refuse(report, number, "consent_reference", ConsentErrorCode.CONSENT_PROOF_REQUIRED,
                _("No reference to the third party's proof of consent to share."))  # fmt: skip
        return
    if _suppressed(row):
        _refuse(report, number, "email", ConsentErrorCode.SUPPRESSED,
                _("This person opted out or was erased: not imported."))  # fmt: skip
        return
    if find_people(email=str(row.get("email") or ""), phone=str(row.get("phone") or "")).exists():
        _refuse(report, number, "email", ConsentErrorCode.DUPLICATE,
                _("Already in the register."))  # fmt: skip
        return
    text = {name: str(row.get(name) or "") for name in LEAD_FIELDS}
    values = PersonValues(
        first_name=text["first_name"],
        last_name=text["last_name"],
        email=text["email"],
        phone=text["phone"],
        position=text["position"],
        role=text["role"],
        category=SubjectCategory.LEAD,
        source=Source.THIRD_PARTY,
        source_party=source_party,
        source_reference=reference,
    )
    try:
        with transaction.atomic():
            person = create_person(actor=actor, values=values)
    except DomainError as exc:
        for error in exc.errors:
            _refuse(report, number, error.field, error.code, error.message)
        return
    report.accepted.append(person.pk)
