"""A person's proof verifies that person's events, never the whole ledger in the request, and
names the last full verification that ``personvern ledger verify`` recorded."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from personvern.consent import verification
from personvern.consent.choices import Channel, ConsentMethod
from personvern.consent.models import LedgerVerification
from personvern.consent.proof import build_proof, render_proof_html
from personvern.consent.services import Subject, record_consent
from personvern.consent.verification import VerifyResult, verify_person
from tests.consent.conftest import EVIDENCE, SYSTEM
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def grant(person, purpose, text, channel=Channel.EMAIL):
    return record_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=purpose,
        channel=channel,
        granted=True,
        method=ConsentMethod.WEB_FORM,
        text=text,
        evidence=EVIDENCE,
    )


def _tamper(sql: str, params: list[str | int]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser switching the guards off first
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def interleaved(marketing, consent_text):
    """Kari's events at #2 and #4, Ola's at #1, #3 and #5."""
    kari, ola = PersonFactory(), PersonFactory()
    for person, channel in (
        (ola, Channel.EMAIL),
        (kari, Channel.EMAIL),
        (ola, Channel.SMS),
        (kari, Channel.SMS),
        (ola, Channel.POST),
    ):
        grant(person, marketing, consent_text, channel=channel)
    return kari, ola


def test_the_proof_verifies_only_the_persons_events(interleaved, monkeypatch):
    kari, _ola = interleaved

    def whole_ledger(*args):
        raise AssertionError("the whole ledger is read in a request")

    monkeypatch.setattr(verification, "_verify_range", whole_ledger)
    proof = build_proof(kari)
    assert proof["chain"]["verified"] is True
    assert proof["chain"]["events_verified"] == 2
    assert proof["chain"]["last_full_verification"] is None
    assert "No full verification of the ledger is recorded." in render_proof_html(
        proof, language="en"
    )


@pytest.mark.parametrize(
    ("sql", "params", "broken"),
    [
        # the person's own event rewritten
        ("UPDATE consent_consentevent SET channel = %s WHERE sequence = %s", ["post", 4], 4),
        # the event after the person's no longer links to it (as when theirs is rewritten and
        # its hash recomputed)
        ("UPDATE consent_consentevent SET prev_hash = %s WHERE sequence = %s", ["0" * 64, 3], 3),
        # the event before the person's removed
        ("DELETE FROM consent_consentevent WHERE sequence = %s", [1], 1),
    ],
)
def test_a_tampered_event_of_the_person_or_next_to_theirs_is_found(
    interleaved, sql, params, broken
):
    kari, _ola = interleaved
    if sql.startswith("DELETE"):
        _tamper("DELETE FROM consent_consentstate WHERE event_id IN "
                "(SELECT id FROM consent_consentevent WHERE sequence = %s)", params)  # fmt: skip
    _tamper(sql, params)
    result = verify_person(kari.pk)
    assert (result.ok, result.first_broken_sequence) == (False, broken)
    html = render_proof_html(build_proof(kari), language="en")
    assert f"did not verify against the ledger's hash chain (event #{broken})" in html


def test_the_end_of_the_chain_is_checked_against_the_head(marketing, consent_text):
    person = PersonFactory()
    grant(person, marketing, consent_text)
    assert verify_person(person.pk) == VerifyResult(True, 1)
    _tamper("UPDATE consent_ledgerhead SET last_hash = %s WHERE id = 1", ["f" * 64])
    assert verify_person(person.pk).ok is False


def test_ledger_verify_is_recorded_and_the_proof_names_the_last_run(interleaved):
    kari, _ola = interleaved
    # when the whole ledger is verified
    call_command("ledger", "verify", stdout=StringIO())
    # then the run is recorded and the proof names it
    run = LedgerVerification.objects.get()
    assert (run.ok, run.event_count, run.first_broken_sequence) == (True, 5, None)
    last = build_proof(kari)["chain"]["last_full_verification"]
    assert last == {
        "at": run.verified_at.isoformat(),
        "ok": True,
        "events": 5,
        "first_broken_sequence": None,
    }
    assert "5 events intact" in render_proof_html(build_proof(kari), language="en")
    # and a broken run is recorded too, naming the event
    _tamper("UPDATE consent_consentevent SET channel = %s WHERE sequence = %s", ["post", 3])
    with pytest.raises(Exception, match="broken at event #3"):
        call_command("ledger", "verify", stdout=StringIO())
    latest = LedgerVerification.objects.first()
    assert latest is not None and (latest.ok, latest.first_broken_sequence) == (False, 3)
    assert "broken at event #3" in render_proof_html(build_proof(kari), language="en")


@pytest.mark.parametrize(
    ("language", "label"), [("nb", "IP-adresse (maskert)"), ("en", "IP address (masked)")]
)
def test_the_evidence_keys_are_shown_in_the_readers_language(
    marketing, consent_text, language, label
):
    # given a consent recorded with an IP address and a form
    person = PersonFactory()
    grant(person, marketing, consent_text)
    # when the proof is rendered, the evidence is labelled in the reader's language
    html = render_proof_html(build_proof(person), language=language)
    assert f"{label}:" in html
    assert "masked_ip:" not in html and "form_id:" not in html
