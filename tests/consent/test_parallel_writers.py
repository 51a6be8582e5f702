"""Several processes append at once; the chain stays one unbroken line."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from personvern.consent.choices import ConsentAction
from personvern.consent.models import ConsentEvent, ConsentState
from personvern.consent.verification import VerifyResult, verify
from tests.consent.conftest import SYSTEM
from tests.factories import PersonFactory

WRITERS = 4
EVENTS_EACH = 100
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain(marketing, consent_text):
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    else:
        pytest.skip("several processes need a shared database server (PostgreSQL)")
    people = [PersonFactory() for _ in range(WRITERS)]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "personvern.settings.test",
        "PYTHONPATH": str(ROOT),
    }
    start_at = time.time() + 4  # after every process has started and connected
    # when four processes append 40 events each at the same time
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.consent.parallel_writer",
                str(person.pk),
                str(marketing.pk),
                str(consent_text.pk),
                str(EVENTS_EACH),
                str(start_at),
            ],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for person in people
    ]
    errors = [p.communicate(timeout=120)[1] for p in processes]
    assert all(p.returncode == 0 for p in processes), errors
    # then every event is in one gap-free chain and each person's state is their last event
    assert verify() == VerifyResult(True, WRITERS * EVENTS_EACH)
    sequences = list(ConsentEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * EVENTS_EACH + 1))
    writers = list(ConsentEvent.objects.order_by("sequence").values_list("actor_label", flat=True))
    switches = sum(1 for a, b in itertools.pairwise(writers) if a != b)
    assert switches > WRITERS  # they really wrote at the same time, not one after another
    for person in people:
        assert ConsentState.objects.get(person=person).action == ConsentAction.WITHDRAWN


@pytest.mark.django_db(transaction=True)
def test_parallel_verification_joins_ranges_and_finds_tampering(marketing, consent_text):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes open their own connection to a database server")
    from personvern.consent.choices import Channel, ConsentMethod
    from personvern.consent.services import Choice, Evidence, Subject, record_consents

    person = PersonFactory()
    choices = [Choice(purpose=marketing, channel=Channel.EMAIL, granted=True, text=consent_text)]
    record_consents(
        actor=SYSTEM,
        subject=Subject(person=person),
        choices=choices * 30,
        method=ConsentMethod.WEB_FORM,
        evidence=Evidence(ip_address="192.0.2.9"),
    )
    # when verified by two worker processes, then the two halves join into one chain
    assert verify(workers=2, parallel_min=1) == VerifyResult(True, 30)
    # when an event in the second half is rewritten, then the worker finds exactly it
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE consent_consentevent SET channel = 'sms' WHERE sequence = 22")
        cursor.execute("SET session_replication_role = DEFAULT")
    result = verify(workers=2, parallel_min=1)
    assert (result.ok, result.first_broken_sequence) == (False, 22)
