"""DPIA screening (WP248 rev.01 and Datatilsynet's list), the DPIA record, sign-off as the
condition of activation, review reminders, export, and the Art. 30 record's column."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from personvern.assessments import criteria, export, reminders, services
from personvern.assessments.choices import AssessmentsErrorCode, ResidualRisk
from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.processing.choices import ActivityStatus
from personvern.processing.export import record_rows
from personvern.processing.services import activate_activity
from tests.factories import ProcessingActivityFactory
from tests.rights.conftest import controller, smtp  # noqa: F401
from tests.rights.test_outbox import closed_port

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("tests")
COMPLETE = {
    "description": "Employee monitoring of e-mail.",
    "necessity": "Needed to detect data leaks; less intrusive means were tried.",
    "risks": [{"risk": "Chilling effect", "likelihood": 3, "severity": 2}],
    "measures": "Only metadata; access by two people.",
    "residual_risk": ResidualRisk.MEDIUM,
    "dpo_advice": "Go ahead with the measures.",
    "review_on": datetime.date(2027, 6, 1),
}


def test_the_lists_are_data_files_naming_their_sources():
    for name in ("wp248_criteria.json", "datatilsynet_list.json"):
        document = json.loads((criteria.DATA / name).read_text(encoding="utf-8"))
        assert document["source"] and document["url"].startswith("https://")
    assert len(criteria.wp248().items) == 9


@pytest.mark.parametrize(
    ("wp248", "listed", "needed"),
    [
        ([], [], False),
        (["large_scale"], [], False),
        (["large_scale", "vulnerable_subjects"], [], True),
        ([], ["employee_monitoring"], True),
    ],
)
def test_two_criteria_or_a_listed_kind_need_a_dpia(wp248, listed, needed):
    activity = ProcessingActivityFactory()
    screening = services.screen_activity(actor=ACTOR, activity=activity, criteria=wp248,
                                         listed_kinds=listed)  # fmt: skip
    assert screening.needs_dpia is needed
    entry = AuditEntry.objects.get(event_type=AuditEventType.SCREENING_RECORDED)
    assert entry.detail["needs_dpia"] is needed


def test_an_unknown_criterion_is_refused_naming_the_field():
    with pytest.raises(DomainError) as refused:
        services.screen_activity(actor=ACTOR, activity=ProcessingActivityFactory(),
                                 criteria=["astrology"], listed_kinds=[])  # fmt: skip
    assert refused.value.code == AssessmentsErrorCode.UNKNOWN_CRITERION
    assert refused.value.field == "criteria"


def test_activation_is_blocked_until_a_dpia_is_signed_off():
    # given a draft activity screened as needing a DPIA
    activity = ProcessingActivityFactory(status=ActivityStatus.DRAFT)
    services.screen_activity(actor=ACTOR, activity=activity, criteria=[],
                             listed_kinds=["employee_monitoring"])  # fmt: skip
    # then it cannot be made active, not with a DPIA in draft either
    with pytest.raises(DomainError) as refused:
        activate_activity(actor=ACTOR, activity=activity)
    assert AssessmentsErrorCode.DPIA_REQUIRED in [e.code for e in refused.value.errors]
    dpia = services.start_dpia(actor=ACTOR, activity=activity, values={"description": "x"})
    with pytest.raises(DomainError):
        activate_activity(actor=ACTOR, activity=activity)
    # an incomplete DPIA cannot be signed off: each missing part is named
    with pytest.raises(DomainError) as incomplete:
        services.sign_off_dpia(actor=ACTOR, dpia=dpia)
    assert {e.field for e in incomplete.value.errors} == {
        "necessity", "risks", "measures", "residual_risk", "dpo_advice", "review_on"
    }
    # when it is completed and signed off, the activity may be active
    services.update_dpia(actor=ACTOR, dpia=dpia, changes=COMPLETE)
    services.sign_off_dpia(actor=ACTOR, dpia=dpia)
    activate_activity(actor=ACTOR, activity=activity)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ACTIVE
    # and a signed-off DPIA is not changed any more
    with pytest.raises(DomainError) as frozen:
        services.update_dpia(actor=ACTOR, dpia=dpia, changes={"measures": "none"})
    assert frozen.value.code == AssessmentsErrorCode.ALREADY_SIGNED_OFF


def test_a_high_residual_risk_needs_prior_consultation_before_sign_off():
    activity = ProcessingActivityFactory()
    dpia = services.start_dpia(actor=ACTOR, activity=activity,
                               values={**COMPLETE, "residual_risk": ResidualRisk.HIGH})  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.sign_off_dpia(actor=ACTOR, dpia=dpia)
    assert refused.value.code == AssessmentsErrorCode.PRIOR_CONSULTATION_REQUIRED
    services.update_dpia(actor=ACTOR, dpia=dpia, changes={
        "prior_consultation_on": datetime.date(2026, 11, 1),
        "prior_consultation_reference": "26/01234",
    })  # fmt: skip
    assert services.sign_off_dpia(actor=ACTOR, dpia=dpia).signed_off_at is not None


def test_risks_need_likelihood_and_severity():
    with pytest.raises(DomainError) as refused:
        services.start_dpia(actor=ACTOR, activity=ProcessingActivityFactory(),
                            values={"risks": [{"risk": "Leak", "likelihood": 9}]})  # fmt: skip
    assert refused.value.code == AssessmentsErrorCode.INVALID_RISK


def test_the_art_30_record_names_the_signed_off_dpia():
    activity = ProcessingActivityFactory()
    dpia = services.start_dpia(actor=ACTOR, activity=activity, values=COMPLETE)
    row = next(r for r in record_rows() if r["activity"] == activity.name)
    assert row["dpia"] == ""
    services.sign_off_dpia(actor=ACTOR, dpia=dpia)
    row = next(r for r in record_rows() if r["activity"] == activity.name)
    assert row["dpia"].startswith(f"DPIA #{dpia.pk} signed off ")
    assert "review 2027-06-01" in row["dpia"]


def test_export_html_and_pdf():
    activity = ProcessingActivityFactory(name="E-mail monitoring")
    services.screen_activity(actor=ACTOR, activity=activity, criteria=["systematic_monitoring",
                             "vulnerable_subjects"], listed_kinds=[])  # fmt: skip
    dpia = services.start_dpia(actor=ACTOR, activity=activity, values=COMPLETE)
    html = export.export_dpia(actor=ACTOR, dpia=dpia, fmt="html").content.decode()
    assert "E-mail monitoring" in html and "Chilling effect" in html
    assert criteria.wp248().items["vulnerable_subjects"] in html
    assert export.export_dpia(actor=ACTOR, dpia=dpia, fmt="pdf").content.startswith(b"%PDF")


def test_review_reminders_are_sent_once_per_review_date(controller, smtp):  # noqa: F811
    today = timezone.localdate()
    dpia = services.start_dpia(actor=ACTOR, activity=ProcessingActivityFactory(name="HR"),
                               values={**COMPLETE, "review_on": today + datetime.timedelta(days=10)})  # noqa: E501
    services.sign_off_dpia(actor=ACTOR, dpia=dpia)
    assert reminders.send_review_reminders(today) == 1
    assert reminders.send_review_reminders(today) == 0
    assert smtp.subjects("post@numeri.example") == [
        "Vurdering av personvernkonsekvenser skal gjennomgås: HR"
    ]
    assert AuditEntry.objects.filter(event_type=AuditEventType.DPIA_REVIEW_REMINDED).count() == 1


def test_a_review_reminder_the_mail_server_refuses_is_sent_by_a_later_run(
    controller,  # noqa: F811
    smtp,  # noqa: F811
    settings,
):
    today = timezone.localdate()
    dpia = services.start_dpia(
        actor=ACTOR,
        activity=ProcessingActivityFactory(name="HR"),
        values={**COMPLETE, "review_on": today + datetime.timedelta(days=10)},
    )
    services.sign_off_dpia(actor=ACTOR, dpia=dpia)
    # given a mail server that is down, the reminder is not sent and its claim is released
    server_port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port()
    assert reminders.send_review_reminders(today) == 0
    dpia.refresh_from_db()
    assert dpia.review_reminded_for is None
    assert not AuditEntry.objects.filter(event_type=AuditEventType.DPIA_REVIEW_REMINDED).exists()
    # and with the server back, the next run sends it, once
    settings.EMAIL_PORT = server_port
    assert reminders.send_review_reminders(today) == 1
    assert reminders.send_review_reminders(today) == 0
    assert AuditEntry.objects.filter(event_type=AuditEventType.DPIA_REVIEW_REMINDED).count() == 1
