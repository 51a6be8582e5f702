"""Legitimate interest is decided by the LATEST balancing assessment (by assessed date, then as
recorded): a later unfavourable one ends an earlier favourable one."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.processing import services
from personvern.processing.choices import (
    ActivityStatus,
    AssessmentOutcome,
    LegalBasis,
    ProcessingErrorCode,
)
from personvern.processing.models import BalancingAssessment, ProcessingActivity
from tests.api.conftest import session_client
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY - datetime.timedelta(days=365)
LAST_MONTH = TODAY - datetime.timedelta(days=30)


def assess(actor, activity, outcome, on=None):
    return services.record_balancing_assessment(
        actor=actor,
        activity=activity,
        purpose_test="Marketing to existing customers.",
        necessity_test="No other way to reach them.",
        balancing_test="Expected; opt-out in every message.",
        outcome=outcome,
        assessed_on=on,
    )


def li_activity() -> ProcessingActivity:
    activity: ProcessingActivity = ProcessingActivityFactory.create(
        legal_basis=LegalBasis.LEGITIMATE_INTEREST
    )
    return activity


def test_a_later_unfavourable_assessment_closes_the_gate(officer_actor):
    # given a favourable assessment last year and an unfavourable one last month
    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_YEAR)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE, on=LAST_MONTH)
    # when the activity is activated, then it is refused: the latest decides
    with pytest.raises(DomainError) as refused:
        services.activate_activity(actor=officer_actor, activity=activity)
    assert refused.value.code == ProcessingErrorCode.BALANCING_ASSESSMENT_REQUIRED
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT


def test_the_latest_is_by_assessed_date_not_by_when_it_was_entered(officer_actor):
    # given an unfavourable assessment from last year entered after a favourable one of
    # last month (documentation catching up)
    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_MONTH)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE, on=LAST_YEAR)
    # then the favourable one is still the latest and the activity may be activated
    services.activate_activity(actor=officer_actor, activity=activity)
    assert activity.status == ActivityStatus.ACTIVE


def test_on_the_same_day_the_one_recorded_last_decides(officer_actor):
    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_MONTH)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE, on=LAST_MONTH)
    with pytest.raises(DomainError):
        services.activate_activity(actor=officer_actor, activity=activity)


def test_an_unfavourable_assessment_sets_an_active_activity_back_to_draft(officer_actor):
    # given an active activity on legitimate interest
    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_YEAR)
    services.activate_activity(actor=officer_actor, activity=activity)
    # when a new assessment finds that the person's interests override
    assessment = assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE)
    # then it is recorded (it is the documentation), and the activity is back to draft
    assert BalancingAssessment.objects.filter(pk=assessment.pk).exists()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT
    # and the change of status is audited with its reason
    entry = AuditEntry.objects.filter(object_type="processing.processingactivity").latest("pk")
    assert (entry.action, entry.fields) == ("update", ["status"])
    assert entry.detail == {"status": "draft", "reason": "unfavourable_assessment"}
    # and a later favourable assessment lets it be activated again
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE_WITH_SAFEGUARDS)
    services.activate_activity(actor=officer_actor, activity=activity)
    assert activity.status == ActivityStatus.ACTIVE


def test_an_older_unfavourable_assessment_leaves_an_active_activity_alone(officer_actor):
    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_MONTH)
    services.activate_activity(actor=officer_actor, activity=activity)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE, on=LAST_YEAR)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACTIVE


def test_an_unfavourable_assessment_on_another_basis_changes_nothing(officer_actor):
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.CONTRACT)
    services.activate_activity(actor=officer_actor, activity=activity)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACTIVE


def test_an_active_activity_cannot_switch_to_li_on_a_superseded_assessment(officer_actor):
    # given an active activity on contract, whose latest LI assessment was unfavourable
    activity = ProcessingActivityFactory(legal_basis=LegalBasis.CONTRACT)
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_YEAR)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE, on=LAST_MONTH)
    services.activate_activity(actor=officer_actor, activity=activity)
    # when its basis is changed to legitimate interest, then it is refused
    with pytest.raises(DomainError) as refused:
        services.update_activity(
            actor=officer_actor,
            activity=activity,
            changes={"legal_basis": LegalBasis.LEGITIMATE_INTEREST},
        )
    assert refused.value.errors[0].field == "legal_basis"


def test_an_assessment_cannot_be_dated_in_the_future(officer_actor):
    activity = li_activity()
    with pytest.raises(DomainError) as refused:
        assess(
            officer_actor,
            activity,
            AssessmentOutcome.FAVOURABLE,
            on=TODAY + datetime.timedelta(days=1),
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == (
        "assessed_on",
        ProcessingErrorCode.ASSESSMENT_IN_FUTURE,
    )
    assert not BalancingAssessment.objects.exists()


def test_the_api_reports_whether_the_latest_assessment_is_favourable(
    privacy_officer, officer_actor
):
    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_YEAR)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE, on=LAST_MONTH)
    api = session_client(privacy_officer)
    assert api.get(f"/api/activities/{activity.pk}").json()["has_favourable_assessment"] is False
    listed = api.get("/api/activities").json()["items"]
    assert [a["has_favourable_assessment"] for a in listed] == [False]


def test_the_staff_ui_says_an_active_activity_went_back_to_draft(privacy_officer, officer_actor):
    # given an active activity on legitimate interest
    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_YEAR)
    services.activate_activity(actor=officer_actor, activity=activity)
    client = Client()
    client.force_login(privacy_officer)
    # when an unfavourable assessment is recorded in the staff UI
    response = client.post(
        reverse("admin:processing_balancingassessment_add"),
        {
            "activity": activity.pk,
            "purpose_test": "p",
            "necessity_test": "n",
            "balancing_test": "b",
            "outcome": AssessmentOutcome.UNFAVOURABLE,
            "assessed_on": TODAY.isoformat(),
        },
        follow=True,
    )
    # then it is saved, the activity is a draft again, and the user is told
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT
    assert "warning" in [m.level_tag for m in response.context["messages"]]


def test_the_staff_ui_shows_a_refused_basis_change_on_the_field(privacy_officer):
    # given an active activity on contract with no assessment
    activity = ProcessingActivityFactory(
        legal_basis=LegalBasis.CONTRACT, status=ActivityStatus.ACTIVE
    )
    client = Client()
    client.force_login(privacy_officer)
    # when its basis is changed to legitimate interest in the staff UI
    response = client.post(
        reverse("admin:processing_processingactivity_change", args=[activity.pk]),
        {
            "name": activity.name,
            "purpose": activity.purpose,
            "legal_basis": LegalBasis.LEGITIMATE_INTEREST,
            "communication": "none",
            "subject_categories": "[]",
            "assessments-TOTAL_FORMS": "0",
            "assessments-INITIAL_FORMS": "0",
        },
    )
    # then the form comes back with the reason on the legal basis, not a server error
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"legal_basis"}
    activity.refresh_from_db()
    assert activity.legal_basis == LegalBasis.CONTRACT


def test_the_record_shows_the_latest_assessment_even_when_unfavourable(officer_actor):
    from personvern.processing.export import record_rows

    activity = li_activity()
    assess(officer_actor, activity, AssessmentOutcome.FAVOURABLE, on=LAST_YEAR)
    assess(officer_actor, activity, AssessmentOutcome.UNFAVOURABLE, on=LAST_MONTH)
    [row] = record_rows()
    assert row["balancing_assessment"] == f"{LAST_MONTH.isoformat()} (unfavourable)"
