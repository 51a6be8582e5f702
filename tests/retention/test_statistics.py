"""Anonymised statistics: folded before people go, small cells suppressed."""

from __future__ import annotations

import pytest
from django.test import override_settings

from personvern.retention import services
from personvern.retention.choices import StatisticMetric, TargetRecord, Trigger
from personvern.retention.models import StatisticCell
from personvern.retention.selectors import statistics, suppress
from tests.factories import InteractionFactory, PersonFactory
from tests.retention.conftest import TODAY, years_ago
from tests.retention.factories import RetentionRuleFactory

pytestmark = pytest.mark.django_db


def test_figures_are_folded_before_people_are_deleted(system_actor):
    RetentionRuleFactory(target=TargetRecord.PEOPLE, trigger=Trigger.CREATED, period_years=2)
    for n in range(6):
        person = PersonFactory(category="lead", created_at=years_ago(3))
        InteractionFactory(
            person=person, channel="email" if n < 4 else "phone_call", occurred_at=years_ago(3)
        )

    services.sweep(actor=system_actor, today=TODAY)

    year = years_ago(3).year
    people = statistics(metric=StatisticMetric.PEOPLE_BY_CATEGORY)
    assert [(f.year, f.dimension, f.count) for f in people] == [(year, "lead", 6)]
    channels = {f.dimension: f for f in statistics(metric=StatisticMetric.INTERACTIONS_BY_CHANNEL)}
    # four e-mails is a small group: stored, but never shown
    assert channels["email"].count is None and channels["email"].shown == "<5"
    assert StatisticCell.objects.get(dimension="email").count == 4
    assert channels["phone_call"].count is None


def test_suppression_threshold_and_its_setting():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]
    with override_settings(PERSONVERN={"STATISTICS_MIN_GROUP_SIZE": 10}):
        assert suppress(9) is None and suppress(10) == 10
