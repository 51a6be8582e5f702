"""Activities and processors are given as typed values (``ActivityValues``,
``ProcessorValues``; ``ActivityChanges``, ``ProcessorChanges`` for updates) and checked by the
models' own field rules, mapped once (``core.records.model_errors``) to processing's codes;
normalisation and the rules across fields stay in the service."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from personvern.audit.models import AuditEntry
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.core.records import model_errors
from personvern.processing import services
from personvern.processing.choices import LegalBasis, ProcessingErrorCode, TransferMechanism
from personvern.processing.models import (
    BalancingAssessment,
    DataCategory,
    ProcessingActivity,
    Processor,
)
from tests.factories import ProcessingActivityFactory, ProcessorFactory

pytestmark = pytest.mark.django_db


def activity_refused(officer_actor, **values) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        services.create_activity(actor=officer_actor, values=services.ActivityValues(**values))
    assert not ProcessingActivity.objects.exists()
    return sorted((error.field, error.code) for error in caught.value.errors)


def processor_refused(officer_actor, **values) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        services.create_processor(actor=officer_actor, values=services.ProcessorValues(**values))
    return sorted((error.field, error.code) for error in caught.value.errors)


def test_an_activitys_model_rules_come_back_as_processings_codes(officer_actor):
    # given a blank name, a purpose of spaces, a basis and a kind of message that are no
    # choice, and a legal-basis detail too long for its column
    # when created / then each field is named with processing's code, all at once
    assert activity_refused(
        officer_actor,
        name="",
        purpose="   ",
        legal_basis="whim",
        communication="shout",
        legal_basis_detail="d" * 301,
    ) == [
        ("communication", ProcessingErrorCode.INVALID_COMMUNICATION),
        ("legal_basis", ProcessingErrorCode.INVALID_LEGAL_BASIS),
        ("legal_basis_detail", ProcessingErrorCode.TOO_LONG),
        ("name", CoreErrorCode.REQUIRED),
        ("purpose", CoreErrorCode.REQUIRED),
    ]


def test_the_rules_across_fields_stay_with_the_service(officer_actor):
    # given values every column accepts, but an exception for marketing on an activity that
    # sends none, and a category of data subjects the register does not know
    assert activity_refused(
        officer_actor,
        name="CRM",
        purpose="Customer relationship",
        legal_basis=LegalBasis.CONTRACT,
        existing_customer_exception=True,
        subject_categories=["martians"],
    ) == [
        ("existing_customer_exception", ProcessingErrorCode.EXCEPTION_NEEDS_MARKETING),
        ("subject_categories", ProcessingErrorCode.INVALID_SUBJECT_CATEGORY),
    ]


def test_an_activity_is_stored_trimmed_with_its_defaults(officer_actor):
    activity = services.create_activity(
        actor=officer_actor,
        values=services.ActivityValues(
            name="  CRM ", purpose=" Customer relationship\n", legal_basis=LegalBasis.CONTRACT
        ),
    )

    activity.refresh_from_db()
    assert (activity.name, activity.purpose, activity.communication) == (
        "CRM",
        "Customer relationship",
        "none",
    )


def test_a_refused_choice_does_not_repeat_the_value():
    errors = model_errors(
        ProcessingActivity(name="CRM", purpose="Customers", legal_basis="kari@example.no"),
        too_long=ProcessingErrorCode.TOO_LONG,
        invalid=services.ACTIVITY_INVALID,
    )

    assert [(e.field, e.code) for e in errors] == [
        ("legal_basis", ProcessingErrorCode.INVALID_LEGAL_BASIS)
    ]
    assert "kari" not in str(errors[0].message)


def test_a_processors_model_rules_and_normalisation_are_reported_together(officer_actor):
    # given a blank name, no services, a country that is none, a mechanism that is no
    # choice and an organisation number that fails its check digit
    assert processor_refused(
        officer_actor,
        name=" ",
        country="xx",
        services="",
        transfer_mechanism="handshake",
        organisation_number="123456789",
    ) == [
        ("country", CoreErrorCode.INVALID_COUNTRY),
        ("name", CoreErrorCode.REQUIRED),
        ("organisation_number", CoreErrorCode.INVALID_ORGANISATION_NUMBER),
        ("services", CoreErrorCode.REQUIRED),
        ("transfer_mechanism", ProcessingErrorCode.INVALID_TRANSFER_MECHANISM),
    ]
    assert not Processor.objects.exists()


def test_a_processor_is_stored_normalised(officer_actor):
    processor = services.create_processor(
        actor=officer_actor,
        values=services.ProcessorValues(
            name=" Sky AS ",
            country=" se",
            services="Hosting",
            organisation_number="923 609 016",
            data_categories=["user.contact.email"],
        ),
    )

    processor.refresh_from_db()
    assert (processor.name, processor.country, processor.organisation_number) == (
        "Sky AS",
        "SE",
        "923609016",
    )
    assert processor.transfer_mechanism == TransferMechanism.EEA
    assert list(processor.data_categories.values_list("key", flat=True)) == ["user.contact.email"]


def test_a_parent_deleted_since_it_was_read_is_named_not_a_broken_link(officer_actor):
    # given a parent read by one caller, then deleted by another
    parent = ProcessorFactory()
    stale = Processor.objects.get(pk=parent.pk)
    services.delete_processor(actor=officer_actor, processor=parent)

    # when the first caller adds a sub-processor under it
    refused = processor_refused(
        officer_actor, name="Sub AS", country="NO", services="Backup", parent=stale
    )

    # then the parent is named as not found and nothing is written
    assert refused == [("parent", CoreErrorCode.NOT_FOUND)]
    assert not Processor.objects.exists()


def test_an_activity_update_sets_only_its_changes_over_the_row_as_it_is_now(officer_actor):
    # given an activity read by one caller, then changed by another (a column and a relation)
    activity = ProcessingActivityFactory(retention="One year.")
    stale = ProcessingActivity.objects.get(pk=activity.pk)
    services.update_activity(
        actor=officer_actor,
        activity=activity,
        changes={"retention": "Two years.", "data_categories": ["user.name"]},
    )

    # when the first caller changes the purpose from its stale copy
    services.update_activity(actor=officer_actor, activity=stale, changes={"purpose": "Billing"})

    # then the other caller's changes stay
    activity.refresh_from_db()
    assert (activity.purpose, activity.retention) == ("Billing", "Two years.")
    assert list(activity.data_categories.values_list("key", flat=True)) == ["user.name"]


def test_a_processor_update_sets_only_its_changes_over_the_row_as_it_is_now(officer_actor):
    processor = ProcessorFactory(services="Hosting")
    stale = Processor.objects.get(pk=processor.pk)
    services.update_processor(
        actor=officer_actor,
        processor=processor,
        changes={"services": "Hosting, backup", "data_categories": ["user.name"]},
    )

    services.update_processor(actor=officer_actor, processor=stale, changes={"name": "Sky AS"})

    processor.refresh_from_db()
    assert (processor.name, processor.services) == ("Sky AS", "Hosting, backup")
    assert list(processor.data_categories.values_list("key", flat=True)) == ["user.name"]


@pytest.mark.parametrize(
    ("update", "record"),
    [
        (services.update_activity, lambda: {"activity": ProcessingActivityFactory()}),
        (services.update_processor, lambda: {"processor": ProcessorFactory()}),
    ],
)
def test_an_unknown_field_in_an_update_is_refused(officer_actor, update, record):
    with pytest.raises(DomainError) as caught:
        update(actor=officer_actor, changes={"status": "active"}, **record())

    assert caught.value.code == ProcessingErrorCode.UNKNOWN_FIELD


def test_an_assessment_of_spaces_is_refused_by_the_models_rule(officer_actor):
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.LEGITIMATE_INTEREST)

    with pytest.raises(DomainError) as caught:
        services.record_balancing_assessment(
            actor=officer_actor,
            activity=activity,
            purpose_test="Tell customers about similar services.",
            necessity_test="  ",
            balancing_test="Expected; opt-out in every message.",
            outcome="",
        )

    assert sorted((e.field, e.code) for e in caught.value.errors) == [
        ("necessity_test", CoreErrorCode.REQUIRED),
        ("outcome", CoreErrorCode.REQUIRED),
    ]
    assert not BalancingAssessment.objects.exists()


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def category_ids(*keys: str) -> list[int]:
    return list(DataCategory.objects.filter(key__in=keys).values_list("pk", flat=True))


def test_the_staff_ui_adds_a_sub_processor_with_its_data_categories(privacy_officer):
    # given a processor
    parent = ProcessorFactory(name="Sky AS")
    # when a sub-processor is added in the staff UI, with a country in lower case
    response = staff_client(privacy_officer).post(
        reverse("admin:processing_processor_add"),
        {
            "name": "Backup AS",
            "country": "se",
            "services": "Backup",
            "parent": parent.pk,
            "transfer_mechanism": TransferMechanism.EEA,
            "data_categories": category_ids("user.name", "user.contact.email"),
            "agreements-TOTAL_FORMS": "0",
            "agreements-INITIAL_FORMS": "0",
        },
    )
    # then it is saved through the service: normalised, under its parent, with its categories
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Processor.objects.get(name="Backup AS")
    assert (added.country, added.parent) == ("SE", parent)
    assert sorted(added.data_categories.values_list("key", flat=True)) == [
        "user.contact.email",
        "user.name",
    ]


def test_the_staff_ui_shows_a_country_that_is_none_on_the_field(privacy_officer):
    processor = ProcessorFactory(name="Sky AS")

    response = staff_client(privacy_officer).post(
        reverse("admin:processing_processor_change", args=[processor.pk]),
        {
            "name": "Sky AS",
            "country": "xx",
            "services": "Hosting",
            "transfer_mechanism": TransferMechanism.EEA,
            "agreements-TOTAL_FORMS": "0",
            "agreements-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"country"}
    processor.refresh_from_db()
    assert processor.country == "NO"


def test_the_staff_ui_changes_an_activitys_processors_and_data_categories(privacy_officer):
    # given an activity without processors or data categories
    activity = ProcessingActivityFactory()
    processor = ProcessorFactory()
    # when both are chosen in the staff UI
    response = staff_client(privacy_officer).post(
        reverse("admin:processing_processingactivity_change", args=[activity.pk]),
        {
            "name": activity.name,
            "purpose": activity.purpose,
            "legal_basis": activity.legal_basis,
            "communication": "none",
            "subject_categories": '["customer_contact"]',
            "processors": [processor.pk],
            "data_categories": category_ids("user.name"),
            "assessments-TOTAL_FORMS": "0",
            "assessments-INITIAL_FORMS": "0",
        },
    )
    # then they are set through the service, which audits exactly those two
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(activity.processors.all()) == [processor]
    assert list(activity.data_categories.values_list("key", flat=True)) == ["user.name"]
    [entry] = AuditEntry.objects.filter(action="update", object_id=str(activity.pk))
    assert entry.fields == ["data_categories", "processors"]
