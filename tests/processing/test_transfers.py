"""Transfer mechanisms checked against data, not chosen from a menu, and a signed agreement
in force for every processor of an active activity (GDPR Chapter V, Art. 28(3); issue 13)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.core.workplace import workplace_items
from personvern.processing import services
from personvern.processing.choices import ProcessingErrorCode, TransferMechanism
from personvern.processing.models import AdequacyDecision, DpfImport, DpfParticipant
from personvern.processing.services.transfers import (
    import_dpf_list,
    send_agreement_expiry_alerts,
)
from personvern.processing.transfers import dpf_list_outdated, transfer_errors
from personvern.scheduling.registry import JOBS
from tests.factories import ProcessingActivityFactory, ProcessorFactory
from tests.rights.conftest import smtp  # noqa: F401

pytestmark = pytest.mark.django_db

DPF_CSV = (
    b"Organization Name,Status,City\n"
    b'"Google LLC",Active,Mountain View\n'
    b"Gone Analytics Inc.,Inactive,Austin\n"
)


def codes(processor) -> list[str]:
    return [error.code for error in transfer_errors(processor)]


def test_adequacy_only_for_a_country_on_the_adequacy_list():
    # given the list as seeded, with its decision references
    japan = AdequacyDecision.objects.get(country="JP")
    assert japan.reference == "Commission Implementing Decision (EU) 2019/419"
    assert not AdequacyDecision.objects.filter(country="US").exists()
    # then adequacy holds for Japan, not for India or the United States
    assert codes(ProcessorFactory(country="JP", transfer_mechanism="adequacy")) == []
    assert codes(ProcessorFactory(country="IN", transfer_mechanism="adequacy")) == [
        ProcessingErrorCode.NO_ADEQUACY_DECISION
    ]
    assert codes(ProcessorFactory(country="US", transfer_mechanism="adequacy")) == [
        ProcessingErrorCode.NO_ADEQUACY_DECISION
    ]
    # and a decision no longer in force is no ground
    AdequacyDecision.objects.filter(country="JP").update(in_force=False)
    assert codes(ProcessorFactory(country="JP", transfer_mechanism="adequacy")) == [
        ProcessingErrorCode.NO_ADEQUACY_DECISION
    ]


def test_the_dpf_only_for_a_us_recipient_active_on_the_imported_list(officer_actor):
    google = ProcessorFactory(name="Google LLC", country="US", transfer_mechanism="eu_us_dpf")
    gone = ProcessorFactory(
        name="Gone", dpf_name="Gone Analytics, Inc.", country="US", transfer_mechanism="eu_us_dpf"
    )
    irish = ProcessorFactory(name="Google Ireland", country="IE", transfer_mechanism="eu_us_dpf")
    # given no list imported: nobody is on it
    assert codes(google) == [ProcessingErrorCode.NOT_ON_DPF_LIST]
    assert dpf_list_outdated()

    # when the official CSV is imported
    imported = import_dpf_list(actor=officer_actor, content=DPF_CSV, filename="dpf.csv")

    # then a listed, active US organisation qualifies; an inactive one or a non-US one not
    assert imported.participants == 2
    assert codes(google) == []
    assert codes(gone) == [ProcessingErrorCode.NOT_ON_DPF_LIST]
    assert codes(irish) == [ProcessingErrorCode.NOT_ON_DPF_LIST]
    assert not dpf_list_outdated()
    entry = AuditEntry.objects.get(event_type="processing.dpf_list_imported")
    assert entry.detail == {"participants": 2, "active": 1}

    # and a list imported over 30 days ago is flagged as outdated
    DpfImport.objects.update(imported_at=timezone.now() - datetime.timedelta(days=31))
    assert dpf_list_outdated()


def test_a_dpf_file_without_the_name_column_is_refused_and_nothing_changes(officer_actor):
    import_dpf_list(actor=officer_actor, content=DPF_CSV, filename="dpf.csv")
    with pytest.raises(DomainError) as refused:
        import_dpf_list(actor=officer_actor, content=b"Company,State\nX,CA\n", filename="x.csv")
    assert refused.value.code == ProcessingErrorCode.INVALID_DPF_FILE
    assert DpfParticipant.objects.count() == 2


def test_sccs_need_the_module_and_a_transfer_impact_assessment():
    processor = ProcessorFactory(country="IN", transfer_mechanism="scc")
    assert codes(processor) == [ProcessingErrorCode.SCC_INCOMPLETE]
    processor.scc_module = "c2p"
    assert codes(processor) == [ProcessingErrorCode.SCC_INCOMPLETE]
    processor.transfer_impact_assessment.save("tia.pdf", ContentFile(b"%PDF-1.4"), save=True)
    assert codes(processor) == []


def test_privacy_shield_is_never_valid():
    assert codes(ProcessorFactory(country="US", transfer_mechanism="privacy_shield")) == [
        ProcessingErrorCode.TRANSFER_INVALID
    ]


def test_an_activity_cannot_be_active_without_a_valid_mechanism_and_an_agreement_in_force(
    officer_actor,
):
    # given an activity whose US processor is on the DPF list but has no agreement
    import_dpf_list(actor=officer_actor, content=DPF_CSV, filename="dpf.csv")
    google = ProcessorFactory(name="Google LLC", country="US", transfer_mechanism="eu_us_dpf")
    activity = ProcessingActivityFactory(legal_basis="contract")
    activity.processors.add(google)
    with pytest.raises(DomainError) as refused:
        services.activate_activity(actor=officer_actor, activity=activity)
    assert [e.code for e in refused.value.errors] == [ProcessingErrorCode.AGREEMENT_MISSING]

    # when the only agreement has ended, it is still refused
    today = timezone.localdate()
    services.record_agreement(
        actor=officer_actor,
        processor=google,
        signed_on=today - datetime.timedelta(days=400),
        review_due=today,
        expires_on=today - datetime.timedelta(days=1),
    )
    with pytest.raises(DomainError):
        services.activate_activity(actor=officer_actor, activity=activity)

    # then with a signed agreement in force it may be active
    services.record_agreement(
        actor=officer_actor,
        processor=google,
        signed_on=today,
        review_due=today + datetime.timedelta(days=365),
    )
    assert services.activate_activity(actor=officer_actor, activity=activity).status == "active"

    # and a processor on Privacy Shield blocks it again for another activity
    shield = ProcessorFactory(country="US", transfer_mechanism=TransferMechanism.PRIVACY_SHIELD)
    services.record_agreement(
        actor=officer_actor, processor=shield, signed_on=today, review_due=today
    )
    other = ProcessingActivityFactory(legal_basis="contract")
    other.processors.add(shield)
    with pytest.raises(DomainError) as invalid:
        services.activate_activity(actor=officer_actor, activity=other)
    assert [e.code for e in invalid.value.errors] == [ProcessingErrorCode.TRANSFER_INVALID]


def test_an_agreement_ends_after_it_was_signed(officer_actor):
    today = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        services.record_agreement(
            actor=officer_actor,
            processor=ProcessorFactory(),
            signed_on=today,
            review_due=today,
            expires_on=today,
        )
    assert refused.value.errors[0].field == "expires_on"


def test_the_privacy_officer_is_alerted_once_before_an_agreement_ends(
    officer_actor,
    privacy_officer,
    smtp,  # noqa: F811
):
    # given one agreement ending in 20 days and one in a year
    today = timezone.localdate()
    ending = services.record_agreement(
        actor=officer_actor,
        processor=ProcessorFactory(name="Regnskapssystem AS"),
        signed_on=today - datetime.timedelta(days=300),
        review_due=today,
        expires_on=today + datetime.timedelta(days=20),
    )
    services.record_agreement(
        actor=officer_actor,
        processor=ProcessorFactory(),
        signed_on=today,
        review_due=today,
        expires_on=today + datetime.timedelta(days=365),
    )

    # when the daily job runs twice
    assert send_agreement_expiry_alerts() == 1
    assert send_agreement_expiry_alerts() == 0

    # then the privacy officer got one mail naming the processor and the date
    [mail] = smtp.to(privacy_officer.email)
    body = smtp.body(mail)
    assert "Regnskapssystem AS" in str(mail["Subject"])
    assert (today + datetime.timedelta(days=20)).isoformat() in body
    ending.refresh_from_db()
    assert ending.expiry_alerted_on == today
    entry = AuditEntry.objects.get(event_type="processing.agreement_expiry_alerted")
    assert entry.detail == {"expires_on": ending.expires_on.isoformat(), "recipients": 1}

    # and the staff home page shows the agreement about to end
    [item] = [i for i in workplace_items(privacy_officer) if i.key.startswith("processing.")]
    assert (item.key, item.count) == ("processing.agreements_ending", 1)


def test_the_alert_job_is_registered_with_the_scheduler():
    spec = JOBS["processing-agreement-expiry-alerts"]
    assert spec.task_path == "personvern.processing.tasks.send_agreement_expiry_alerts_task"
    assert spec.daily_at is not None


def test_the_dpf_list_is_imported_by_command_and_by_upload_with_the_date_shown(
    tmp_path, privacy_officer
):
    # given the official CSV on disk
    path = tmp_path / "dpf.csv"
    path.write_bytes(DPF_CSV)
    out = StringIO()
    call_command("import_dpf_list", str(path), stdout=out)
    assert "Imported 2 organisations" in out.getvalue()

    # when a privacy officer uploads it in the staff UI
    client = Client()
    client.force_login(privacy_officer)
    with path.open("rb") as upload:
        response = client.post("/admin/processing/dpfimport/upload/", {"file": upload})
    assert response.status_code == 302
    assert DpfImport.objects.count() == 2

    # then the list of imports shows the date; an old list is warned about
    DpfImport.objects.update(imported_at=timezone.now() - datetime.timedelta(days=45))
    page = client.get("/admin/processing/dpfimport/").content.decode()
    assert "for mer enn 30 dager siden" in page


def test_an_active_activity_takes_on_no_processor_without_an_agreement(officer_actor):
    # given an active activity without processors
    activity = ProcessingActivityFactory(legal_basis="contract")
    services.activate_activity(actor=officer_actor, activity=activity)
    hosting = ProcessorFactory(name="Hosting AS")

    # when a processor without an agreement is added, it is refused and nothing changes
    with pytest.raises(DomainError) as refused:
        services.update_activity(
            actor=officer_actor, activity=activity, changes={"processors": [hosting]}
        )
    assert [e.code for e in refused.value.errors] == [ProcessingErrorCode.AGREEMENT_MISSING]
    assert not activity.processors.exists()


def test_staff_see_when_processors_rely_on_an_outdated_dpf_list(
    officer_actor, privacy_officer, sales_user
):
    # given a processor on the DPF and a list imported 31 days ago
    ProcessorFactory(name="Google LLC", country="US", transfer_mechanism="eu_us_dpf")
    import_dpf_list(actor=officer_actor, content=DPF_CSV, filename="dpf.csv")
    assert not [i for i in workplace_items(privacy_officer) if i.key.startswith("processing.")]
    DpfImport.objects.update(imported_at=timezone.now() - datetime.timedelta(days=31))

    # then the privacy officer's home page says so; sales, who manage no agreements, see nothing
    [item] = [i for i in workplace_items(privacy_officer) if i.key.startswith("processing.")]
    assert (item.key, item.count) == ("processing.dpf_list_outdated", 1)
    assert not [i for i in workplace_items(sales_user) if i.key.startswith("processing.")]


def test_the_staff_form_takes_the_scc_module_and_the_transfer_impact_assessment(
    privacy_officer,
):
    # given a processor in India on SCCs without module or assessment
    processor = ProcessorFactory(name="Offshore Ltd", country="IN", transfer_mechanism="scc")
    client = Client()
    client.force_login(privacy_officer)
    page = client.get(f"/admin/processing/processor/{processor.pk}/change/")
    assert page.status_code == 200
    assert 'data-code="scc_incomplete"' in page.content.decode()

    # when the privacy officer gives the module and uploads the assessment
    response = client.post(
        f"/admin/processing/processor/{processor.pk}/change/",
        {
            "name": "Offshore Ltd",
            "organisation_number": "",
            "country": "IN",
            "services": "Hosting",
            "transfer_mechanism": "scc",
            "dpf_name": "",
            "scc_module": "c2p",
            "transfer_impact_assessment": ContentFile(b"%PDF-1.4 tia", name="tia.pdf"),
            "agreements-TOTAL_FORMS": "0",
            "agreements-INITIAL_FORMS": "0",
            "agreements-MIN_NUM_FORMS": "0",
            "agreements-MAX_NUM_FORMS": "1000",
        },
    )

    # then the transfer holds
    assert response.status_code == 302, response.content.decode()[:2000]
    processor.refresh_from_db()
    assert processor.scc_module == "c2p" and processor.transfer_impact_assessment
    assert codes(processor) == []


def test_special_categories_need_their_art9_condition_before_the_activity_is_active(
    officer_actor,
):
    # given an activity on health data without the Art. 9(2) condition
    activity = services.create_activity(
        actor=officer_actor,
        values=services.ActivityValues(
            name="Sick leave",
            purpose="Follow up employees on sick leave",
            legal_basis="legal_obligation",
            data_categories=["user.health_and_medical"],
        ),
    )
    with pytest.raises(DomainError) as refused:
        services.activate_activity(actor=officer_actor, activity=activity)
    assert [e.code for e in refused.value.errors] == [
        ProcessingErrorCode.SPECIAL_CONDITION_REQUIRED
    ]

    # when the condition is recorded (employment law, Art. 9(2)(b)), it may be active
    activity = services.update_activity(
        actor=officer_actor, activity=activity, changes={"special_category_condition": "b"}
    )
    assert services.activate_activity(actor=officer_actor, activity=activity).status == "active"
