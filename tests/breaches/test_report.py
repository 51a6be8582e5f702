"""The draft notification follows Datatilsynet's form, field by field, in Norwegian."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.breaches import report, services
from personvern.breaches.choices import BreachErrorCode
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.processing.models import DataCategory
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("tests")
OSLO_AWARE = datetime.datetime(2026, 3, 28, 9, 0, tzinfo=datetime.UTC)  # 10:00 CET


@pytest.fixture
def breach(controller):
    category, _ = DataCategory.objects.update_or_create(
        key="user.financial", defaults={"name": "Lønnsopplysninger"}
    )
    values = {
        "title": "Lost laptop",
        "what_happened": "A laptop was stolen from a car.",
        "cause": "The laptop was left in the car.",
        "began_at": OSLO_AWARE - datetime.timedelta(hours=2),
        "aware_at": OSLO_AWARE,
        "activities": [ProcessingActivityFactory(subject_categories=["employee"])],
        "data_categories": [category],
        "subject_categories": ["employee"],
        "approx_people": 12,
        "approx_records": 40,
        "data_whereabouts": "Unknown; the disk is encrypted.",
        "likely_consequences": "Low: the disk is encrypted.",
        "measures_taken": "The laptop was wiped remotely.",
        "measures_proposed": "No local copies of payroll files.",
    }
    return services.record_breach(actor=ACTOR, values=values)


# The form's fields as the test reads Datatilsynet's guidance, in order (the data file must
# keep exactly these; the source is named in it).
EXPECTED_ORDER = [
    "virksomhet", "organisasjonsnummer", "meldingstype", "forsinkelse",
    "hovedarsak", "tidsrom", "oppdaget", "antall_berorte", "hva_skjedde", "hvordan_oppsto",
    "type_opplysninger", "relasjon", "hvor_na",
    "konsekvenser", "tiltak", "informert", "kontakt",
]  # fmt: skip


def test_the_form_list_is_data_with_its_source():
    document = json.loads(report.FORM.read_text(encoding="utf-8"))
    assert "datatilsynet.no" in document["url"] and document["source"]
    assert [key for _s, key, _l in report.form_fields()] == EXPECTED_ORDER
    assert [s["title"] for s in document["sections"]] == [
        "Virksomheten", "Beskrivelse av avviket", "Konsekvenser", "Tiltak", "Informasjon",
        "Kontaktinformasjon",
    ]  # fmt: skip


def test_the_draft_fills_every_field_of_the_form_in_its_order(breach):
    draft = report.draft(breach)
    assert [f.key for f in draft] == EXPECTED_ORDER
    assert [f.label for f in draft] == [label for _s, _k, label in report.form_fields()]
    values = {f.key: f.value for f in draft}
    assert values["virksomhet"] == "Numeri AS"
    assert values["organisasjonsnummer"] == "974760673"
    assert values["meldingstype"] == "Foreløpig melding"
    assert values["forsinkelse"] == ""
    assert values["hovedarsak"] == "The laptop was left in the car."
    assert values["tidsrom"] == "Fra 28.03.2026 kl. 08:00, pågår"
    assert values["oppdaget"] == "28.03.2026 kl. 10:00 (Oppdaget av ansatte)"
    assert values["antall_berorte"] == "Omtrent 12 personer, 40 registreringer"
    assert values["hva_skjedde"] == "A laptop was stolen from a car."
    assert values["hvordan_oppsto"] == "The laptop was left in the car."
    assert values["type_opplysninger"] == "Lønnsopplysninger"
    assert values["relasjon"] == "Ansatte"
    assert values["hvor_na"] == "Unknown; the disk is encrypted."
    assert values["konsekvenser"] == "Low: the disk is encrypted."
    assert values["tiltak"] == (
        "Gjennomført: The laptop was wiped remotely.\nPlanlagt: No local copies of payroll files."
    )
    assert values["informert"].startswith("Nei")
    assert values["kontakt"] == "Daglig leder, post@numeri.example"


def test_after_the_initial_notification_the_draft_is_a_follow_up(breach):
    services.record_notification(
        actor=ACTOR, breach=breach, phase="initial", submitted_at=timezone.now(),
        reference="26/00042", delay_reasons="The extent took days to establish.",
    )
    values = {f.key: f.value for f in report.draft(breach)}
    assert values["meldingstype"] == "Oppfølging av tidligere melding"
    assert values["forsinkelse"] == "The extent took days to establish."


def test_export_as_html_and_pdf_is_audited(breach):
    html = report.export_report(actor=ACTOR, breach=breach, fmt="html")
    text = html.content.decode()
    assert 'lang="nb"' in text and "Utkast til avviksmelding" in text
    assert text.index("Hovedårsak") < text.index("Mulige konsekvenser") < text.index("Navn og")
    assert "31.03.2026 kl. 11:00" in text  # the deadline, in Oslo time after the DST change
    pdf = report.export_report(actor=ACTOR, breach=breach, fmt="pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.content_type == "application/pdf"
    entries = AuditEntry.objects.filter(event_type=AuditEventType.BREACH_REPORT_EXPORTED)
    assert [e.detail["format"] for e in entries.order_by("sequence")] == ["html", "pdf"]
    with pytest.raises(DomainError) as refused:
        report.export_report(actor=ACTOR, breach=breach, fmt="docx")
    assert refused.value.code == BreachErrorCode.INVALID_EXPORT_FORMAT
