"""Deleting a processor: refused (coded 409) while it has sub-processors, with its agreements'
documents kept; otherwise the documents go only once the deletion has committed. And an
invalid transfer mechanism is shown as invalid in the Art. 30 record wherever the processor is."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.processing import services
from personvern.processing.choices import LegalBasis, ProcessingErrorCode, TransferMechanism
from personvern.processing.export import export_record
from personvern.processing.models import DataProcessingAgreement, Processor
from tests.api.conftest import assert_problem, session_client
from tests.factories import OrganisationFactory, ProcessorFactory

pytestmark = pytest.mark.django_db


def with_agreement(actor, processor: Processor) -> str:
    agreement = services.record_agreement(
        actor=actor,
        processor=processor,
        signed_on=datetime.date(2025, 1, 10),
        review_due=datetime.date(2026, 1, 10),
        document=SimpleUploadedFile("dpa.pdf", b"%PDF agreement"),
    )
    return str(agreement.document.name)


def test_a_processor_with_sub_processors_is_refused_and_keeps_its_documents(officer_actor):
    # given a processor with a signed agreement on file and a sub-processor
    parent = ProcessorFactory()
    ProcessorFactory(parent=parent)
    document = with_agreement(officer_actor, parent)
    # when it is deleted, then it is refused with a coded conflict
    with pytest.raises(DomainError) as refused:
        services.delete_processor(actor=officer_actor, processor=parent)
    assert (refused.value.code, refused.value.status) == (
        ProcessingErrorCode.PROCESSOR_HAS_SUB_PROCESSORS,
        409,
    )
    # and the processor, its agreement and the agreement's document are all still there
    assert Processor.objects.filter(pk=parent.pk).exists()
    assert DataProcessingAgreement.objects.filter(processor=parent).exists()
    assert default_storage.exists(document)
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_the_api_answers_with_the_code(privacy_officer, officer_actor):
    parent = ProcessorFactory()
    ProcessorFactory(parent=parent)
    document = with_agreement(officer_actor, parent)
    response = session_client(privacy_officer).delete(f"/api/processors/{parent.pk}")
    assert_problem(response, 409, code="processor_has_sub_processors")
    assert default_storage.exists(document)


def test_documents_are_removed_only_after_the_deletion_commits(
    officer_actor, django_capture_on_commit_callbacks
):
    # given a processor with an agreement on file
    processor = ProcessorFactory()
    document = with_agreement(officer_actor, processor)
    # when it is deleted, the document stays until the transaction commits
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_processor(actor=officer_actor, processor=processor)
        assert default_storage.exists(document)
    assert not Processor.objects.exists()
    assert not DataProcessingAgreement.objects.exists()
    # then it goes once the deletion has committed, and the deletion is audited
    for callback in callbacks:
        callback()
    assert not default_storage.exists(document)
    assert AuditEntry.objects.filter(action="delete", object_type="processing.processor").exists()


@pytest.mark.parametrize("country", ["DE", "NO", "US"])
def test_privacy_shield_is_flagged_invalid_in_the_record_whatever_the_country(
    officer_actor, country
):
    # given a processor recorded with the EU-US Privacy Shield, in or outside the EEA
    OrganisationFactory()
    processor = ProcessorFactory(
        name="Gammel Sky", country=country, transfer_mechanism=TransferMechanism.PRIVACY_SHIELD
    )
    services.create_activity(
        actor=officer_actor,
        values=services.ActivityValues(
            name="Backup",
            purpose="Keep copies",
            legal_basis=LegalBasis.CONTRACT,
            processors=[processor],
        ),
    )
    # when the record is exported
    with translation.override("en"):
        exported = export_record(actor=officer_actor, fmt="json")
    # then the processor's transfer is listed and says it is invalid
    [row] = json.loads(exported.content)["activities"]
    [transfer] = row["third_country_transfers"]
    assert transfer.startswith(f"Gammel Sky: {country}, ")
    assert "INVALID since 16 July 2020" in transfer


def test_a_valid_processor_in_the_eea_is_no_transfer(officer_actor):
    OrganisationFactory()
    processor = ProcessorFactory(country="SE", transfer_mechanism=TransferMechanism.EEA)
    services.create_activity(
        actor=officer_actor,
        values=services.ActivityValues(
            name="Payroll",
            purpose="Pay salaries",
            legal_basis=LegalBasis.CONTRACT,
            processors=[processor],
        ),
    )
    exported = export_record(actor=officer_actor, fmt="json")
    [row] = json.loads(exported.content)["activities"]
    assert row["third_country_transfers"] == []


def test_a_processor_name_longer_than_its_column_is_refused(officer_actor):
    with pytest.raises(DomainError) as refused:
        services.create_processor(
            actor=officer_actor,
            values=services.ProcessorValues(name="n" * 201, country="NO", services="Hosting"),
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        "name",
        ProcessingErrorCode.TOO_LONG,
    )
    assert not Processor.objects.exists()
