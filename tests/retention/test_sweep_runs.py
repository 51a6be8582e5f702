"""The sweep as a run: the dry and the real run agree, an interrupted run is finished by the
next and nothing is done twice, and each run leaves one deletion report without personal
data."""

from __future__ import annotations

import pytest

from personvern.audit.models import AuditEntry
from personvern.register.models import Interaction, Person
from personvern.retention.choices import (
    RetentionAction,
    SweepStatus,
    TargetRecord,
    Trigger,
)
from personvern.retention.models import SweepRun
from tests.factories import InteractionFactory, PersonFactory
from tests.retention.conftest import sweep, years_ago
from tests.retention.factories import (
    RetentionRuleFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)


def _mixed_register():
    RetentionRuleFactory(target=TargetRecord.INTERACTIONS, trigger=Trigger.CREATED, period_years=3)
    RetentionRuleFactory(
        target=TargetRecord.PEOPLE,
        trigger=Trigger.LAST_INTERACTION,
        period_years=3,
        subject_category="lead",
    )
    for n in range(7):
        lead = PersonFactory(category="lead", last_interaction_at=years_ago(4 + n % 2))
        InteractionFactory(person=lead, occurred_at=years_ago(4 + n % 2))
        customer = PersonFactory(last_interaction_at=years_ago(n))
        InteractionFactory(person=customer, occurred_at=years_ago(n))


def test_dry_run_and_real_run_agree(system_actor):
    _mixed_register()
    before = (Person.objects.count(), Interaction.objects.count(), AuditEntry.objects.count())

    dry = sweep(system_actor, dry_run=True)
    assert (
        Person.objects.count(),
        Interaction.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    real = sweep(system_actor, batch_size=3)

    assert dry.total == real.total == 7 + 3 + 7
    assert [r.as_json()["categories"] for r in dry.rules] == [
        r.as_json()["categories"] for r in real.rules
    ]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (RetentionAction.DELETE, RetentionAction.DELETE, [4, 0]),
        (RetentionAction.ANONYMISE, RetentionAction.ANONYMISE, [4, 0]),
        (RetentionAction.ANONYMISE, RetentionAction.DELETE, [4, 4]),
        (RetentionAction.FLAG, RetentionAction.DELETE, [4, 4]),
    ],
)
def test_two_rules_over_the_same_people_count_alike_in_the_dry_and_the_real_run(
    system_actor, first, second, expected
):
    # given two rules that both cover four expired leads
    for action, years in ((first, 2), (second, 3)):
        RetentionRuleFactory(
            target=TargetRecord.PEOPLE,
            trigger=Trigger.LAST_INTERACTION,
            period_years=years,
            subject_category="lead",
            action=action,
        )
    for _ in range(4):
        PersonFactory(category="lead", last_interaction_at=years_ago(5))

    # when the dry run and then the real run are made
    dry = sweep(system_actor, dry_run=True)
    real = sweep(system_actor)

    # then each rule is credited with the same records in both
    assert [r.count for r in dry.rules] == [r.count for r in real.rules] == expected


def test_an_interrupted_sweep_is_finished_by_the_next_and_nothing_is_done_twice(system_actor):
    # given 10 expired interactions, swept in batches of 3, stopped after the first batch
    RetentionRuleFactory(target=TargetRecord.INTERACTIONS, trigger=Trigger.CREATED, period_years=1)
    for _ in range(10):
        InteractionFactory(occurred_at=years_ago(2))

    def stop(rule, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(system_actor, batch_size=3, progress=stop)

    # then the first batch is committed and the run is recorded as interrupted
    assert Interaction.objects.count() == 7
    interrupted = SweepRun.objects.get()
    assert interrupted.status == SweepStatus.INTERRUPTED
    assert interrupted.report["total"] == 3

    # when the sweep runs again it does the rest
    rerun = sweep(system_actor, batch_size=3)
    assert rerun.total == 7
    assert Interaction.objects.count() == 0
    # and the statistics counted each interaction once
    from personvern.retention.models import StatisticCell

    assert sum(StatisticCell.objects.values_list("count", flat=True)) == 10


def test_each_run_writes_one_deletion_report_without_personal_data(system_actor):
    RetentionRuleFactory(
        name="Leads", target=TargetRecord.PEOPLE, trigger=Trigger.LAST_INTERACTION, period_years=2
    )
    people = [
        PersonFactory(category="lead", last_interaction_at=years_ago(3 + n)) for n in range(3)
    ]

    sweep(system_actor, batch_size=2)

    entry = AuditEntry.objects.get(object_type="retention.sweeprun")
    assert entry.actor_label == "system:retention-sweep"
    assert entry.action == "delete"
    rule = entry.detail["rules"][0]
    assert rule["name"] == "Leads"
    assert rule["count"] == 3
    assert rule["categories"]["lead"] == {
        "count": 3,
        "oldest": years_ago(5).date().isoformat(),
        "newest": years_ago(3).date().isoformat(),
    }
    text = str(entry.detail)
    for person in people:
        for value in (person.first_name, person.last_name, person.email, person.phone):
            assert value not in text
