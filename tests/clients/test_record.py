"""The Art. 30(2) record: the clients the firm processes for, exported as CSV and XLSX."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.clients.choices import ClientsErrorCode
from personvern.clients.export import COLUMNS, export_client_record
from personvern.clients.services import create_client, record_client_agreement
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from tests.factories import OrganisationFactory, ProcessorFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("tests")


@pytest.fixture
def client_controller():
    OrganisationFactory(legal_name="Numeri AS")
    client = create_client(
        actor=ACTOR,
        values={"name": "Fjordbakst AS", "organisation_number": "923609016",
                "contact_email": "dpo@fjordbakst.example", "processing": "Payroll",
                "subject_categories": "Employees", "transfers": "",
                "security_measures": "=cmd|' /C calc'!A0"},
        sub_processors=[ProcessorFactory(name="Payroll Cloud AS")],
    )  # fmt: skip
    record_client_agreement(actor=ACTOR, client=client, signed_on=datetime.date(2025, 1, 2))
    return client


def test_export_csv_names_the_client_agreement_and_sub_processor(client_controller):
    exported = export_client_record(actor=ACTOR, fmt="csv")
    text = exported.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",")[0] == COLUMNS[0][1]
    assert "Fjordbakst AS" in row and "Payroll Cloud AS" in row
    assert "Regnskap Norges standard databehandleravtale (bransjenormen), 2025-01-02" in row
    assert "'=cmd" in row  # a formula is neutralised
    assert AuditEntry.objects.filter(event_type=AuditEventType.CLIENT_RECORD_EXPORTED).exists()


def test_export_xlsx(client_controller):
    exported = export_client_record(actor=ACTOR, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = list(sheet.values)
    assert rows[0] == tuple(h for _k, h in COLUMNS)
    assert rows[1][0] == "Numeri AS" and rows[1][2] == "Fjordbakst AS"


def test_an_unknown_format_and_a_review_before_signing_are_refused(client_controller):
    with pytest.raises(DomainError) as refused:
        export_client_record(actor=ACTOR, fmt="pdf")
    assert refused.value.code == ClientsErrorCode.INVALID_EXPORT_FORMAT
    with pytest.raises(DomainError) as dates:
        record_client_agreement(actor=ACTOR, client=client_controller,
                                signed_on=datetime.date(2025, 1, 2),
                                review_due=datetime.date(2024, 1, 1))  # fmt: skip
    assert dates.value.field == "review_due"
