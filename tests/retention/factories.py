"""Factories for retention tests (synthetic data only)."""

from __future__ import annotations

import datetime

import factory
from factory.declarations import LazyAttribute, Sequence, SubFactory

from personvern.register.choices import ApplicationStatus
from personvern.register.models import JobApplication
from personvern.retention.choices import BookkeepingKind, RetentionAction, TargetRecord, Trigger
from personvern.retention.models import BookkeepingRecord, DueDiligenceRecord, RetentionRule
from personvern.retention.periods import fiscal_year_end
from tests.factories import PersonFactory, ProcessingActivityFactory


class RetentionRuleFactory(factory.django.DjangoModelFactory[RetentionRule]):
    class Meta:
        model = RetentionRule

    name = Sequence(lambda n: f"Rule {n}")
    processing_activity = SubFactory(ProcessingActivityFactory)
    target = TargetRecord.INTERACTIONS
    trigger = Trigger.CREATED
    period_years = 3
    action = RetentionAction.DELETE
    legal_source = "GDPR Art. 5(1)(e)"


class JobApplicationFactory(factory.django.DjangoModelFactory[JobApplication]):
    class Meta:
        model = JobApplication

    person = SubFactory(PersonFactory, category="job_applicant")
    position = "Regnskapsfører"
    status = ApplicationStatus.REJECTED
    decision_date = datetime.date(2024, 1, 15)


class BookkeepingRecordFactory(factory.django.DjangoModelFactory[BookkeepingRecord]):
    class Meta:
        model = BookkeepingRecord

    kind = BookkeepingKind.PRIMARY
    reference = Sequence(lambda n: f"BILAG-{n}")
    document_date = datetime.date(2019, 6, 1)
    fiscal_year_end = LazyAttribute(lambda o: fiscal_year_end(o.document_date))
    fiscal_year = LazyAttribute(lambda o: o.fiscal_year_end.year)


class DueDiligenceRecordFactory(factory.django.DjangoModelFactory[DueDiligenceRecord]):
    class Meta:
        model = DueDiligenceRecord

    reference = Sequence(lambda n: f"KYC-{n}")
    performed_on = datetime.date(2015, 3, 1)
    relationship_ended_on = datetime.date(2019, 12, 31)
