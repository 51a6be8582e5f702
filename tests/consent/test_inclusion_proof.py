"""A person's consent proof checked by the standalone script (a separate Python process), with
nothing but the proof and the published public key: each event's hash, its RFC 6962 inclusion
proof and the signed head. One byte changed anywhere in an event makes it fail."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from personvern.consent import anchoring
from personvern.consent.choices import Channel, ConsentMethod
from personvern.consent.services import Subject, record_consent, sign_ledger_head
from personvern.register.models import Person
from tests.consent.conftest import EVIDENCE, SYSTEM
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_consent_proof.py"


@pytest.fixture
def signed(tmp_path, settings, person, marketing, consent_text) -> Path:
    """Seven events, three of them the person's, under a signed head; one more after it."""
    key = tmp_path / "key.pem"
    call_command("ledger", "keygen", str(key), stdout=StringIO())
    settings.PERSONVERN_LEDGER_SIGNING_KEY = str(key)
    settings.PERSONVERN_LEDGER_HEADS_DIR = str(tmp_path / "heads")
    other = PersonFactory()
    for subject, channel in [(person, Channel.EMAIL), (other, Channel.EMAIL),
                             (other, Channel.SMS), (person, Channel.SMS),
                             (other, Channel.PHONE), (other, Channel.POST),
                             (person, Channel.EMAIL)]:  # fmt: skip
        record_consent(actor=SYSTEM, subject=Subject(person=subject), purpose=marketing,
                       channel=channel, granted=True, method=ConsentMethod.WEB_FORM,
                       text=consent_text, evidence=EVIDENCE)  # fmt: skip
    sign_ledger_head(actor=SYSTEM)
    record_consent(actor=SYSTEM, subject=Subject(person=person), purpose=marketing,
                   channel=Channel.PHONE, granted=False, method=ConsentMethod.WEB_FORM,
                   text=consent_text, evidence=EVIDENCE)  # fmt: skip
    public = tmp_path / "public.pem"
    public.write_text(anchoring.public_key_pem(anchoring.signing_key().public_key()))
    call_command("consent", "proof", str(person.pk), "--output-dir", str(tmp_path),
                 stdout=StringIO())  # fmt: skip
    return Path(tmp_path)


def _next_digit(timestamp: str) -> str:
    """The same timestamp one microsecond digit on (one byte changed)."""
    return timestamp[:-2] + str((int(timestamp[-2]) + 1) % 10) + "Z"


def _script(proof: Path, public: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(proof), "--public-key", str(public), *extra],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _proof(directory: Path, person: Person) -> tuple[Path, dict[str, Any]]:
    path = directory / f"proof-{person.pk}.json"
    return path, json.loads(path.read_text())


def test_the_script_proves_each_signed_event_from_the_proof_alone(signed, person):
    path, proof = _proof(signed, person)
    assert [e["inclusion"] is not None for e in proof["events"]] == [True, True, True, False]
    result = _script(path, signed / "public.pem")
    assert result.returncode == 0, result.stdout
    assert "ok: 3 of 4 events proven against the signed head" in result.stdout
    assert "event #8: ok, not yet in a signed head" in result.stdout
    # the head kept outside (the heads directory) works as well as the copy in the proof
    head_file = next((signed / "heads").glob("head-*.json"))
    assert _script(path, signed / "public.pem", "--head", str(head_file)).returncode == 0


@pytest.mark.parametrize("change", [
    lambda e: e["chained"].__setitem__("action", "grantee"),
    lambda e: e["chained"]["evidence"].__setitem__("form_id", "signuq"),
    lambda e: e["chained"].__setitem__("occurred_at", _next_digit(e["chained"]["occurred_at"])),
    lambda e: e.__setitem__("channel", "smt"),
    lambda e: e["text"].__setitem__("text", e["text"]["text"] + "."),
    lambda e: e["inclusion"]["audit_path"].__setitem__(0, "0" * 64),
])  # fmt: skip
def test_one_changed_byte_in_an_event_fails(signed, person, change):
    path, proof = _proof(signed, person)
    change(proof["events"][1])
    path.write_text(json.dumps(proof, ensure_ascii=False))
    result = _script(path, signed / "public.pem")
    assert result.returncode == 1
    assert f"event #{proof['events'][1]['sequence']}: FAILED" in result.stdout


def test_a_head_not_signed_by_the_published_key_fails(signed, person, tmp_path):
    path, _proof_data = _proof(signed, person)
    stranger = tmp_path / "stranger.pem"
    key = anchoring.load_private_key(anchoring.generate_private_key_pem().decode())
    stranger.write_text(anchoring.public_key_pem(key.public_key()))
    result = _script(path, stranger)
    assert result.returncode == 1
    assert "FAILED: signed head" in result.stdout
