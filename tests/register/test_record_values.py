"""What hangs off a person (interactions, job applications, their documents) is checked by the
model's own field rules, mapped once (``core.records.model_errors``) to the register's codes:
a value too long for its column is a field error on every database, never stored on SQLite and
a server error on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from personvern.audit.models import AuditEntry
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.register import services
from personvern.register.choices import ApplicationStatus, RegisterErrorCode
from personvern.register.models import Interaction, JobApplication, JobApplicationDocument
from tests.factories import InteractionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def codes(caught: pytest.ExceptionInfo[DomainError]) -> list[tuple[str, str]]:
    return [(error.field, error.code) for error in caught.value.errors]


def test_a_channel_that_is_no_choice_is_refused_and_nothing_is_written(officer_actor):
    person = PersonFactory()

    with pytest.raises(DomainError) as caught:
        services.record_interaction(actor=officer_actor, person=person, channel="pigeon")

    assert codes(caught) == [("channel", RegisterErrorCode.INVALID_CHANNEL)]
    assert not Interaction.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_changed_channel_is_checked_and_a_refused_one_leaves_the_interaction(officer_actor):
    # given an interaction by e-mail
    interaction = InteractionFactory(channel="email", summary="Spurte om tilbud")

    # when its channel is changed to one that is no choice
    with pytest.raises(DomainError) as caught:
        services.update_interaction(
            actor=officer_actor, interaction=interaction, channel="pigeon", summary="Ny"
        )

    # then it is refused and nothing changed
    assert codes(caught) == [("channel", RegisterErrorCode.INVALID_CHANNEL)]
    interaction.refresh_from_db()
    assert (interaction.channel, interaction.summary) == ("email", "Spurte om tilbud")


def test_an_application_breaking_the_models_rules_is_refused_naming_every_field(officer_actor):
    person = PersonFactory(category="job_applicant")

    with pytest.raises(DomainError) as caught:
        services.create_job_application(
            actor=officer_actor, person=person, position="  ", status="lost"
        )

    assert codes(caught) == [
        ("position", CoreErrorCode.REQUIRED),
        ("status", RegisterErrorCode.INVALID_STATUS),
    ]
    assert not JobApplication.objects.exists()


def test_a_position_longer_than_its_column_is_refused(officer_actor):
    # given a position one character longer than the column holds / when applied for
    person = PersonFactory(category="job_applicant")
    with pytest.raises(DomainError) as caught:
        services.create_job_application(actor=officer_actor, person=person, position="p" * 201)

    # then the error names the field, and nothing is written
    assert codes(caught) == [("position", RegisterErrorCode.TOO_LONG)]
    assert not JobApplication.objects.exists()
    # but exactly the limit is accepted
    services.create_job_application(actor=officer_actor, person=person, position="p" * 200)


def test_a_decision_is_checked_by_the_model_and_needs_its_date(officer_actor):
    person = PersonFactory(category="job_applicant")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )

    with pytest.raises(DomainError) as caught:
        services.decide_job_application(
            actor=officer_actor, application=application, status="lost", decision_date=None
        )
    assert codes(caught) == [("status", RegisterErrorCode.INVALID_STATUS)]

    with pytest.raises(DomainError) as caught:
        services.decide_job_application(
            actor=officer_actor,
            application=application,
            status=ApplicationStatus.REJECTED,
            decision_date=None,
        )
    assert codes(caught) == [("decision_date", RegisterErrorCode.DECISION_DATE_REQUIRED)]

    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED

    services.decide_job_application(
        actor=officer_actor,
        application=application,
        status=ApplicationStatus.REJECTED,
        decision_date=datetime.date(2026, 11, 1),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_a_document_needs_a_title_that_fits_and_a_file(officer_actor):
    person = PersonFactory(category="job_applicant")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )

    with pytest.raises(DomainError) as caught:
        services.add_application_document(
            actor=officer_actor, application=application, title="t" * 201, file=None
        )

    assert codes(caught) == [
        ("title", RegisterErrorCode.TOO_LONG),
        ("file", CoreErrorCode.REQUIRED),
    ]
    assert not JobApplicationDocument.objects.exists()


def test_a_document_is_stored_under_a_name_of_ids_only(officer_actor):
    person = PersonFactory(category="job_applicant")
    application = services.create_job_application(
        actor=officer_actor, person=person, position="Revisor"
    )
    upload = SimpleUploadedFile("cv-" + "kari-nordmann-" * 10 + ".pdf", b"%PDF-1.4 synthetic")

    document = services.add_application_document(
        actor=officer_actor, application=application, title=" CV ", file=upload
    )

    document.refresh_from_db()
    assert document.title == "CV"
    assert "kari" not in document.file.name
    assert document.file.name.startswith(f"applications/{application.pk}/")
    with document.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 synthetic"
