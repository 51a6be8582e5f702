from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import translation
from openpyxl import load_workbook

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.processing import services
from personvern.processing.choices import LegalBasis, TransferMechanism
from personvern.processing.export import COLUMNS, export_record
from tests.factories import OrganisationFactory, ProcessorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(officer_actor):
    OrganisationFactory()
    google = ProcessorFactory(
        name="Google LLC", country="US", transfer_mechanism=TransferMechanism.EU_US_DPF
    )
    activity = services.create_activity(
        actor=officer_actor,
        values=services.ActivityValues(
            name="Web statistics",
            purpose="Understand how visitors use the site",
            legal_basis=LegalBasis.LEGITIMATE_INTEREST,
            subject_categories=["website_visitor"],
            data_categories=["user.device.ip_address"],
            processors=[google],
            recipients="Google (processor)",
            retention="Cookies 30 days",
            security_measures="IP addresses masked before storage",
        ),
    )
    services.record_balancing_assessment(
        actor=officer_actor,
        activity=activity,
        purpose_test="p",
        necessity_test="n",
        balancing_test="b",
        outcome="favourable",
    )
    services.create_activity(
        actor=officer_actor,
        values=services.ActivityValues(
            name='=HYPERLINK("x")',
            purpose="Formula injection attempt",
            legal_basis=LegalBasis.CONTRACT,
        ),
    )
    return activity


def test_json_export_has_every_art30_field(officer_actor, record):
    with translation.override("en"):
        exported = export_record(actor=officer_actor, fmt="json")
    document = json.loads(exported.content)
    assert document["controller"]["controller"] == "Testfirma AS"
    row = next(a for a in document["activities"] if a["activity"] == "Web statistics")
    assert set(row) == {key for key, _h in COLUMNS[4:]}
    assert row["data_categories"] == ["user.device.ip_address"]
    assert row["third_country_transfers"] == [
        "Google LLC: US, EU-US Data Privacy Framework (adequacy decision of 10 July 2023)"
    ]
    assert row["balancing_assessment"].endswith("(favourable)")
    assert row["subject_categories"] == ["Website visitor"]
    assert row["retention"] == "Cookies 30 days"


def test_csv_export_has_header_rows_and_neutralised_formulas(officer_actor, record):
    exported = export_record(actor=officer_actor, fmt="csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == [heading for _k, heading in COLUMNS]
    assert len(rows) == 3
    names = [r[4] for r in rows[1:]]
    assert "Web statistics" in names
    assert '\'=HYPERLINK("x")' in names
    assert exported.filename.endswith(".csv")


def test_xlsx_export_opens_with_every_column(officer_actor, record):
    exported = export_record(actor=officer_actor, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [heading for _k, heading in COLUMNS]
    assert len(values) == 3


def test_export_is_audited_and_unknown_format_refused(officer_actor, record):
    export_record(actor=officer_actor, fmt="json")
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail == {"format": "json", "activities": 2}
    with pytest.raises(DomainError) as caught:
        export_record(actor=officer_actor, fmt="pdf")
    assert caught.value.errors[0].field == "format"
