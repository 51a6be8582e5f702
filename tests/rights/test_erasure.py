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
from personvern.rights.sources.base import Collected
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

    def erase(self, person: Person, *, actor: Actor) -> dict[str, Any]:
        FlakyCrm.calls.append(person.pk)
        return {"erased": {"crm_contacts": 1}, "kept": []}

    def restrict(self, person: Person, *, on: bool, actor: Actor) -> dict[str, Any]:
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
