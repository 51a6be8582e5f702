from __future__ import annotations

import pytest

from personvern.audit.models import AuditEntry
from personvern.consent.choices import ConsentMethod
from personvern.consent.imports import import_leads
from personvern.consent.keys import email_digest
from personvern.consent.models import SuppressionEntry
from personvern.consent.services import opt_out_of_everything, suppress_person
from personvern.register.models import Person
from personvern.register.services import delete_person
from tests.consent.conftest import EVIDENCE, SYSTEM
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_third_party_rows_without_proof_of_consent_are_refused_and_the_rest_imported():
    rows = [
        {"first_name": "Ada", "email": "ada@example.com", "consent_reference": "LP-1"},
        {"first_name": "Bo", "email": "bo@example.com"},
        {"first_name": "Cy", "email": "not-an-address", "consent_reference": "LP-3"},
        {"first_name": "Di", "phone": "+47 412 00 004", "consent_reference": "LP-4"},
    ]
    report = import_leads(actor=SYSTEM, source_party="Leadbroker AS", rows=rows)
    assert [(r.row, r.field, r.code) for r in report.refused] == [
        (2, "consent_reference", "consent_proof_required"),
        (3, "email", "invalid_email"),
    ]
    imported = Person.objects.filter(pk__in=report.accepted).order_by("first_name")
    assert [p.first_name for p in imported] == ["Ada", "Di"]
    assert {(p.source, p.source_party, p.category) for p in imported} == {
        ("third_party", "Leadbroker AS", "lead")
    }
    assert imported[0].source_reference == "LP-1"
    assert AuditEntry.objects.get(object_type="consent.leadimport").detail == {
        "accepted": 2,
        "refused": 2,
    }


def test_an_erased_persons_reimport_is_suppressed():
    # given a person who was erased (their addresses go to the suppression list)
    person = PersonFactory(
        email="gone@example.com", email_key="gone@example.com", phone="+4741999999"
    )
    suppress_person(person=person, reason="erasure")
    delete_person(actor=SYSTEM, person=person)
    # then nothing readable is kept
    assert not SuppressionEntry.objects.filter(digest__contains="gone").exists()
    assert SuppressionEntry.objects.filter(digest=email_digest("GONE@example.com")).exists()
    # when a third party sells them to us again, by e-mail or by phone
    report = import_leads(
        actor=SYSTEM,
        source_party="Leadbroker AS",
        rows=[
            {"first_name": "Again", "email": "Gone@Example.com", "consent_reference": "LP-9"},
            {"first_name": "Again", "phone": "41999999", "consent_reference": "LP-10"},
        ],
    )
    # then neither row is imported
    assert [r.code for r in report.refused] == ["suppressed", "suppressed"]
    assert not Person.objects.exists()


def test_duplicates_are_refused_not_doubled():
    existing = PersonFactory()
    report = import_leads(
        actor=SYSTEM,
        source_party="Leadbroker AS",
        rows=[{"first_name": "Dup", "email": existing.email, "consent_reference": "LP-1"}],
    )
    assert [r.code for r in report.refused] == ["duplicate"]


def test_opt_out_suppresses_future_imports():
    person = PersonFactory()
    opt_out_of_everything(
        actor=SYSTEM, person=person, method=ConsentMethod.WEB_FORM, evidence=EVIDENCE
    )
    delete_person(actor=SYSTEM, person=person)
    report = import_leads(
        actor=SYSTEM,
        source_party="X AS",
        rows=[{"first_name": "Y", "email": person.email, "consent_reference": "R"}],
    )
    assert [r.code for r in report.refused] == ["suppressed"]
