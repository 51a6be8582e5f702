from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from personvern.consent.choices import Channel, ConsentMethod, TextKind
from personvern.consent.services import Subject, publish_text, record_consent
from tests.consent.conftest import EVIDENCE, SYSTEM

pytestmark = pytest.mark.django_db


def test_ledger_verify_says_ok_with_the_count_or_names_the_broken_event(
    person, marketing, consent_text
):
    for channel in (Channel.EMAIL, Channel.SMS):
        record_consent(
            actor=SYSTEM,
            subject=Subject(person=person),
            purpose=marketing,
            channel=channel,
            granted=True,
            method=ConsentMethod.WEB_FORM,
            text=consent_text,
            evidence=EVIDENCE,
        )
    out = StringIO()
    call_command("ledger", "verify", stdout=out)
    assert out.getvalue().startswith("ok: 2 events verified")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE consent_consentevent SET channel = 'post' WHERE sequence = 2")
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(CommandError, match="broken at event #2"):
        call_command("ledger", "verify")


def test_consent_proof_writes_json_and_html_in_either_language(
    tmp_path, person, marketing, consent_text
):
    notice = publish_text(
        actor=SYSTEM,
        kind=TextKind.PRIVACY_NOTICE,
        slug="privacy-notice",
        language="nb",
        title="Personvernerklæring",
        text="Erklæringen.",
    )
    record_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=marketing,
        channel=Channel.EMAIL,
        granted=True,
        method=ConsentMethod.WEB_FORM,
        text=consent_text,
        evidence=EVIDENCE,
    )
    call_command(
        "consent", "proof", str(person.pk), "--output-dir", str(tmp_path), stdout=StringIO()
    )
    call_command(
        "consent",
        "proof",
        str(person.pk),
        "--lang",
        "en",
        "--output-dir",
        str(tmp_path),
        stdout=StringIO(),
    )
    proof = json.loads((tmp_path / f"proof-{person.pk}.json").read_text())
    assert proof["chain"]["verified"] is True
    assert proof["events"][0]["text"]["sha256"] == consent_text.sha256
    norwegian = (tmp_path / f"proof-{person.pk}.nb.html").read_text()
    english = (tmp_path / f"proof-{person.pk}.en.html").read_text()
    assert '<html lang="nb">' in norwegian and consent_text.text in norwegian
    assert "Proof of consent" in english
    # and the notice in effect when the consent was given is named, version and hash
    assert proof["events"][0]["evidence"]["privacy_notice"]["sha256"] == notice.sha256
    assert "Privacy notice in effect" in english and notice.sha256 in english


def test_consent_proof_for_an_unknown_person_fails_clearly():
    with pytest.raises(CommandError, match="No person with id 424242"):
        call_command("consent", "proof", "424242")


def test_the_ledger_is_verified_every_night_and_the_outcome_kept(person, marketing, consent_text):
    from personvern.consent.models import LedgerVerification
    from personvern.consent.tasks import verify_ledger_task
    from personvern.scheduling.registry import JOBS

    # given the nightly job as the scheduler knows it, and a ledger with one event
    job = JOBS["ledger-verify"]
    assert job.task_path == "personvern.consent.tasks.verify_ledger_task"
    record_consent(actor=SYSTEM, subject=Subject(person=person), purpose=marketing,
                   channel=Channel.EMAIL, granted=True, method=ConsentMethod.WEB_FORM,
                   text=consent_text, evidence=EVIDENCE)  # fmt: skip

    # when it runs
    assert verify_ledger_task.call() is True

    # then the outcome is kept for the proofs, by the system actor
    kept = LedgerVerification.objects.get()
    assert (kept.ok, kept.event_count) == (True, 1)
