from __future__ import annotations

import pytest
from django.utils import translation

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.processing import services
from personvern.processing.choices import (
    ActivityStatus,
    AssessmentOutcome,
    LegalBasis,
    ProcessingErrorCode,
    TransferMechanism,
)
from personvern.processing.models import ProcessingActivity
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db


def _assess(actor, activity, outcome):
    return services.record_balancing_assessment(
        actor=actor,
        activity=activity,
        purpose_test="Direct marketing to existing customers.",
        necessity_test="Cannot reach them otherwise.",
        balancing_test="Expected by customers; opt-out offered in every message.",
        outcome=outcome,
    )


def test_legitimate_interest_activity_needs_favourable_assessment(officer_actor):
    # given a draft activity on legitimate interest
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.LEGITIMATE_INTEREST)
    # when activated without an assessment, then refused
    with pytest.raises(DomainError) as caught:
        services.activate_activity(actor=officer_actor, activity=activity)
    assert caught.value.code == ProcessingErrorCode.BALANCING_ASSESSMENT_REQUIRED
    # and an unfavourable assessment does not open the gate
    _assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE)
    with pytest.raises(DomainError):
        services.activate_activity(actor=officer_actor, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT
    # when a favourable assessment is recorded, then it can be activated, audited
    assessment = _assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE)
    assert assessment.author_label == officer_actor.label
    services.activate_activity(actor=officer_actor, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACTIVE
    assert AuditEntry.objects.filter(action="activate", object_id=str(activity.pk)).exists()


def test_other_bases_activate_without_assessment(officer_actor):
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.CONTRACT)
    services.activate_activity(actor=officer_actor, activity=activity)
    assert activity.status == ActivityStatus.ACTIVE


def test_active_activity_cannot_switch_to_legitimate_interest_without_assessment(officer_actor):
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.CONSENT)
    services.activate_activity(actor=officer_actor, activity=activity)
    with pytest.raises(DomainError) as caught:
        services.update_activity(
            actor=officer_actor,
            activity=activity,
            changes={"legal_basis": LegalBasis.LEGITIMATE_INTEREST},
        )
    assert caught.value.code == ProcessingErrorCode.BALANCING_ASSESSMENT_REQUIRED
    assert ProcessingActivity.objects.get().legal_basis == LegalBasis.CONSENT


def test_create_activity_validates_categories(officer_actor):
    base = {"name": "CRM", "purpose": "Customer relationship", "legal_basis": LegalBasis.CONTRACT}
    with pytest.raises(DomainError) as caught:
        services.create_activity(
            actor=officer_actor,
            values=services.ActivityValues(**base, data_categories=["user.shoe_size"]),
        )
    assert caught.value.code == ProcessingErrorCode.UNKNOWN_DATA_CATEGORY
    with pytest.raises(DomainError) as caught:
        services.create_activity(
            actor=officer_actor,
            values=services.ActivityValues(**base, subject_categories=["martians"]),
        )
    assert caught.value.errors[0].field == "subject_categories"
    with pytest.raises(DomainError) as caught:
        services.create_activity(
            actor=officer_actor, values=services.ActivityValues(**{**base, "legal_basis": "whim"})
        )
    assert caught.value.errors[0].code == ProcessingErrorCode.INVALID_LEGAL_BASIS
    assert not ProcessingActivity.objects.exists()
    activity = services.create_activity(
        actor=officer_actor,
        values=services.ActivityValues(
            **base, data_categories=["user.contact.email", "user.name.first"]
        ),
    )
    assert sorted(activity.data_categories.values_list("key", flat=True)) == [
        "user.contact.email",
        "user.name.first",
    ]
    assert activity.status == ActivityStatus.DRAFT


def test_processor_outside_eea_needs_transfer_mechanism(officer_actor):
    values = {"name": "Google LLC", "country": "us", "services": "Web statistics"}
    with pytest.raises(DomainError) as caught:
        services.create_processor(actor=officer_actor, values=services.ProcessorValues(**values))
    assert caught.value.errors[0].code == ProcessingErrorCode.TRANSFER_MECHANISM_REQUIRED
    processor = services.create_processor(
        actor=officer_actor,
        values=services.ProcessorValues(
            **values,
            transfer_mechanism=TransferMechanism.EU_US_DPF,
            data_categories=["user.device.ip_address"],
        ),
    )
    assert processor.country == "US" and processor.transfer_is_valid


def test_privacy_shield_is_recorded_but_shown_invalid(officer_actor):
    processor = services.create_processor(
        actor=officer_actor,
        values=services.ProcessorValues(
            name="Old Vendor Inc",
            country="US",
            services="Mail",
            transfer_mechanism=TransferMechanism.PRIVACY_SHIELD,
        ),
    )
    assert not processor.transfer_is_valid
    with translation.override("en"):
        assert "INVALID" in str(TransferMechanism.PRIVACY_SHIELD.label)


def test_processor_country_and_orgnr_are_validated(officer_actor):
    with pytest.raises(DomainError) as caught:
        services.create_processor(
            actor=officer_actor,
            values=services.ProcessorValues(
                name="X", country="XX", services="Y", organisation_number="1"
            ),
        )
    assert {e.field for e in caught.value.errors} == {"country", "organisation_number"}


def test_sub_processor_cannot_be_its_own_parent(officer_actor):
    processor = services.create_processor(
        actor=officer_actor,
        values=services.ProcessorValues(name="Host AS", country="NO", services="Hosting"),
    )
    with pytest.raises(DomainError) as caught:
        services.update_processor(
            actor=officer_actor, processor=processor, changes={"parent": processor}
        )
    assert caught.value.code == ProcessingErrorCode.SELF_PARENT


def test_a_registered_activation_check_blocks_activation(officer_actor, monkeypatch):
    # given an app above processing that registers a rule refusing every activity
    from personvern.core.errors import FieldError
    from personvern.processing import activation

    monkeypatch.setattr(activation, "CHECKS", dict(activation.CHECKS))
    activation.register_activation_check(
        "refuse-all",
        lambda activity: [
            FieldError(field="processors", code=ProcessingErrorCode.UNKNOWN_FIELD, message="x")
        ],
    )
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.CONTRACT)
    # when activated, then refused with that rule's field, and still a draft
    with pytest.raises(DomainError) as caught:
        services.activate_activity(actor=officer_actor, activity=activity)
    assert caught.value.errors[0].field == "processors"
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT
