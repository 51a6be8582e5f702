from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.db.models import Prefetch
from django.utils import timezone, translation
from openpyxl import load_workbook

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.processing import services
from personvern.processing.choices import LegalBasis, TransferMechanism
from personvern.processing.export import (
    COLUMNS,
    CONTRIBUTED,
    ContributedColumn,
    contribute_column,
    export_record,
)
from personvern.processing.record_layout import HEADINGS
from tests.factories import OrganisationFactory, ProcessorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(officer_actor):
    OrganisationFactory(postal_address="Postboks 1\n0101 Oslo")
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
    # Google is not on an imported DPF list here: the record says the mechanism does not hold
    [transfer] = row["third_country_transfers"]
    assert transfer.startswith(
        "Google LLC: US, EU-US Data Privacy Framework (adequacy decision of 10 July 2023) \u2013 "
    )
    assert "DPF list" in transfer
    assert row["balancing_assessment"].endswith("(favourable)")
    assert row["subject_categories"] == ["Website visitor"]
    assert row["retention"] == "Cookies 30 days"


def test_csv_export_in_the_template_layout_with_neutralised_formulas(officer_actor, record):
    exported = export_record(actor=officer_actor, fmt="csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Gruppe", "Behandlingsaktivitet", "Formålet med behandlingen"]
    assert [heading for _k, heading in HEADINGS] == rows[0][1 : len(HEADINGS) + 1]
    assert "Postadresse" in rows[0]
    assert len(set(rows[0])) == len(rows[0])  # no heading twice
    assert len(rows) == 3
    names = [r[1] for r in rows[1:]]
    assert "Web statistics" in names
    assert '\'=HYPERLINK("x")' in names
    assert exported.filename.endswith(".csv")


def test_xlsx_export_opens_with_the_templates_headings_one_sheet_per_group(
    officer_actor, record
):
    # given a second group, a DPIA column filled by another app, and a signed agreement
    record.record_group = "Nettsted"
    record.special_category_condition = ""
    record.joint_controllers = "Numeri Holding AS"
    record.save()
    google = record.processors.get()
    services.record_agreement(
        actor=officer_actor,
        processor=google,
        signed_on=datetime.date(2025, 1, 2),
        review_due=datetime.date(2026, 12, 1),
        expires_on=datetime.date(2027, 1, 1),
    )
    assessments_column = CONTRIBUTED["dpia"]
    contribute_column(
        ContributedColumn(
            key="dpia",
            prefetch=lambda: Prefetch("data_categories"),
            value=lambda activity: "DPIA-7 (2026-03-01)" if activity.pk == record.pk else "",
        )
    )
    try:
        exported = export_record(actor=officer_actor, fmt="xlsx")
    finally:
        contribute_column(assessments_column)

    # when it is opened as a spreadsheet
    workbook = load_workbook(io.BytesIO(exported.content))

    # then each group is a sheet with the controller block and the template's headings
    assert workbook.sheetnames == ["Behandlinger", "Nettsted"]
    sheet = workbook["Nettsted"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    block = {r[0]: r[1] for r in values[:5]}
    assert block["Behandlingsansvarlig"] == "Testfirma AS"
    assert block["Postadresse"] == "Postboks 1 0101 Oslo"
    assert "@" in block["Personvernombud / kontaktpunkt"]
    assert block["Protokollen sist oppdatert"] == timezone.localdate().isoformat()
    headings = values[6]
    assert headings == [heading for _k, heading in HEADINGS]
    for expected in (
        "Behandlingsaktivitet",
        "Formålet med behandlingen",
        "Kategorier av registrerte",
        "Kategorier av personopplysninger",
        "Kategorier av mottakere",
        "Overføring til tredjeland og garantier",
        "Planlagte tidsfrister for sletting",
        "Tekniske og organisatoriske sikkerhetstiltak",
        "Unntak for særlige kategorier (art. 9)",
        "Felles behandlingsansvarlige",
        "Vurdering av personvernkonsekvenser (DPIA)",
        "Databehandleravtaler (inngått\u2013utløper)",
        "Sist oppdatert",
    ):
        assert expected in headings
    row = dict(zip(headings, values[7], strict=True))
    assert row["Behandlingsaktivitet"] == "Web statistics"
    assert row["Felles behandlingsansvarlige"] == "Numeri Holding AS"
    assert row["Vurdering av personvernkonsekvenser (DPIA)"] == "DPIA-7 (2026-03-01)"
    assert row["Databehandleravtaler (inngått\u2013utløper)"] == (
        "Google LLC: 2025-01-02\u20132027-01-01"
    )
    assert len(values) == 8
    assert len(list(workbook["Behandlinger"].iter_rows(values_only=True))) == 8


def test_an_art9_condition_is_exported_where_relevant(officer_actor, record):
    record.special_category_condition = "b"
    record.save()
    exported = export_record(actor=officer_actor, fmt="csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    column = rows[0].index("Unntak for særlige kategorier (art. 9)")
    by_name = {r[1]: r[column] for r in rows[1:]}
    assert by_name["Web statistics"].startswith("Art. 9 nr. 2 bokstav b")
    assert by_name['\'=HYPERLINK("x")'] == ""


def test_export_is_audited_and_unknown_format_refused(officer_actor, record):
    export_record(actor=officer_actor, fmt="json")
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail == {"format": "json", "activities": 2}
    with pytest.raises(DomainError) as caught:
        export_record(actor=officer_actor, fmt="pdf")
    assert caught.value.errors[0].field == "format"
