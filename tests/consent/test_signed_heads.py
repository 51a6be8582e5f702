"""The ledger against whoever runs the database: signed heads kept outside it catch a
rewrite, a truncated tail and a forged (backdated) append that the chain alone cannot; the
state table is recomputed from the events. On PostgreSQL the tampering runs with the triggers
off (``session_replication_role = replica``), as a superuser would."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from personvern.audit.models import AuditEntry
from personvern.consent import anchoring, ledger
from personvern.consent.choices import Channel, ConsentMethod
from personvern.consent.models import ConsentEvent, LedgerVerification
from personvern.consent.services import Subject, record_consent, sign_ledger_head
from personvern.consent.verification import verify
from tests.consent.conftest import EVIDENCE, SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads(tmp_path, settings) -> Path:
    key = tmp_path / "ledger-key.pem"
    call_command("ledger", "keygen", str(key), stdout=StringIO())
    settings.PERSONVERN_LEDGER_SIGNING_KEY = str(key)
    settings.PERSONVERN_LEDGER_HEADS_DIR = str(tmp_path / "heads")
    return Path(tmp_path / "heads")


def _consents(person, marketing, text, count: int) -> None:
    channels = [Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.POST]
    for i in range(count):
        record_consent(actor=SYSTEM, subject=Subject(person=person), purpose=marketing,
                       channel=channels[i % 4], granted=i % 3 != 2,
                       method=ConsentMethod.WEB_FORM, text=text, evidence=EVIDENCE)  # fmt: skip


def _as_dba(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _rechain_from(sequence: int, change: dict[str, object]) -> None:
    """What a database administrator can do: change event ``sequence``, recompute every hash
    after it and fix the head row, so that the chain on its own verifies."""
    previous = ConsentEvent.objects.get(sequence=sequence - 1).hash
    for event in ConsentEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        for name, value in change.items() if event.sequence == sequence else ():
            setattr(event, name, value)
        digest = ledger.event_hash(
            sequence=event.sequence, person_id=event.person_id, visitor_id=event.visitor_id,
            purpose_id=event.purpose_id, channel=event.channel, action=event.action,
            method=event.method, text_id=event.text_id,
            text_sha256=event.text.sha256 if event.text else None,
            occurred_at=event.occurred_at, evidence=event.evidence,
            personal_sha256=event.personal_sha256, actor_label=event.actor_label,
            prev_hash=previous,
        )  # fmt: skip
        sql = "UPDATE consent_consentevent SET action = %s, prev_hash = %s, hash = %s"
        _as_dba(sql + " WHERE sequence = %s", [event.action, previous, digest, event.sequence])
        previous = digest
    _as_dba("UPDATE consent_ledgerhead SET last_hash = %s WHERE id = 1", [previous])


def _verify(heads: Path | None) -> str:
    args = ["ledger", "verify"] + (["--heads", str(heads)] if heads else [])
    try:
        call_command(*args, stdout=(out := StringIO()))
    except CommandError as exc:
        return str(exc)
    return out.getvalue()


def test_signing_writes_a_head_file_mails_the_privacy_officers_and_verifies(
    heads, person, marketing, consent_text, privacy_officer, mailoutbox
):
    # given a ledger of 5 events
    _consents(person, marketing, consent_text, 5)
    # when the head is signed
    signing = sign_ledger_head(actor=SYSTEM)
    # then a file holds it, signed with the key, and the privacy officer has a copy
    document = json.loads(signing.path.read_text())
    assert document["head"]["tree_size"] == 5
    assert document["head"]["chain_hash"] == ConsentEvent.objects.get(sequence=5).hash
    checked = anchoring.check(document, anchoring.signing_key().public_key())
    assert checked.signature_ok
    assert [m.to for m in mailoutbox] == [[privacy_officer.email]]
    assert mailoutbox[0].attachments[0][0] == signing.path.name
    assert AuditEntry.objects.filter(object_type="consent.signedledgerhead").count() == 1
    # and the ledger verifies against it
    assert _verify(heads).startswith("ok: 5 events verified")
    assert LedgerVerification.objects.latest("verified_at").heads_checked == 1


def test_a_rewrite_from_event_n_is_caught_only_with_the_signed_heads(
    heads, person, marketing, consent_text
):
    _consents(person, marketing, consent_text, 4)
    sign_ledger_head(actor=SYSTEM)
    _consents(person, marketing, consent_text, 4)
    sign_ledger_head(actor=SYSTEM)
    # when event 6 is rewritten (granted -> withdrawn) and the chain after it recomputed
    assert ConsentEvent.objects.get(sequence=6).action == "granted"
    _rechain_from(6, {"action": "withdrawn"})
    # then the chain alone holds (only the state table, not rewritten here, disagrees) ...
    assert verify(states=False).ok
    # ... but the heads name the rewrite between the last matching head and the broken one
    report = _verify(heads)
    assert "rewrite: event #8 is not the one" in report
    assert "between #5 and #8" in report
    assert "the head at #4 still matches" in report


def test_a_truncated_tail_is_caught(heads, person, marketing, consent_text):
    _consents(person, marketing, consent_text, 6)
    sign_ledger_head(actor=SYSTEM)
    # when the last two events are cut off and the head fixed
    _as_dba("DELETE FROM consent_consentstate WHERE event_id IN"
            " (SELECT id FROM consent_consentevent WHERE sequence > 4)", [])  # fmt: skip
    _as_dba("DELETE FROM consent_consentevent WHERE sequence > 4", [])
    _as_dba(
        "UPDATE consent_ledgerhead SET last_sequence = 4, last_hash = %s WHERE id = 1",
        [ConsentEvent.objects.get(sequence=4).hash],
    )
    # then
    assert "events #5 to #6 are missing" in _verify(heads)


def test_a_forged_backdated_append_is_caught(heads, person, marketing, consent_text):
    _consents(person, marketing, consent_text, 3)
    sign_ledger_head(actor=SYSTEM)
    # when an event dated a day earlier is appended with a correct hash and the head fixed
    last = ConsentEvent.objects.get(sequence=3)
    at = last.occurred_at - datetime.timedelta(days=1)
    fields = dict(sequence=4, person_id=person.pk, visitor_id="", purpose_id=marketing.pk,
                  channel="post", action="granted", method="paper", text_id=None)  # fmt: skip
    digest = ledger.event_hash(**fields, text_sha256=None, occurred_at=at, evidence={},
                               actor_label="system:import", prev_hash=last.hash)  # fmt: skip
    _as_dba(
        "INSERT INTO consent_consentevent (sequence, person_id, visitor_id, purpose_id, channel,"
        " action, method, text_id, occurred_at, evidence, actor_label, prev_hash, hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            *fields.values(),
            connection.ops.adapt_datetimefield_value(at),
            "{}",
            "system:import",
            last.hash,
            digest,
        ],
    )
    _as_dba(
        "UPDATE consent_ledgerhead SET last_sequence = 4, last_hash = %s WHERE id = 1", [digest]
    )
    # then the chain holds but the append is named; the state table lacks it too
    report = _verify(heads)
    assert "forged append: event #4 is dated" in report
    assert "no state row for person" in report


def test_a_state_row_edited_to_granted_is_named(person, marketing, consent_text):
    _consents(person, marketing, consent_text, 3)  # the third (phone) is refused
    _as_dba("UPDATE consent_consentstate SET action = 'granted' WHERE channel = 'phone'", [])
    report = _verify(None)
    assert "says granted (event #3)" in report
    assert "the ledger's latest event #3 says refused" in report


def test_a_head_signed_with_another_key_is_refused(heads, tmp_path, person, marketing,
                                                    consent_text, settings):  # fmt: skip
    _consents(person, marketing, consent_text, 2)
    sign_ledger_head(actor=SYSTEM)
    other = tmp_path / "other.pem"
    call_command("ledger", "keygen", str(other), stdout=StringIO())
    settings.PERSONVERN_LEDGER_SIGNING_KEY = str(other)
    assert "signature does not verify with the trusted key" in _verify(heads)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize("table", ["consent_consentevent", "consent_consenttext",
                                   "audit_auditentry"])  # fmt: skip
def test_truncate_is_refused(table, person, marketing, consent_text):
    from django.db import DatabaseError, transaction

    _consents(person, marketing, consent_text, 1)
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL personvern.allow_truncate = off")
        cursor.execute(f"TRUNCATE {table} CASCADE")


def test_the_head_is_signed_at_an_interval_and_checked_every_night(
    heads, person, marketing, consent_text, settings
):
    from personvern.consent.tasks import sign_ledger_head_task, verify_ledger_task
    from personvern.scheduling.registry import JOBS

    # given the jobs as the scheduler knows them
    job = JOBS["ledger-sign"]
    assert job.task_path == "personvern.consent.tasks.sign_ledger_head_task"
    assert job.interval == datetime.timedelta(minutes=settings.PERSONVERN_LEDGER_SIGN_MINUTES)
    _consents(person, marketing, consent_text, 3)
    # when the signing job runs, a head file is written
    assert sign_ledger_head_task.call() == 3
    assert [p.name[:17] for p in heads.glob("head-*.json")] == ["head-000000000003"]
    # and the nightly verification checks the ledger against the configured heads
    _as_dba("UPDATE consent_ledgerhead SET last_sequence = 2, last_hash = %s WHERE id = 1",
            [ConsentEvent.objects.get(sequence=2).hash])  # fmt: skip
    _as_dba("DELETE FROM consent_consentstate WHERE event_id IN"
            " (SELECT id FROM consent_consentevent WHERE sequence = 3)", [])  # fmt: skip
    _as_dba("DELETE FROM consent_consentevent WHERE sequence = 3", [])
    assert verify_ledger_task.call() is False
    kept = LedgerVerification.objects.latest("verified_at")
    assert (kept.heads_checked, kept.problem) == (1, "truncation")
    assert kept.findings[0]["sequence"] == 3


def test_without_a_key_the_signing_job_does_nothing(settings, tmp_path):
    from personvern.consent.tasks import sign_ledger_head_task

    settings.PERSONVERN_LEDGER_SIGNING_KEY = ""
    settings.PERSONVERN_LEDGER_HEADS_DIR = str(tmp_path)
    assert sign_ledger_head_task.call() is None
    assert list(tmp_path.iterdir()) == []
