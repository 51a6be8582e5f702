from __future__ import annotations

import datetime

import pytest

from personvern.core.actors import Actor
from personvern.retention.choices import TargetRecord
from personvern.retention.selectors import retention_days
from personvern.retention.services import RuleValues, create_rule
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db
SYSTEM = Actor.for_system("tests")


def rule(name: str, period_months: int = 0, period_days: int = 0) -> None:
    create_rule(actor=SYSTEM, values=RuleValues(
        name=name, processing_activity=ProcessingActivityFactory.create(),
        target="ip_log_entries", trigger="created", action="delete",
        period_months=period_months, period_days=period_days,
        legal_source="GDPR art. 5(1)(e)"))  # fmt: skip


def test_retention_days_is_the_strictest_active_rule_for_a_target():
    assert retention_days(TargetRecord.IP_LOG_ENTRIES) is None
    rule("Six months", period_months=6)
    rule("Ninety days", period_days=90)
    today = datetime.date(2026, 1, 1)
    assert retention_days(TargetRecord.IP_LOG_ENTRIES, today=today) == 90
    assert retention_days(TargetRecord.INTERACTIONS, today=today) is None
