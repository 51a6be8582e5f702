"""The retention rule for consent evidence: the personal parts of the evidence of a consent
that ended go after the rule's period, the ledger still verifies, and the notice says so."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from personvern.audit.models import AuditEntry
from personvern.consent import ledger
from personvern.consent.choices import Channel, ConsentMethod, TextKind
from personvern.consent.ledger import remove_personal_evidence
from personvern.consent.models import ConsentEvent
from personvern.consent.services import (
    Evidence,
    Subject,
    publish_text,
    record_consent,
    withdraw_consent,
)
from personvern.consent.verification import verify
from personvern.core.actors import Actor
from personvern.processing.choices import ActivityStatus, CommunicationKind, LegalBasis
from personvern.retention import services
from personvern.retention.choices import RetentionAction, TargetRecord, Trigger
from personvern.website.notice.builder import build_notice
from personvern.website.notice.render import render_notice
from tests.factories import OrganisationFactory, PersonFactory, ProcessingActivityFactory
from tests.retention.factories import RetentionRuleFactory

SYSTEM = Actor.for_system("test")
EVIDENCE = Evidence(ip_address="203.0.113.77", user_agent="Mozilla/5.0 test", form_id="signup")


@pytest.fixture
def newsletter(db):
    activity = ProcessingActivityFactory(
        name="Newsletter", legal_basis=LegalBasis.CONSENT,
        communication=CommunicationKind.DIRECT_MARKETING, status=ActivityStatus.ACTIVE,
    )  # fmt: skip
    text = publish_text(
        actor=SYSTEM, kind=TextKind.CONSENT_TEXT, slug="newsletter", language="nb",
        title="Nyhetsbrev", text="Ja, send meg nyhetsbrev.",
    )  # fmt: skip
    return activity, text


def _grant(person, newsletter):
    activity, text = newsletter
    return record_consent(
        actor=SYSTEM, subject=Subject(person=person), purpose=activity, channel=Channel.EMAIL,
        granted=True, method=ConsentMethod.WEB_FORM, text=text, evidence=EVIDENCE,
    )  # fmt: skip


@pytest.fixture
def rule(newsletter):
    return RetentionRuleFactory(
        name="Consent evidence", processing_activity=newsletter[0],
        target=TargetRecord.CONSENT_EVIDENCE, trigger=Trigger.CONSENT_ENDED, period_years=3,
        action=RetentionAction.ANONYMISE, legal_source="foreldelsesloven § 2",
    )  # fmt: skip


def _years_on(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year + years) + datetime.timedelta(days=days)


def test_withdrawn_consent_loses_its_personal_evidence_after_the_period(newsletter, rule):
    # given a withdrawn consent and a consent still in force
    withdrawn_person, current_person = PersonFactory(), PersonFactory()
    granted = _grant(withdrawn_person, newsletter)
    withdrawal = withdraw_consent(
        actor=SYSTEM, subject=Subject(person=withdrawn_person), purpose=newsletter[0],
        channel=Channel.EMAIL, method=ConsentMethod.WEB_FORM, evidence=EVIDENCE,
    )  # fmt: skip
    current = _grant(current_person, newsletter)
    assert ConsentEvent.objects.get(pk=granted.pk).evidence["masked_ip"]

    # when the sweep runs inside the period, nothing goes
    plan = services.sweep(actor=SYSTEM, dry_run=True, today=_years_on(2))
    assert sum(r.count for r in plan.rules if r.rule_id == rule.pk) == 0
    # and when it runs after the period (dry run first: it counts what the run does)
    plan = services.sweep(actor=SYSTEM, dry_run=True, today=_years_on(3, days=2))
    report = services.sweep(actor=SYSTEM, today=_years_on(3, days=2))

    # then the withdrawn consent's evidence has lost its personal parts, the rest stays
    for pk in (granted.pk, withdrawal.pk):
        event = ConsentEvent.objects.get(pk=pk)
        assert "masked_ip" not in event.evidence and "user_agent" not in event.evidence
        assert event.evidence["form_id"] == "signup"
        assert event.personal_salt == "" and event.personal_sha256
    # the consent in force keeps its evidence
    kept = ConsentEvent.objects.get(pk=current.pk)
    assert kept.evidence["user_agent"] == "Mozilla/5.0 test" and kept.personal_salt
    # the chain still verifies
    assert verify().ok
    # the dry run and the run agree, and the run is in the audit log with counts only
    counted = [r.count for r in plan.rules if r.rule_id == rule.pk]
    done = [r.count for r in report.rules if r.rule_id == rule.pk]
    assert counted == done == [2]
    entry = AuditEntry.objects.filter(object_type="retention.sweeprun").latest("pk")
    assert "203.0.113" not in str(entry.detail) and "Mozilla" not in str(entry.detail)


def test_tampering_with_kept_evidence_still_breaks_the_chain(newsletter, rule):
    # given a consent's event with its personal evidence sealed by a digest
    event = _grant(PersonFactory(), newsletter)

    # when someone changes the browser recorded (as a database administrator could)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE consent_consentevent SET evidence = %s WHERE id = %s",
            ['{"masked_ip": "203.0.113.0", "user_agent": "other", "form_id": "signup"}',
             event.pk],
        )  # fmt: skip
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")

    # then verification finds it
    result = verify()
    assert not result.ok and result.first_broken_sequence == event.sequence


def test_the_notice_states_the_period_from_the_rule(newsletter, rule):
    # given a controller with a consent-based activity and the rule (3 years)
    OrganisationFactory()

    # when the notice is built, then it carries the rule's period in the reader's language
    assert build_notice(language="en").consent_evidence_period == "3 years"
    assert build_notice(language="nb").consent_evidence_period == "3 år"
    # and without the rule it promises nothing
    rule.delete()
    assert build_notice(language="en").consent_evidence_period is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_lets_only_the_removal_through(newsletter):
    # given an event with personal evidence
    event = _grant(PersonFactory(), newsletter)
    table = "consent_consentevent"
    # when the salt goes but the evidence stays, or the answer changes, it is refused
    for sql in (
        f"UPDATE {table} SET personal_salt = '' WHERE id = %s",  # noqa: S608
        f"UPDATE {table} SET action = 'refused', personal_salt = '',"  # noqa: S608
        " evidence = evidence - 'masked_ip' - 'user_agent' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    # and removing exactly the personal parts with the salt goes through
    with transaction.atomic():
        assert remove_personal_evidence([event.pk]) == 1
    assert verify().ok


# The migration that added the digest, and the one before it.
BEFORE = [("consent", "0007_reservationimport")]
AFTER = [("consent", "0008_personal_evidence_digest")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


def _write_older_events(apps: Any) -> list[str]:
    """Events chained as the code before the digest chained them: all evidence inline."""
    event_model = apps.get_model("consent", "ConsentEvent")
    head_model = apps.get_model("consent", "LedgerHead")
    previous = ledger.GENESIS_HASH
    at = datetime.datetime(2020, 1, 6, 9, tzinfo=datetime.UTC)
    for sequence, action in enumerate(("objected", "objection_withdrawn"), 1):
        values: dict[str, Any] = {
            "person_id": 4711, "visitor_id": "", "purpose_id": None, "channel": "",
            "action": action, "method": "web_form", "text_id": None,
            "occurred_at": at + datetime.timedelta(days=sequence),
            "evidence": {"masked_ip": "198.51.100.0", "user_agent": "Old browser"},
            "actor_label": "system:test",
        }  # fmt: skip
        digest = ledger.event_hash(sequence=sequence, text_sha256=None, prev_hash=previous,
                                   **values)  # fmt: skip
        event_model.objects.create(sequence=sequence, prev_hash=previous, hash=digest, **values)
        previous = digest
    head_model.objects.update_or_create(pk=1, defaults={"last_sequence": 2, "last_hash": previous})
    return list(event_model.objects.order_by("sequence").values_list("hash", flat=True))


@pytest.fixture
def migrated_older_ledger(transactional_db):
    """Given a ledger written before the digest, when the migration runs."""
    hashes = _write_older_events(_migrate(BEFORE))
    _migrate(AFTER)
    yield hashes
    _migrate(AFTER)


def test_an_older_ledger_verifies_after_the_migration_and_keeps_its_evidence(
    migrated_older_ledger, newsletter, rule
):
    # then the older events verify as written, with newer ones chained after them
    assert verify().ok
    newer = _grant(PersonFactory(), newsletter)
    assert newer.personal_sha256 and newer.prev_hash == migrated_older_ledger[-1]
    assert verify().ok
    # and the sweep leaves the older events' evidence alone: removing it would break the chain
    services.sweep(actor=SYSTEM, today=_years_on(10))
    older = ConsentEvent.objects.filter(sequence__lte=2).order_by("sequence")
    assert [e.hash for e in older] == migrated_older_ledger
    assert all(e.evidence["masked_ip"] == "198.51.100.0" for e in older)
    assert verify().ok


def test_the_rendered_notice_says_what_is_removed_and_when(newsletter, rule):
    # given a controller with a consent-based activity and the rule (3 years)
    OrganisationFactory()

    # when the English notice is rendered, then its consent paragraph states the rule
    text = render_notice(language="en", fmt="md")
    assert (
        "The masked IP address and browser recorded with an answer are removed 3 years after "
        "the consent ended" in " ".join(text.split())
    )
