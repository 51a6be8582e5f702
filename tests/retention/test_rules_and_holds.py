"""Rule validation and the audit of rules and holds."""

from __future__ import annotations

import pytest

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.retention import services
from personvern.retention.choices import HeldRecord, RetentionErrorCode
from tests.factories import InteractionFactory, PersonFactory, ProcessingActivityFactory

pytestmark = pytest.mark.django_db


def values(**overrides):
    return services.RuleValues(
        **{
            "name": "Leads",
            "processing_activity": ProcessingActivityFactory(),
            "target": "people",
            "trigger": "last_interaction",
            "action": "delete",
            "period_years": 2,
            "subject_category": "lead",
            "legal_source": "GDPR Art. 5(1)(e)",
            **overrides,
        }
    )


def code(**overrides):
    with pytest.raises(DomainError) as caught:
        services.create_rule(actor=None, values=values(**overrides))
    return {e.code for e in caught.value.errors}


def test_a_rule_is_created_and_audited(officer_actor):
    rule = services.create_rule(actor=officer_actor, values=values())
    entry = AuditEntry.objects.get(object_type="retention.retentionrule")
    assert entry.action == "create" and entry.object_id == str(rule.pk)
    assert "legal_source" in entry.fields
    services.update_rule(actor=officer_actor, rule=rule, changes={"period_years": 3})
    assert AuditEntry.objects.filter(action="update").get().fields == ["period_years"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"legal_source": " "}, RetentionErrorCode.LEGAL_SOURCE_REQUIRED),
        ({"trigger": "fiscal_year_end"}, RetentionErrorCode.TRIGGER_NOT_FOR_TARGET),
        (
            {"target": "job_applications", "trigger": "application_decided", "action": "anonymise"},
            RetentionErrorCode.ACTION_NOT_FOR_TARGET,
        ),
        ({"period_years": 0}, RetentionErrorCode.PERIOD_REQUIRED),
        (
            {
                "target": "bookkeeping_records",
                "trigger": "fiscal_year_end",
                "subject_category": "",
                "period_years": 4,
                "bookkeeping_kind": "primary",
            },
            RetentionErrorCode.PERIOD_BELOW_STATUTE,
        ),
        (
            {
                "target": "due_diligence_records",
                "trigger": "relationship_ended",
                "subject_category": "",
                "period_years": 3,
            },
            RetentionErrorCode.PERIOD_BELOW_STATUTE,
        ),
        ({"period_years": 2030}, RetentionErrorCode.PERIOD_TOO_LONG),
        ({"period_years": 0, "period_days": 40000}, RetentionErrorCode.PERIOD_TOO_LONG),
        (
            {
                "target": "bookkeeping_records",
                "trigger": "fiscal_year_end",
                "subject_category": "",
                "period_years": 8000,
                "bookkeeping_kind": "primary",
            },
            RetentionErrorCode.PERIOD_TOO_LONG,
        ),
        ({"target": "nothing"}, RetentionErrorCode.INVALID_TARGET),
    ],
)
def test_rules_the_engine_cannot_honour_are_refused(overrides, expected):
    assert expected in code(**overrides)


def test_a_field_a_rule_does_not_have_is_refused(officer_actor):
    # A new rule's values are typed (a name it does not have is a TypeError); an update's
    # changes are checked when it runs.
    rule = services.create_rule(actor=officer_actor, values=values())

    with pytest.raises(DomainError) as caught:
        services.update_rule(actor=officer_actor, rule=rule, changes={"colour": "red"})

    assert {e.code for e in caught.value.errors} == {RetentionErrorCode.UNKNOWN_FIELD}


def test_agreements_may_be_kept_three_years_and_six_months(officer_actor):
    rule = services.create_rule(
        actor=officer_actor,
        values=values(
            target="bookkeeping_records",
            trigger="fiscal_year_end",
            subject_category="",
            bookkeeping_kind="agreements",
            period_years=3,
            period_months=6,
        ),
    )
    assert str(rule.period) == "3 y 6 m"


def test_holds_record_who_when_and_why_and_stay_after_lifting(officer_actor):
    person = PersonFactory()
    interaction = InteractionFactory(person=person)
    hold = services.set_hold(
        actor=officer_actor,
        record_type=HeldRecord.INTERACTION,
        record_id=interaction.pk,
        reason="Tvist",
    )
    assert (hold.person_id, hold.set_by, hold.set_by_label) == (
        person.pk,
        officer_actor.user,
        officer_actor.user.username,
    )
    services.lift_hold(actor=officer_actor, hold=hold)
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == officer_actor.user
    entries = AuditEntry.objects.filter(object_type="retention.legalhold").order_by("pk")
    assert [(e.action, e.subject_id) for e in entries] == [
        ("create", person.pk),
        ("update", person.pk),
    ]
    assert "Tvist" not in str([e.detail for e in entries])
    with pytest.raises(DomainError) as caught:
        services.lift_hold(actor=officer_actor, hold=hold)
    assert caught.value.code == RetentionErrorCode.HOLD_ALREADY_LIFTED


@pytest.mark.parametrize(
    ("record_type", "record_id", "reason", "expected"),
    [
        ("spaceship", 1, "x", RetentionErrorCode.HOLD_TARGET_REQUIRED),
        (HeldRecord.PERSON, 999_999, "x", RetentionErrorCode.HOLD_RECORD_NOT_FOUND),
    ],
)
def test_a_hold_needs_a_real_record(officer_actor, record_type, record_id, reason, expected):
    with pytest.raises(DomainError) as caught:
        services.set_hold(
            actor=officer_actor, record_type=record_type, record_id=record_id, reason=reason
        )
    assert caught.value.code == expected


def test_a_hold_needs_a_reason(officer_actor):
    with pytest.raises(DomainError) as caught:
        services.set_hold(
            actor=officer_actor,
            record_type=HeldRecord.PERSON,
            record_id=PersonFactory().pk,
            reason="  ",
        )
    assert caught.value.code == RetentionErrorCode.HOLD_REASON_REQUIRED
