"""What retention adds to the record of processing activities (Art. 30(1)(f)): the rules
applied to each activity. Registered with the processing app from ``apps.py`` (processing sits
below retention and never imports it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from personvern.processing.export import ContributedColumn
from personvern.processing.models import ProcessingActivity

from .models import RetentionRule
from .selectors import rule_summary


def _active_rules() -> Prefetch[Any]:
    return Prefetch(
        "retention_rules",
        queryset=RetentionRule.objects.filter(active=True).order_by("name"),
        to_attr="active_retention_rules",
    )


def _rules_applied(activity: ProcessingActivity) -> list[str]:
    return [
        f"{rule_summary(rule)} ({rule.legal_source})"
        for rule in getattr(activity, "active_retention_rules", [])
    ]


RULES_COLUMN = ContributedColumn(
    key="retention_rules", prefetch=_active_rules, value=_rules_applied
)
