"""A retention rule's values are typed (``RuleValues``, ``RuleChanges``) and checked by the
model's own field rules, mapped once (``core.records.model_errors``) to retention's codes; the
service keeps what the model cannot say (a legal source, a sane period, the statute)."""

from __future__ import annotations

import pytest

from personvern.core.errors import CoreErrorCode, DomainError
from personvern.retention import services
from personvern.retention.choices import RetentionErrorCode
from personvern.retention.models import RetentionRule
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db


def rule_values(**overrides) -> services.RuleValues:
    given = {
        "name": "Leads",
        "processing_activity": ProcessingActivityFactory(),
        "target": "people",
        "trigger": "last_interaction",
        "action": "delete",
        "period_years": 2,
        "legal_source": "GDPR Art. 5(1)(e)",
        **overrides,
    }
    return services.RuleValues(**given)


def refused(officer_actor, **overrides) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        services.create_rule(actor=officer_actor, values=rule_values(**overrides))
    assert not RetentionRule.objects.exists()
    return sorted((error.field, error.code) for error in caught.value.errors)


def test_the_model_rules_come_back_as_retentions_codes(officer_actor):
    # given a blank name, a trigger that is no choice, an unknown kind of bookkeeping and a
    # negative number of months / when created / then each field is named, all at once
    assert refused(
        officer_actor, name=" ", trigger="someday", bookkeeping_kind="receipts", period_months=-1
    ) == [
        ("bookkeeping_kind", RetentionErrorCode.INVALID_BOOKKEEPING_KIND),
        ("name", CoreErrorCode.REQUIRED),
        ("period_months", RetentionErrorCode.INVALID_PERIOD),
        ("trigger", RetentionErrorCode.INVALID_TRIGGER),
    ]


def test_a_name_too_long_for_its_column_is_a_field_error_not_a_database_error(officer_actor):
    assert refused(officer_actor, name="n" * 201) == [("name", RetentionErrorCode.TOO_LONG)]


def test_the_services_own_rules_are_named_once(officer_actor):
    # given no legal source and a period of 40 000 days (also past the column's maximum)
    # when created / then each carries the service's code only, not the model's as well
    assert refused(officer_actor, legal_source=" ", period_years=0, period_days=40000) == [
        ("legal_source", RetentionErrorCode.LEGAL_SOURCE_REQUIRED),
        ("period_years", RetentionErrorCode.PERIOD_TOO_LONG),
    ]


def test_an_update_sets_only_its_changes_over_the_row_as_it_is_now(officer_actor):
    # given a rule read by one caller, then changed by another
    rule = services.create_rule(actor=officer_actor, values=rule_values())
    stale = RetentionRule.objects.get(pk=rule.pk)
    services.update_rule(actor=officer_actor, rule=rule, changes={"period_years": 3})

    # when the first caller renames the rule from its stale copy
    services.update_rule(actor=officer_actor, rule=stale, changes={"name": "Old leads"})

    # then the other caller's change stays
    rule.refresh_from_db()
    assert (rule.name, rule.period_years) == ("Old leads", 3)


def test_an_update_below_the_statute_is_refused_and_nothing_changes(officer_actor):
    rule = services.create_rule(
        actor=officer_actor,
        values=rule_values(
            target="due_diligence_records", trigger="relationship_ended", period_years=5
        ),
    )

    with pytest.raises(DomainError) as caught:
        services.update_rule(actor=officer_actor, rule=rule, changes={"period_years": 4})

    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("period_years", RetentionErrorCode.PERIOD_BELOW_STATUTE)
    ]
    rule.refresh_from_db()
    assert rule.period_years == 5
