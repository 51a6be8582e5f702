"""The record of processing carried out for clients (GDPR Art. 30(2)) as CSV and XLSX: one
row per client controller, with the processor's own details on each row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.organisation.selectors import get_controller

from .choices import AgreementTemplate, ClientsErrorCode
from .models import ClientController

COLUMNS: list[tuple[str, str]] = [
    ("processor", "Processor (Art. 30(2)(a))"),
    ("processor_contact", "Processor contact"),
    ("client", "Controller processed for (Art. 30(2)(a))"),
    ("client_organisation_number", "Controller organisation number"),
    ("client_contact", "Controller contact"),
    ("processing", "Categories of processing (Art. 30(2)(b))"),
    ("data_categories", "Categories of personal data"),
    ("subject_categories", "Categories of data subjects"),
    ("sub_processors", "Sub-processors"),
    ("transfers", "Transfers to third countries and safeguards (Art. 30(2)(c))"),
    ("security_measures", "Security measures (Art. 30(2)(d))"),
    ("agreement", "Data-processing agreement (Art. 28(3))"),
]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def client_rows() -> list[dict[str, Any]]:
    org = get_controller()
    labels = dict(AgreementTemplate.choices)
    rows = []
    clients = ClientController.objects.prefetch_related(
        "data_categories", "sub_processors", "agreements"
    )
    for client in clients:
        agreement = next(iter(client.agreements.all()), None)
        rows.append({
            "processor": org.legal_name if org else "",
            "processor_contact": org.privacy_contact_email if org else "",
            "client": client.name,
            "client_organisation_number": client.organisation_number,
            "client_contact": client.contact_email,
            "processing": client.processing,
            "data_categories": "; ".join(c.key for c in client.data_categories.all()),
            "subject_categories": client.subject_categories,
            "sub_processors": "; ".join(p.name for p in client.sub_processors.all()),
            "transfers": client.transfers,
            "security_measures": client.security_measures,
            "agreement": (
                f"{labels[agreement.template]}, {agreement.signed_on.isoformat()}"
                if agreement else ""
            ),
        })  # fmt: skip
    return rows


def _safe(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in free-text cells."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for _k, heading in COLUMNS])
    for row in rows:
        writer.writerow([_safe(str(row[key])) for key, _h in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook  # here, not at start-up: ~20 MiB in every process

    workbook = Workbook()
    sheet = workbook.create_sheet(index=0)
    workbook.remove(workbook.worksheets[1])
    sheet.title = "Art. 30(2) record"
    sheet.append([heading for _k, heading in COLUMNS])
    for row in rows:
        sheet.append([_safe(str(row[key])) for key, _h in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def export_client_record(*, actor: Actor, fmt: str) -> ExportFile:
    if fmt not in FORMATS:
        raise DomainError(
            code=ClientsErrorCode.INVALID_EXPORT_FORMAT,
            message=_("Choose csv or xlsx."),
            field="format",
        )
    rows = client_rows()
    content = render_csv(rows) if fmt == "csv" else render_xlsx(rows)
    record(actor=actor, event=AuditEventType.CLIENT_RECORD_EXPORTED,
           object_type="clients.record", detail={"format": fmt})  # fmt: skip
    return ExportFile(
        content=content,
        content_type=FORMATS[fmt],
        filename=f"processor-record-{timezone.localdate():%Y-%m-%d}.{fmt}",
    )
