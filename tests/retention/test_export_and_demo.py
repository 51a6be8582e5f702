"""Rules in the Art. 30 export, and the demo organisation's rules."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from personvern.audit.models import AuditEntry
from personvern.demo import content
from personvern.processing.export import export_record
from personvern.retention.models import RetentionRule
from tests.demo.conftest import run_demo
from tests.factories import OrganisationFactory
from tests.retention.factories import RetentionRuleFactory

pytestmark = pytest.mark.django_db


def test_the_record_export_lists_each_activitys_rules(officer_actor):
    OrganisationFactory()
    rule = RetentionRuleFactory(legal_source="bokføringsloven § 13")
    RetentionRuleFactory(processing_activity=rule.processing_activity, active=False)
    with translation.override("en"):
        document = json.loads(export_record(actor=officer_actor, fmt="json").content)
    row = document["activities"][0]
    assert row["retention_rules"] == [
        "Interactions: 3 y after Creation of the record, then Delete (bokføringsloven § 13)"
    ]


def test_demo_rules_name_their_legal_sources_and_reload_writes_nothing():
    run_demo()
    rules = RetentionRule.objects.select_related("processing_activity")
    assert rules.count() == len(content.RETENTION_RULES)
    covered = {rule.processing_activity.name for rule in rules}
    assert covered == {spec.name for spec in content.ACTIVITIES}
    sources = " ".join(rule.legal_source for rule in rules)
    assert "Bokføringsloven § 13" in sources and "Hvitvaskingsloven § 30" in sources
    audit = AuditEntry.objects.count()
    run_demo()
    assert RetentionRule.objects.count() == len(content.RETENTION_RULES)
    assert AuditEntry.objects.count() == audit
