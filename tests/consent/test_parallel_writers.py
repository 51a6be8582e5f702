"""Several processes append at once; the chain stays one unbroken line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from personvern.consent import ledger
from personvern.consent.choices import ConsentAction
from personvern.consent.models import ConsentEvent, ConsentState
from tests.factories import PersonFactory

WRITERS = 4
EVENTS_EACH = 40
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
    assert ledger.verify() == ledger.VerifyResult(True, WRITERS * EVENTS_EACH)
    sequences = list(ConsentEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * EVENTS_EACH + 1))
    writers_seen = set(
        ConsentEvent.objects.order_by("sequence")[: WRITERS * 4].values_list(
            "actor_label", flat=True
        )
    )
    assert len(writers_seen) > 1  # they really interleaved
    for person in people:
        assert ConsentState.objects.get(person=person).action == ConsentAction.WITHDRAWN
