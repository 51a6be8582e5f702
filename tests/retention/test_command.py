"""``personvern retention sweep [--dry-run]`` and ``personvern retention rules``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from personvern.register.models import Interaction
from personvern.retention.choices import TargetRecord, Trigger
from tests.factories import InteractionFactory, PersonFactory
from tests.retention.conftest import years_ago
from tests.retention.factories import RetentionRuleFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def expired():
    RetentionRuleFactory(
        name="Kundeservice",
        target=TargetRecord.INTERACTIONS,
        trigger=Trigger.CREATED,
        period_years=3,
    )
    people = [PersonFactory(first_name="Synnøve", last_name=f"Testesen{n}") for n in range(3)]
    for person in people:
        InteractionFactory(person=person, occurred_at=years_ago(4), summary="Hemmelig")
    return people


def test_dry_run_reports_counts_and_dates_only_and_changes_nothing(expired):
    output = run("sweep", "--dry-run")
    assert "Dry run" in output
    assert "Kundeservice [interactions, delete]: 3" in output
    assert "customer_contact" in output and years_ago(4).date().isoformat() in output
    assert "Synnøve" not in output and "Testesen" not in output and "Hemmelig" not in output
    assert Interaction.objects.count() == 3


def test_the_real_run_does_it_with_plain_progress_lines_off_a_terminal(expired):
    output = run("sweep", "--batch-size", "2")
    assert "Kundeservice: 2 done" in output and "Kundeservice: 3 done" in output
    assert "Retention sweep finished" in output
    assert Interaction.objects.count() == 0


def test_rules_are_listed_with_their_legal_source(expired):
    output = run("rules")
    assert "Kundeservice" in output and "3 y after" in output and "GDPR Art. 5(1)(e)" in output
