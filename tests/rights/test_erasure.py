"""Erasure (Art. 17): everything that may go goes, what the law keeps is kept restricted and
listed in the reply, and a worker killed half-way is finished by a rerun."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from personvern.consent.keys import email_digest, phone_digest
from personvern.consent.models import SuppressionEntry
from personvern.core.actors import Actor
from personvern.register.models import Interaction, JobApplication, JobApplicationDocument, Person
from personvern.register.services import add_application_document
from personvern.retention.choices import StatisticMetric
from personvern.retention.models import BookkeepingRecord, StatisticCell
from personvern.rights import services
from personvern.rights.choices import RequestStatus, SourceStatus
from personvern.rights.models import DataSubjectRequest
from personvern.rights.sources import DataSource, KindData, register_source
from personvern.rights.sources.base import Collected, Corrections
from personvern.rights.sources.registry import SOURCES
from tests.factories import InteractionFactory
from tests.retention.factories import BookkeepingRecordFactory, JobApplicationFactory

pytestmark = pytest.mark.django_db


def test_erasure_keeps_bookkeeping_restricted_and_says_why_and_until_when(portal, smtp, kari, ola):
    # given Kari with an interaction, a job application with a CV, and an invoice from this year
    InteractionFactory(person=kari, summary="Ringte om faktura.")
    application = JobApplicationFactory(person=kari)
    add_application_document(
        actor=Actor.for_system("tests"),
        application=application,
        title="CV",
        file=ContentFile(b"Kari's CV", name="cv.pdf"),
    )
    invoice = BookkeepingRecordFactory(person=kari, document_date=timezone.localdate())
    InteractionFactory(person=ola, summary="Ola ringte.")
    # when she asks for erasure and confirms
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    # then what may go is gone
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    assert not Interaction.objects.filter(person_id=kari.pk).exists()
    assert not JobApplication.objects.filter(person_id=kari.pk).exists()
    assert not JobApplicationDocument.objects.filter(application_id=application.pk).exists()
    # and the person row left for the invoice identifies no one and is restricted
    kept = Person.objects.get(pk=kari.pk)
    assert kept.first_name == "Anonymisert"
    assert (kept.last_name, kept.email, kept.email_key, kept.phone, kept.position) == ("",) * 5
    assert kept.processing_restricted_since is not None
    assert BookkeepingRecord.objects.filter(pk=invoice.pk, person=kept).exists()
    # and the e-mail and phone are suppressed (as keyed hashes)
    assert SuppressionEntry.objects.filter(digest=email_digest("kari@example.com")).exists()
    assert SuppressionEntry.objects.filter(digest=phone_digest("+4791234567")).exists()
    # and the reply lists what was kept, why and until when
    reply = smtp.last_to("kari@example.com")
    assert "delvis slettet" in str(reply["Subject"])
    body = smtp.body(reply)
    keep_until = invoice.fiscal_year_end.replace(year=invoice.fiscal_year_end.year + 5)
    assert "Bokføringsloven § 13" in body and keep_until.isoformat() in body
    assert request.result["kept"][0]["reason"] == "bokforingsloven_13"
    assert request.source_states["register"]["status"] == SourceStatus.DONE
    # and Ola is untouched
    assert Person.objects.get(pk=ola.pk).email == "ola@example.com"
    assert Interaction.objects.filter(person=ola).count() == 1


def test_erasure_with_nothing_to_keep_deletes_the_person(portal, smtp, controller, activities):
    from tests.factories import PersonFactory

    person = PersonFactory(email="per@example.com")
    portal.submit_and_confirm(smtp, "per@example.com", request_type="erasure", lang="en")
    assert not Person.objects.filter(pk=person.pk).exists()
    request = DataSubjectRequest.objects.get()
    assert request.person is None and request.subject_id == person.pk
    reply = smtp.last_to("per@example.com")
    assert str(reply["Subject"]).startswith("Your data has been erased")
    assert "must keep" not in smtp.body(reply)


class FlakyCrm(DataSource):
    """An external system: erased first; counts its calls."""

    key = "test-crm"
    label = "Test CRM"
    calls: list[int] = []

    def collect(self, person: Person) -> Collected:
        return Collected(kinds={"crm": KindData(description="CRM", source="CRM", records=[])})

    def erase(self, person: Person, *, actor: Actor, job: str = "") -> dict[str, Any]:
        FlakyCrm.calls.append(person.pk)
        return {"erased": {"crm_contacts": 1}, "kept": []}

    def rectify(
        self, person: Person, *, changes: Corrections, actor: Actor, job: str = ""
    ) -> dict[str, Any]:
        return {"rectified": {}}

    def restrict(self, person: Person, *, on: bool, actor: Actor, job: str = "") -> dict[str, Any]:
        return {}


@pytest.fixture
def crm_first(settings):
    register_source(FlakyCrm)
    FlakyCrm.calls = []
    settings.PERSONVERN = {**settings.PERSONVERN, "RIGHTS_SOURCES": ["test-crm", "register"]}
    yield
    SOURCES.pop(FlakyCrm.key)


def test_a_worker_killed_half_way_is_finished_by_a_rerun(
    portal, smtp, kari, crm_first, monkeypatch, officer_actor, django_capture_on_commit_callbacks
):
    InteractionFactory(person=kari)
    # given the register (the second source) dies in the middle of its work
    from personvern.rights.sources import register as register_source_module

    real = register_source_module.erase_person

    def killed(**kwargs: Any) -> Any:
        real(**kwargs)  # the work is done inside the transaction ...
        raise RuntimeError("worker killed")  # ... and the worker dies before it commits

    monkeypatch.setattr(register_source_module, "erase_person", killed)
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    # then the first source is recorded as done, the register as not, and nothing was lost
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.source_states["test-crm"]["status"] == SourceStatus.DONE
    assert "register" not in request.source_states
    assert Person.objects.get(pk=kari.pk).email == "kari@example.com"
    assert Interaction.objects.filter(person=kari).count() == 1
    assert not any("slettet" in s for s in smtp.subjects("kari@example.com"))
    # when the job is run again
    monkeypatch.setattr(register_source_module, "erase_person", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_fulfilment(actor=officer_actor, request=request)
    # then it finishes: the CRM was not erased twice, the register once
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert FlakyCrm.calls == [kari.pk]
    assert request.source_states["register"]["status"] == SourceStatus.DONE
    assert not Person.objects.filter(pk=kari.pk).exists()
    people = StatisticCell.objects.get(metric=StatisticMetric.PEOPLE_BY_CATEGORY)
    assert people.count == 1
    # and a third run changes nothing and sends nothing
    sent = len(smtp.messages)
    with django_capture_on_commit_callbacks(execute=True):
        services.fulfil(request_id=request.pk)
    assert len(smtp.messages) == sent
    replies = [s for s in smtp.subjects("kari@example.com") if "slettet" in s]
    assert replies == [f"Opplysningene dine er delvis slettet ({request.reference})"]


def test_a_worker_killed_after_the_register_was_erased_replies_erased_not_no_data(
    portal,
    smtp,
    controller,
    activities,
    monkeypatch,
    officer_actor,
    django_capture_on_commit_callbacks,
):
    from personvern.rights.services import erasure as erasure_module
    from tests.factories import PersonFactory

    # given a person with nothing to keep, and a worker that dies after the register source
    # committed (the person is gone) but before the final step
    person = PersonFactory(email="per@example.com")
    real_complete = erasure_module.complete

    def killed(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(erasure_module, "complete", killed)
    portal.submit_and_confirm(smtp, "per@example.com", request_type="erasure", lang="en")
    request = DataSubjectRequest.objects.get()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert request.status == RequestStatus.IN_PROGRESS and request.person is None
    assert request.source_states["register"]["status"] == SourceStatus.DONE
    # when the job is run again
    monkeypatch.setattr(erasure_module, "complete", real_complete)
    with django_capture_on_commit_callbacks(execute=True):
        services.rerun_fulfilment(actor=officer_actor, request=request)
    # then the reply says the data was erased, never that we held none
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert "erased" in request.result and request.result.get("person") != "not_found"
    subjects = smtp.subjects("per@example.com")
    assert any(s.startswith("Your data has been erased") for s in subjects)
    assert not any(s.startswith("Answer to your request") for s in subjects)


def test_erasure_deletes_the_persons_packages_and_no_new_link_is_sent_after(
    portal, smtp, kari, officer_actor, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from personvern.core.errors import DomainError
    from personvern.rights.choices import RightsErrorCode
    from tests.rights.conftest import link_in

    # given Kari received an access package and has not downloaded it yet
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    access = DataSubjectRequest.objects.get()
    package = access.package_name
    assert package and default_storage.exists(package)
    link = link_in(smtp.body(smtp.last_to("kari@example.com")))
    # when she then asks for erasure
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="erasure")
    # then the package is gone, and so is its link
    access.refresh_from_db()
    assert access.package_name == "" and not default_storage.exists(package)
    assert access.events.filter(kind="package_deleted", detail__reason="erasure").exists()
    assert portal.client.post(link).status_code == 404
    # and no new download link can be sent
    sent = len(smtp.messages)
    with pytest.raises(DomainError) as refused, django_capture_on_commit_callbacks(execute=True):
        services.reissue_download_link(actor=officer_actor, request=access)
    assert refused.value.code == RightsErrorCode.ERASED
    assert len(smtp.messages) == sent
