"""Entries written before named event types: the migration names each from what its hash
already covers, leaves every hash and link as written (signed heads anchor them), and records
what it did as an entry of its own. ``audit verify`` then holds, and a type changed on an
older entry or a newer one is found. On PostgreSQL the tampering runs with the triggers off,
as a superuser would."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from personvern.audit import chain
from personvern.audit.choices import AuditEventType as E
from personvern.audit.models import AuditEntry
from personvern.audit.services import record
from personvern.core.actors import Actor

BEFORE = [("audit", "0004_verify_action")]
AFTER = [("audit", "0005_event_type")]

# (action, object_type, fields, detail) as the code before named types wrote them -> the type
OLDER: list[tuple[str, str, list[str], dict[str, Any], E]] = [
    ("create", "register.person", ["email", "first_name"], {}, E.PERSON_CREATED),
    ("update", "register.person", ["phone"], {}, E.PERSON_CHANGED),
    ("update", "register.person", ["processing_restricted_since"], {"restricted": True},
     E.PROCESSING_RESTRICTED),
    ("update", "register.person", ["processing_restricted_since"], {"restricted": False},
     E.RESTRICTION_LIFTED),
    ("update", "register.person", ["legitimate_interest_objection_since"],
     {"objection_upheld": True, "request_id": 4}, E.OBJECTION_UPHELD),
    ("view", "register.person", [], {"via": "admin"}, E.PERSON_VIEWED),
    ("delete", "register.person", [], {"erasure": True, "person": "deleted", "erased": {},
                                       "kept": {}}, E.PERSON_ERASED),
    ("export", "register.person", [], {"what": "consent proof", "events": 2},
     E.CONSENT_PROOF_EXPORTED),
    ("update", "processing.processingactivity", ["status"], {}, E.ACTIVITY_RETIRED),
    ("update", "processing.processingactivity", ["status"],
     {"status": "draft", "reason": "unfavourable_assessment"}, E.ACTIVITY_SUSPENDED),
    ("update", "processing.processingactivity", ["name", "purpose"], {}, E.ACTIVITY_CHANGED),
    ("activate", "processing.processingactivity", ["status"], {}, E.ACTIVITY_ACTIVATED),
    ("update", "rights.datasubjectrequest", ["extended_until"],
     {"event": "extended", "status": "in_progress", "type": "access", "until": "2026-12-30"},
     E.DEADLINE_EXTENDED),
    ("create", "rights.datasubjectrequest", ["request_type"],
     {"event": "submitted", "status": "received", "type": "erasure", "channel": "portal"},
     E.REQUEST_SUBMITTED),
    ("update", "rights.datasubjectrequest", [],
     {"event": "objection_decided", "status": "in_progress", "type": "objection",
      "upheld": True}, E.OBJECTION_DECIDED),
    ("view", "rights.datasubjectrequest", [], {"via": "admin"}, E.REQUEST_VIEWED),
    ("login", "otp_totp.totpdevice", [], {"event": "second_factor_failed", "method": "totp",
                                          "code": "invalid_code"}, E.SECOND_FACTOR_FAILED),
    ("create", "django_otp_webauthn.webauthncredential", [],
     {"event": "second_factor_enrolled", "method": "passkey"}, E.SECOND_FACTOR_ENROLLED),
    ("create", "retention.legalhold", ["reason"], {}, E.HOLD_SET),
    ("update", "retention.retentionrule", ["keep_for"], {}, E.RULE_CHANGED),
    ("delete", "retention.sweeprun", [], {"dry_run": False, "total": 3}, E.SWEEP_RUN),
    ("update", "website.blockentry", ["review_on"], {}, E.BLOCK_REVIEWED),
    ("update", "website.blockentry", ["lift_reason", "lifted_at"], {}, E.BLOCK_LIFTED),
    ("export", "audit.auditentry", [], {"entries": 3}, E.AUDIT_LOG_EXPORTED),
    ("verify", "audit.auditentry", [], {"ok": True, "entries": 3, "first_broken": None,
                                        "problem": ""}, E.AUDIT_LOG_VERIFIED),
    ("create", "consent.ledgerverification", [], {"ok": True, "events": 1, "heads": 0,
                                                  "findings": 0}, E.LEDGER_VERIFIED),
    ("delete", "someapp.gone", [], {}, E.UNCLASSIFIED),
]  # fmt: skip


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


def _write_older_entries(apps: Any) -> list[str]:
    """Entries chained as the code before named types chained them (its canonical form)."""
    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditHead")
    previous, at = chain.GENESIS_HASH, datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    for sequence, (action, object_type, fields, detail, _type) in enumerate(OLDER, 1):
        values = {"at": at + datetime.timedelta(minutes=sequence), "actor_id": None,
                  "actor_label": "system:test", "action": action, "object_type": object_type,
                  "object_id": str(sequence), "subject_id": None, "fields": fields,
                  "ip_address": None, "detail": detail}  # fmt: skip
        digest = chain.entry_hash(sequence=sequence, prev_hash=previous, **values)
        entry_model.objects.create(sequence=sequence, prev_hash=previous, hash=digest, **values)
        previous = digest
    head_model.objects.update_or_create(
        pk=1, defaults={"last_sequence": len(OLDER), "last_hash": previous}
    )
    return list(entry_model.objects.order_by("sequence").values_list("hash", flat=True))


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


@pytest.fixture
def migrated_older_log(transactional_db):
    """Given a log written before named types, when the migration runs."""
    hashes = _write_older_entries(_migrate(BEFORE))
    _migrate(AFTER)
    yield hashes
    _migrate(AFTER)


def test_older_entries_are_named_from_their_content_and_keep_their_hashes(migrated_older_log):
    entries = list(AuditEntry.objects.order_by("sequence"))
    older = entries[: len(OLDER)]
    # then every older entry carries the type its content says, with its hash as written
    assert [e.event_type for e in older] == [row[-1] for row in OLDER]
    assert [e.hash for e in older] == migrated_older_log
    # and the migration's own entry, chained after them, says how many it named and as what
    naming = entries[len(OLDER)]
    assert (naming.event_type, naming.actor_label) == (E.EVENT_TYPES_ASSIGNED, "system:migration")
    assert naming.prev_hash == older[-1].hash
    assert naming.detail["entries"] == len(OLDER)
    assert naming.detail["types"][E.PERSON_ERASED] == 1
    assert sum(naming.detail["types"].values()) == len(OLDER)


def test_audit_verify_holds_after_the_migration(migrated_older_log):
    record(actor=Actor.for_system("test"), event=E.PERSON_VIEWED, object_type="register.person",
           object_id=1, detail={"via": "admin"})  # fmt: skip
    count = len(OLDER) + 2
    assert _audit_verify() == (
        f"ok: {count} entries verified ({len(OLDER)} written before named event types)\n"
    )


@pytest.mark.parametrize("sequence", [1, 9, len(OLDER)])
def test_a_changed_type_on_an_older_entry_is_found(migrated_older_log, sequence):
    _as_dba("UPDATE audit_auditentry SET event_type = %s WHERE sequence = %s",
            [E.COMPANY_DELETED.value, sequence])  # fmt: skip
    assert f"broken at entry #{sequence}: event type changed" in _audit_verify()


def test_a_changed_type_on_a_newer_entry_is_found(migrated_older_log):
    entry = record(actor=Actor.for_system("test"), event=E.PERSON_VIEWED,
                   object_type="register.person", object_id=1, detail={"via": "admin"})  # fmt: skip
    _as_dba("UPDATE audit_auditentry SET event_type = %s WHERE sequence = %s",
            [E.PERSON_CHANGED.value, entry.sequence])  # fmt: skip
    assert f"broken at entry #{entry.sequence}: entry changed" in _audit_verify()


def test_an_older_form_after_the_typed_ones_is_found(migrated_older_log):
    # given the migration's typed entry, when someone rewrites it in the older form (a type
    # derived from content would hide what was written), the chain says so
    naming = AuditEntry.objects.get(event_type=E.EVENT_TYPES_ASSIGNED)
    record(actor=Actor.for_system("test"), event=E.PERSON_VIEWED, object_type="register.person",
           object_id=1, detail={"via": "admin"})  # fmt: skip
    later = AuditEntry.objects.get(sequence=naming.sequence + 1)
    values = {c: getattr(later, c) for c in chain.COLUMNS if c != "event_type"}
    forged = chain.entry_hash(**values)  # the older form: no event_type in the hash
    _as_dba("UPDATE audit_auditentry SET event_type = %s, hash = %s WHERE sequence = %s",
            [E.PERSON_VIEWED.value, forged, later.sequence])  # fmt: skip
    _as_dba("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [forged])
    assert f"broken at entry #{later.sequence}: entry changed" in _audit_verify()
