"""Recruitment: what the privacy notice promises (six months after the decision) is what the
sweep does, for the applications and for the applicant's own person record."""

from __future__ import annotations

import datetime

import pytest

from personvern.demo.content import RETENTION_RULES
from personvern.register.models import JobApplication, Person
from personvern.retention.choices import RetentionAction, TargetRecord, Trigger
from tests.factories import ProcessingActivityFactory
from tests.retention.conftest import TODAY, sweep, years_ago
from tests.retention.factories import JobApplicationFactory, RetentionRuleFactory

pytestmark = pytest.mark.django_db


def _rules() -> None:
    """The demo's two recruitment rules, as the demo loads them."""
    activity = ProcessingActivityFactory(name="Rekruttering")
    for spec in RETENTION_RULES:
        if spec.activity != "Rekruttering":
            continue
        RetentionRuleFactory(
            name=spec.name,
            processing_activity=activity,
            target=spec.target,
            trigger=spec.trigger,
            action=spec.action,
            period_years=spec.years,
            period_months=spec.months,
            period_days=spec.days,
            subject_category=spec.subject_category,
        )


def test_the_demo_promises_six_months_after_the_decision_for_the_person_too():
    specs = [spec for spec in RETENTION_RULES if spec.activity == "Rekruttering"]
    assert {(s.target, s.trigger, s.action, s.months) for s in specs} == {
        (TargetRecord.JOB_APPLICATIONS, Trigger.APPLICATION_DECIDED, RetentionAction.DELETE, 6),
        (TargetRecord.PEOPLE, Trigger.APPLICATION_DECIDED, RetentionAction.DELETE, 6),
    }


def test_an_applicant_goes_six_months_after_the_last_decision(system_actor):
    # given the recruitment rules, and three applicants: decided seven months ago, decided
    # five months ago, and one decided long ago with a second application still open
    _rules()
    old = JobApplicationFactory(decision_date=TODAY - datetime.timedelta(days=213))
    recent = JobApplicationFactory(decision_date=TODAY - datetime.timedelta(days=150))
    waiting = JobApplicationFactory(decision_date=TODAY - datetime.timedelta(days=400))
    JobApplicationFactory(person=waiting.person, decision_date=None, status="received")
    Person.objects.update(created_at=years_ago(2))  # registered when they applied
    # when the sweep runs
    sweep(system_actor)
    # then the applicant decided seven months ago is gone, application and person record
    assert not JobApplication.objects.filter(pk=old.pk).exists()
    assert not Person.objects.filter(pk=old.person_id).exists()
    # and the one decided five months ago is kept whole
    assert JobApplication.objects.filter(pk=recent.pk).exists()
    assert Person.objects.filter(pk=recent.person_id).exists()
    # and an applicant with an undecided application keeps their record (the old application
    # itself goes)
    assert Person.objects.filter(pk=waiting.person_id).exists()
    assert not JobApplication.objects.filter(pk=waiting.pk).exists()


def test_the_staff_list_shows_periods_and_categories_in_the_staff_members_language():
    from django.utils import translation

    from personvern.processing.models import DataCategory
    from personvern.retention.admin import RetentionRuleAdmin
    from personvern.retention.models import RetentionRule

    rule = RetentionRuleFactory(period_years=3, period_months=6)
    column = RetentionRuleAdmin(RetentionRule, admin_site=None).period
    email = DataCategory.objects.get(key="user.contact.email")
    with translation.override("nb"):
        assert column(rule) == "3 år og 6 måneder"
        assert str(email) == "e-postadresse (user.contact.email)"
    with translation.override("en"):
        assert column(rule) == "3 years and 6 months"
        assert str(email) == "e-mail address (user.contact.email)"
