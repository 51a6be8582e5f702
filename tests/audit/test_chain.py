"""The audit log is hash-chained: an entry edited or deleted in the database is found by
``personvern audit verify``; one cut off the end, or a chain recomputed around an edit, is found
against the signed heads by ``personvern ledger verify --heads``. On PostgreSQL the tampering
runs with the triggers off, as a superuser would."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from personvern.audit import chain
from personvern.audit.choices import AuditAction, AuditEventType
from personvern.audit.models import AuditEntry
from personvern.audit.services import record
from personvern.audit.verification import verify
from personvern.consent.services import sign_ledger_head
from personvern.core.actors import Actor

pytestmark = pytest.mark.django_db
SYSTEM = Actor.for_system("test")


def _entries(count: int) -> None:
    for i in range(count):
        record(actor=SYSTEM, event=AuditEventType.PERSON_VIEWED, object_type="register.person",
               object_id=i + 1, subject_id=i + 1, fields=["email", "phone"],
               detail={"via": f"sjekk æøå {i}"})  # fmt: skip


def _as_dba(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _audit_verify() -> str:
    try:
        call_command("audit", "verify", stdout=(out := StringIO()))
    except CommandError as exc:
        return str(exc)
    return out.getvalue()


def test_entries_are_chained_in_order_and_verify():
    _entries(3)
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == chain.GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert _audit_verify() == "ok: 3 entries verified\n"
    # the verification is itself an entry, at the end of the chain
    assert AuditEntry.objects.get(sequence=4).action == AuditAction.VERIFY


def test_an_edited_entry_is_found():
    _entries(4)
    _as_dba("UPDATE audit_auditentry SET actor_label = 'someone-else' WHERE sequence = 2", [])
    assert "broken at entry #2: entry changed" in _audit_verify()


def test_a_deleted_entry_is_found():
    _entries(4)
    _as_dba("DELETE FROM audit_auditentry WHERE sequence = 3", [])
    assert "broken at entry #3: missing entry" in _audit_verify()


@pytest.fixture
def heads(tmp_path, settings) -> Path:
    key = tmp_path / "ledger-key.pem"
    call_command("ledger", "keygen", str(key), stdout=StringIO())
    settings.PERSONVERN_LEDGER_SIGNING_KEY = str(key)
    settings.PERSONVERN_LEDGER_HEADS_DIR = str(tmp_path / "heads")
    return Path(tmp_path / "heads")


def _ledger_verify(heads: Path) -> str:
    try:
        call_command("ledger", "verify", "--heads", str(heads), stdout=(out := StringIO()))
    except CommandError as exc:
        return str(exc)
    return out.getvalue()


def test_a_cut_off_tail_is_found_against_the_signed_heads(heads):
    _entries(5)
    sign_ledger_head(actor=SYSTEM)  # covers entries 1..5 (its own entry is the 6th)
    # when the tail is cut off and the head row fixed, the chain alone still holds
    _as_dba("DELETE FROM audit_auditentry WHERE sequence > 3", [])
    last = AuditEntry.objects.get(sequence=3).hash
    _as_dba("UPDATE audit_audithead SET last_sequence = 3, last_hash = %s WHERE id = 1", [last])
    assert verify().ok
    # but not against the signed head
    assert "audit log truncation: entries #4 to #5 are missing" in _ledger_verify(heads)


def test_a_rechained_edit_is_found_against_the_signed_heads(heads):
    _entries(3)
    sign_ledger_head(actor=SYSTEM)
    # when entry 2 is edited and every hash after it recomputed, head row fixed
    previous = AuditEntry.objects.get(sequence=1).hash
    for entry in AuditEntry.objects.filter(sequence__gte=2).order_by("sequence"):
        label = "someone-else" if entry.sequence == 2 else entry.actor_label
        digest = chain.entry_hash(
            sequence=entry.sequence, at=entry.at, actor_id=entry.actor_id, actor_label=label,
            action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
            subject_id=entry.subject_id, fields=entry.fields, ip_address=entry.ip_address,
            detail=entry.detail, prev_hash=previous, event_type=entry.event_type,
        )  # fmt: skip
        _as_dba("UPDATE audit_auditentry SET actor_label = %s, prev_hash = %s, hash = %s"
                " WHERE sequence = %s", [label, previous, digest, entry.sequence])  # fmt: skip
        previous = digest
    _as_dba("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [previous])
    assert verify().ok
    assert "audit log rewrite: entry #3 is not the one" in _ledger_verify(heads)


def test_the_audit_log_is_verified_every_night():
    from personvern.audit.tasks import verify_audit_log_task
    from personvern.scheduling.registry import JOBS

    assert JOBS["audit-verify"].task_path == "personvern.audit.tasks.verify_audit_log_task"
    _entries(2)
    assert verify_audit_log_task.call() is True
    _as_dba("UPDATE audit_auditentry SET object_id = '99' WHERE sequence = 1", [])
    assert verify_audit_log_task.call() is False
    kept = AuditEntry.objects.order_by("-sequence").first()
    assert kept is not None
    assert kept.detail == {"ok": False, "entries": 0, "first_broken": 1, "problem": "entry changed"}
