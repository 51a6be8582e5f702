"""Several processes write audit entries at once, some in the same transactions as ledger
appends and in either order: the audit chain stays one gap-free line, and no transaction
deadlocks (the ledger takes the audit head's lock before its own)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from personvern.audit.chain import GENESIS_HASH
from personvern.audit.models import AuditEntry, AuditHead
from personvern.audit.verification import verify as verify_audit
from personvern.consent.models import LedgerHead
from personvern.consent.verification import verify as verify_ledger
from tests.factories import PersonFactory

WRITERS = 4
EACH = 60
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_parallel_audit_writers_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("several processes need a shared database server (PostgreSQL)")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    # given the chains' head rows as migrations leave them (a flush by an earlier test removes
    # them; the writers would then race to start the chains, which no installation does)
    AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
    LedgerHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
    people = [PersonFactory() for _ in range(WRITERS)]
    before = AuditEntry.objects.count()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "personvern.settings.test",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    start_at = time.time() + 4
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.audit.parallel_auditor",
                str(n),
                str(person.pk),
                str(EACH),
                str(start_at),
            ],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, person in enumerate(people)
    ]
    errors = [p.communicate(timeout=180)[1] for p in processes]
    assert all(p.returncode == 0 for p in processes), [e[-3000:] for e in errors]
    audited = AuditEntry.objects.count() - before
    assert audited == WRITERS * EACH
    result = verify_audit()
    assert result.ok, result
    assert result.count == AuditEntry.objects.count()
    labels = list(AuditEntry.objects.order_by("sequence").values_list("actor_label", flat=True))
    assert sum(1 for a, b in itertools.pairwise(labels) if a != b) > WRITERS
    assert verify_ledger().ok
