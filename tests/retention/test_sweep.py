"""The sweep's rules: what expires goes, holds and statutes keep. The run as a whole (dry and
real runs agreeing, interruption, the deletion report) is in ``test_sweep_runs``."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from personvern.register.models import Interaction, JobApplication, JobApplicationDocument, Person
from personvern.retention import services
from personvern.retention.choices import (
    BookkeepingKind,
    HeldRecord,
    RetentionAction,
    TargetRecord,
    Trigger,
)
from personvern.retention.models import BookkeepingRecord, ReviewFlag
from personvern.retention.services.operations import ANONYMISED_NAME
from tests.factories import InteractionFactory, PersonFactory
from tests.retention.conftest import TODAY, at, sweep, years_ago
from tests.retention.factories import (
    BookkeepingRecordFactory,
    DueDiligenceRecordFactory,
    JobApplicationFactory,
    RetentionRuleFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)


def test_expired_interactions_are_deleted_and_recent_ones_kept(system_actor):
    # given a rule deleting interactions three years after they happened
    RetentionRuleFactory(target=TargetRecord.INTERACTIONS, trigger=Trigger.CREATED, period_years=3)
    old = InteractionFactory(occurred_at=years_ago(3, days=1))
    last_day = InteractionFactory(occurred_at=years_ago(3))  # its last day is today
    recent = InteractionFactory(occurred_at=years_ago(1))

    # when the sweep runs
    report = sweep(system_actor)

    # then only the interaction whose period ended before today is gone
    assert not Interaction.objects.filter(pk=old.pk).exists()
    assert Interaction.objects.filter(pk__in=[last_day.pk, recent.pk]).count() == 2
    assert report.total == 1


def test_holds_on_a_person_or_a_record_keep_them_until_lifted(system_actor, officer_actor):
    # given expired interactions of two people, one person held, one interaction held
    RetentionRuleFactory(target=TargetRecord.INTERACTIONS, trigger=Trigger.CREATED, period_years=1)
    held_person = PersonFactory()
    kept_by_person_hold = InteractionFactory(person=held_person, occurred_at=years_ago(2))
    kept_by_record_hold = InteractionFactory(occurred_at=years_ago(2))
    free = InteractionFactory(occurred_at=years_ago(2))
    person_hold = services.set_hold(
        actor=officer_actor,
        record_type=HeldRecord.PERSON,
        record_id=held_person.pk,
        reason="Tvist om faktura",
    )
    services.set_hold(
        actor=officer_actor,
        record_type=HeldRecord.INTERACTION,
        record_id=kept_by_record_hold.pk,
        reason="Klage under behandling",
    )

    # when the sweep runs
    sweep(system_actor)

    # then only the unheld interaction is gone
    assert set(Interaction.objects.values_list("pk", flat=True)) == {
        kept_by_person_hold.pk,
        kept_by_record_hold.pk,
    }
    assert not Interaction.objects.filter(pk=free.pk).exists()

    # and once the person's hold is lifted, the next sweep removes theirs
    services.lift_hold(actor=officer_actor, hold=person_hold)
    sweep(system_actor)
    assert set(Interaction.objects.values_list("pk", flat=True)) == {kept_by_record_hold.pk}


def test_restriction_and_an_open_request_hold_a_person_like_a_legal_hold(
    system_actor, officer_actor
):
    # given three people with expired interactions: one restricted (Art. 18), one who has an
    # access request in progress, one who asked earlier and was answered
    from personvern.register.services import restrict_processing
    from personvern.rights.choices import RequestStatus, RequestType
    from personvern.rights.models import DataSubjectRequest

    RetentionRuleFactory(target=TargetRecord.INTERACTIONS, trigger=Trigger.CREATED, period_years=1)
    restricted, asking, answered = PersonFactory(), PersonFactory(), PersonFactory()
    calls = {p.pk: InteractionFactory(person=p, occurred_at=years_ago(2)).pk
             for p in (restricted, asking, answered)}  # fmt: skip
    restrict_processing(actor=officer_actor, person=restricted)
    for person, status, reference in (
        (asking, RequestStatus.IN_PROGRESS, "R-1"),
        (answered, RequestStatus.DONE, "R-2"),
    ):
        DataSubjectRequest.objects.create(
            reference=reference, request_type=RequestType.ACCESS, status=status, person=person,
            due_on=TODAY, contact_email=f"{reference}@example.com",
        )  # fmt: skip

    # when the dry run and the sweep run
    planned = services.plan(today=TODAY).total
    sweep(system_actor)

    # then the restricted person's and the open request's data stay; the answered one's goes
    assert set(Interaction.objects.values_list("pk", flat=True)) == {
        calls[restricted.pk],
        calls[asking.pk],
    }
    assert planned == 1


def test_a_person_with_a_held_record_is_not_deleted(system_actor, officer_actor):
    RetentionRuleFactory(
        target=TargetRecord.PEOPLE, trigger=Trigger.LAST_INTERACTION, period_years=2
    )
    person = PersonFactory(last_interaction_at=years_ago(5))
    interaction = InteractionFactory(person=person, occurred_at=years_ago(5))
    services.set_hold(
        actor=officer_actor,
        record_type=HeldRecord.INTERACTION,
        record_id=interaction.pk,
        reason="Krav fra kunden",
    )

    sweep(system_actor)

    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    ("kind", "last_kept_day"),
    [
        (BookkeepingKind.PRIMARY, datetime.date(2024, 12, 31)),
        (BookkeepingKind.AGREEMENTS, datetime.date(2023, 6, 30)),
    ],
)
def test_bookkeeping_material_is_kept_its_full_period_and_deleted_the_day_after(
    system_actor, kind, last_kept_day
):
    # given material of fiscal year 2019 and a rule for its kind
    RetentionRuleFactory(
        target=TargetRecord.BOOKKEEPING_RECORDS,
        trigger=Trigger.FISCAL_YEAR_END,
        period_years=5 if kind == BookkeepingKind.PRIMARY else 3,
        period_months=0 if kind == BookkeepingKind.PRIMARY else 6,
        bookkeeping_kind=kind,
    )
    record = BookkeepingRecordFactory(kind=kind, document_date=datetime.date(2019, 3, 1))

    # when the sweep runs on the last day of the period, the record stays
    services.sweep(actor=system_actor, today=last_kept_day)
    assert BookkeepingRecord.objects.filter(pk=record.pk).exists()

    # and on the day after, it goes
    services.sweep(actor=system_actor, today=last_kept_day + datetime.timedelta(days=1))
    assert not BookkeepingRecord.objects.filter(pk=record.pk).exists()


def test_the_statute_wins_over_a_rule_that_slipped_in_shorter(system_actor):
    # given a rule saved directly (bypassing validation) with a one-year period
    RetentionRuleFactory(
        target=TargetRecord.BOOKKEEPING_RECORDS, trigger=Trigger.FISCAL_YEAR_END, period_years=1
    )
    record = BookkeepingRecordFactory(document_date=datetime.date(2022, 5, 1))
    # when the sweep runs two years after the fiscal year ended
    sweep(system_actor)
    # then the record stays: bokføringsloven § 13 requires five years
    assert BookkeepingRecord.objects.filter(pk=record.pk).exists()


def test_people_under_a_bookkeeping_or_aml_obligation_are_kept(system_actor):
    RetentionRuleFactory(
        target=TargetRecord.PEOPLE, trigger=Trigger.LAST_INTERACTION, period_years=2
    )
    with_accounts = PersonFactory(last_interaction_at=years_ago(4))
    BookkeepingRecordFactory(person=with_accounts, document_date=datetime.date(2021, 1, 5))
    with_kyc = PersonFactory(last_interaction_at=years_ago(4))
    DueDiligenceRecordFactory(person=with_kyc, relationship_ended_on=datetime.date(2021, 6, 30))
    free = PersonFactory(last_interaction_at=years_ago(4))

    sweep(system_actor)

    assert set(Person.objects.values_list("pk", flat=True)) == {with_accounts.pk, with_kyc.pk}
    assert not Person.objects.filter(pk=free.pk).exists()


def test_deleting_people_removes_their_applications_and_files(
    system_actor, django_capture_on_commit_callbacks
):
    RetentionRuleFactory(
        target=TargetRecord.PEOPLE,
        trigger=Trigger.CREATED,
        period_years=1,
        subject_category="job_applicant",
    )
    application = JobApplicationFactory(person__created_at=years_ago(2))
    document = JobApplicationDocument(application=application, title="CV")
    document.file.save("cv.pdf", ContentFile(b"%PDF synthetic"), save=True)
    name = document.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        report = sweep(system_actor)

    # then the files go once the batch has committed
    assert not JobApplication.objects.exists()
    assert not default_storage.exists(name)
    assert report.rules[0].cascaded["files"] == 1


def test_job_applications_go_six_months_after_the_decision(system_actor):
    RetentionRuleFactory(
        target=TargetRecord.JOB_APPLICATIONS,
        trigger=Trigger.APPLICATION_DECIDED,
        period_years=0,
        period_months=6,
    )
    old = JobApplicationFactory(decision_date=datetime.date(2024, 12, 14))
    last_day = JobApplicationFactory(decision_date=datetime.date(2024, 12, 15))
    undecided = JobApplicationFactory(status="in_review", decision_date=None)

    sweep(system_actor)

    assert set(JobApplication.objects.values_list("pk", flat=True)) == {last_day.pk, undecided.pk}
    assert not JobApplication.objects.filter(pk=old.pk).exists()


def test_anonymising_people_keeps_category_and_dates_only(system_actor):
    RetentionRuleFactory(
        target=TargetRecord.PEOPLE,
        trigger=Trigger.LAST_INTERACTION,
        period_years=2,
        action=RetentionAction.ANONYMISE,
    )
    person = PersonFactory(
        category="partner_contact", position="CFO", role="Kontakt", last_interaction_at=years_ago(3)
    )
    InteractionFactory(person=person, occurred_at=years_ago(3), summary="Ringte om faktura")

    first = sweep(system_actor)
    second = sweep(system_actor)

    person.refresh_from_db()
    assert person.first_name == ANONYMISED_NAME
    assert (
        person.last_name,
        person.email,
        person.email_key,
        person.phone,
        person.position,
        person.role,
    ) == ("", "", "", "", "", "")
    assert person.category == "partner_contact"
    assert person.last_interaction_at == years_ago(3)
    assert Interaction.objects.get(person=person).summary == ""
    assert (first.total, second.total) == (1, 0)


def test_consent_withdrawn_counts_from_the_withdrawal(system_actor):
    from personvern.consent.choices import ConsentAction
    from personvern.consent.models import ConsentState

    rule = RetentionRuleFactory(
        target=TargetRecord.PEOPLE,
        trigger=Trigger.CONSENT_WITHDRAWN,
        period_years=0,
        period_days=30,
    )
    withdrew_long_ago = PersonFactory()
    withdrew_recently = PersonFactory()
    for person, when in (
        (withdrew_long_ago, at(TODAY) - datetime.timedelta(days=40)),
        (withdrew_recently, at(TODAY) - datetime.timedelta(days=10)),
    ):
        ConsentState.objects.bulk_create(
            [
                ConsentState(
                    person=person,
                    purpose=rule.processing_activity,
                    channel="email",
                    action=ConsentAction.WITHDRAWN,
                    event_id=_event(person).pk,
                    changed_at=when,
                )
            ]
        )

    plan = services.plan(today=TODAY)

    assert plan.total == 1
    assert plan.rules[0].lines["customer_contact"].oldest == TODAY - datetime.timedelta(days=40)


def _event(person):
    from personvern.consent.models import ConsentEvent

    count = ConsentEvent.objects.count()
    return ConsentEvent.objects.create(
        sequence=count + 1,
        person=person,
        action="withdrawn",
        method="web_form",
        actor_label="test",
        prev_hash="0" * 64,
        hash=f"{count + 1:064d}",
    )


def test_flagging_marks_each_record_once(system_actor):
    RetentionRuleFactory(
        target=TargetRecord.DUE_DILIGENCE_RECORDS,
        trigger=Trigger.RELATIONSHIP_ENDED,
        period_years=5,
        action=RetentionAction.FLAG,
    )
    record = DueDiligenceRecordFactory(relationship_ended_on=datetime.date(2019, 12, 31))
    DueDiligenceRecordFactory(relationship_ended_on=None)  # relationship ongoing

    assert (sweep(system_actor).total, sweep(system_actor).total) == (1, 0)
    flag = ReviewFlag.objects.get()
    assert (flag.record_id, flag.trigger_date) == (record.pk, datetime.date(2019, 12, 31))


def test_answered_requests_go_after_their_period_and_are_counted_per_type(
    system_actor, django_capture_on_commit_callbacks
):
    # given a rule keeping answered requests three years, and requests of every kind of age
    from django.core.files.base import ContentFile

    from personvern.retention.models import StatisticCell
    from personvern.rights.choices import RequestStatus, RequestType
    from personvern.rights.models import DataSubjectRequest

    RetentionRuleFactory(
        target=TargetRecord.DATA_SUBJECT_REQUESTS, trigger=Trigger.REQUEST_CLOSED, period_years=3
    )
    package = default_storage.save("rights/packages/old.zip", ContentFile(b"PK synthetic"))

    def request(reference, status, received, completed=None, **extra):
        return DataSubjectRequest.objects.create(
            reference=reference, request_type=extra.pop("request_type", RequestType.ACCESS),
            status=status, received_at=received, completed_at=completed, due_on=TODAY,
            contact_email=f"{reference.lower()}@example.com", **extra,
        )  # fmt: skip

    old = request("R-OLD", RequestStatus.DONE, years_ago(5), years_ago(4), package_name=package)
    refused = request("R-REF", RequestStatus.REFUSED, years_ago(4), years_ago(4),
                      request_type=RequestType.ERASURE)  # fmt: skip
    recent = request("R-NEW", RequestStatus.DONE, years_ago(2), years_ago(2))
    still_open = request("R-OPEN", RequestStatus.IN_PROGRESS, years_ago(5))

    # when the sweep runs (the dry run first)
    planned = sweep(system_actor, dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep(system_actor)

    # then the two answered more than three years ago are gone, with the old package file
    assert planned.total == report.total == 2
    remaining = set(DataSubjectRequest.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, still_open.pk}
    assert old.pk not in remaining and refused.pk not in remaining
    assert not default_storage.exists(package)
    assert {k: v.count for k, v in report.rules[0].lines.items()} == {"access": 1, "erasure": 1}
    # and the figure per year and type stays
    cells = StatisticCell.objects.filter(metric="requests_by_type")
    assert sorted(cells.values_list("year", "dimension", "count")) == [
        (2020, "access", 1),
        (2021, "erasure", 1),
    ]
