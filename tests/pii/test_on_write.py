"""The scan on write: warn saves and records the finding; refuse saves nothing and names the
field and the kind, never the value."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.pii import services as pii
from personvern.pii.choices import FindingStatus, PiiErrorCode
from personvern.pii.models import Finding
from personvern.register import services
from personvern.register.models import Interaction, JobApplicationDocument
from tests.factories import PersonFactory

from .documents import docx_with, pdf_with

pytestmark = pytest.mark.django_db


def test_warn_saves_records_the_finding_and_audits_counts_only(officer_actor, fnr):
    # given a summary holding an identity number and health data (the default policy: warn)
    person = PersonFactory()
    summary = f"Ringte. Fnr {fnr}. Hun er sykmeldt."
    # when it is recorded
    interaction = services.record_interaction(
        actor=officer_actor, person=person, channel="phone_call", summary=summary
    )
    # then it is saved and each finding names place, span and kind
    findings = list(Finding.objects.order_by("start"))
    assert [(f.field, f.kind, summary[f.start : f.end]) for f in findings] == [
        ("summary", "no_fnr", fnr),
        ("summary", "health", "sykmeldt"),
    ]
    assert {f.object_id for f in findings} == {str(interaction.pk)}
    assert {f.subject_id for f in findings} == {person.pk}
    entry = AuditEntry.objects.get(event_type="pii.found")
    assert entry.detail == {"via": "write", "kinds": {"no_fnr": 1, "health": 1}}
    assert fnr not in str(entry.detail) and fnr not in str(entry.fields)


def test_refuse_saves_nothing_and_names_field_and_kind_only(officer_actor, fnr):
    # given the privacy officer refuses findings in interaction summaries
    pii.set_field_policy(
        actor=officer_actor, target="register.interaction", field="summary", action="refuse"
    )
    person = PersonFactory()
    before = AuditEntry.objects.count()
    # when a summary with an identity number is recorded
    with pytest.raises(DomainError) as refused:
        services.record_interaction(
            actor=officer_actor, person=person, channel="phone_call", summary=f"Fnr {fnr}"
        )
    # then nothing was written, and the error names the field and the kind, not the value
    assert Interaction.objects.count() == 0
    assert Finding.objects.count() == 0
    assert AuditEntry.objects.count() == before
    [error] = refused.value.errors
    assert (error.field, error.code) == ("summary", PiiErrorCode.REFUSED_CONTENT)
    assert "fødselsnummer" in str(error.message)
    assert fnr not in str(error.message) and fnr not in str(refused.value)


def test_refuse_on_update_keeps_the_stored_text(officer_actor):
    person = PersonFactory()
    interaction = services.record_interaction(
        actor=officer_actor, person=person, channel="email", summary="Spurte om faktura."
    )
    pii.set_field_policy(
        actor=officer_actor, target="register.interaction", field="summary", action="refuse"
    )
    with pytest.raises(DomainError):
        services.update_interaction(
            actor=officer_actor, interaction=interaction, summary="Han er medlem av Fagforbundet."
        )
    interaction.refresh_from_db()
    assert interaction.summary == "Spurte om faktura."


def test_a_rewrite_replaces_the_fields_open_findings(officer_actor):
    person = PersonFactory()
    interaction = services.record_interaction(
        actor=officer_actor, person=person, channel="email", summary="Hun er sykmeldt."
    )
    services.update_interaction(
        actor=officer_actor, interaction=interaction, summary="Alt i orden."
    )
    assert Finding.objects.filter(status=FindingStatus.OPEN).count() == 0


def test_uploaded_documents_are_scanned(officer_actor, fnr):
    person = PersonFactory(category="job_applicant")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Regnskapsfører"
    )
    document = services.add_application_document(
        actor=officer_actor,
        application=application,
        title="CV",
        file=SimpleUploadedFile("cv.pdf", pdf_with(f"Personnummer {fnr}. Medlem av Tekna.")),
    )
    assert sorted(Finding.objects.values_list("field", "kind")) == [
        ("file", "no_fnr"),
        ("file", "union"),
    ]
    # the stored file is whole: the scan rewound it before the save
    with document.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF")


def test_a_refused_document_is_not_stored(officer_actor):
    pii.set_field_policy(
        actor=officer_actor, target="register.jobapplicationdocument", field="file",
        action="refuse",
    )  # fmt: skip
    person = PersonFactory(category="job_applicant")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )
    with pytest.raises(DomainError) as refused:
        services.add_application_document(
            actor=officer_actor,
            application=application,
            title="CV",
            file=SimpleUploadedFile("cv.docx", docx_with("Hun er gravid.")),
        )
    assert refused.value.errors[0].field == "file"
    assert JobApplicationDocument.objects.count() == 0


def test_only_the_privacy_officer_sets_policies(customer_service):
    from personvern.core.actors import Actor

    with pytest.raises(DomainError) as refused:
        pii.set_field_policy(
            actor=Actor(user=customer_service), target="register.interaction",
            field="summary", action="refuse",
        )  # fmt: skip
    assert refused.value.status == 403


def test_a_policy_names_a_scanned_field_and_a_known_action(officer_actor):
    with pytest.raises(DomainError) as unknown:
        pii.set_field_policy(
            actor=officer_actor, target="register.interaction", field="channel", action="warn"
        )
    assert unknown.value.code == PiiErrorCode.UNKNOWN_FIELD
    with pytest.raises(DomainError) as invalid:
        pii.set_field_policy(
            actor=officer_actor, target="register.interaction", field="summary", action="shout"
        )
    assert invalid.value.code == PiiErrorCode.INVALID_POLICY
