"""The IP security log as a retention target: rules of the retention app delete its entries.
Registered with retention from ``apps.py`` (retention sits below the website and never
imports it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, Q, QuerySet

from personvern.retention.choices import RetentionAction, TargetRecord, Trigger
from personvern.retention.models import RetentionRule
from personvern.retention.selectors import person_held
from personvern.retention.services.targets import Target, timestamp_or_date

from .models import IpLogEntry


class IpLogTarget(Target):
    """The IP security log (website app): kept for a short period for security, debugging and
    access control, then deleted. The masked statistics are separate and stay."""

    primary = "ip_log_entries"
    target = TargetRecord.IP_LOG_ENTRIES
    model = IpLogEntry
    triggers = frozenset({Trigger.CREATED})
    actions = frozenset({RetentionAction.DELETE})
    category_field = "source"

    def scope(self, rule: RetentionRule) -> QuerySet[Any]:
        return IpLogEntry.objects.all()

    def expired(self, rule: RetentionRule, day: datetime.date) -> Q:
        return timestamp_or_date("at", day, is_date=False)

    def trigger_expression(self, rule: RetentionRule) -> F:
        return F("at")

    def held(self) -> Q:
        return Q(person_held("person_id"))
