from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_production_settings_pass_the_deploy_check(tmp_path, collected_static):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "personvern.settings.production",
        "PERSONVERN_SECRET_KEY": "x" * 30 + "k3y-For-Checks-Only-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "personvern.example.no",
        "DATABASE_URL": "sqlite:///:memory:",
        "PERSONVERN_SUPPRESSION_KEY": "s" * 64,
        "PERSONVERN_LEDGER_SIGNING_KEY": "/etc/personvern/ledger-key.pem",
        "PERSONVERN_LEDGER_HEADS_DIR": "/srv/personvern-heads",
        "PERSONVERN_ERASURE_JOURNAL_KEY": "j" * 64,
        "PERSONVERN_ERASURE_JOURNAL_DIR": str(tmp_path / "journal"),
        "PERSONVERN_STATIC_ROOT": collected_static,
    }
    result = subprocess.run(
        [sys.executable, "-m", "personvern.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "PERSONVERN_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "personvern.settings.production"
    result = subprocess.run(
        [sys.executable, "-m", "personvern.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "PERSONVERN_SECRET_KEY" in result.stderr


def test_postgresql_connections_run_without_jit(db):
    """The JIT compiled the retention sweep's batches for 0.3 s each (their cost estimate is
    high, their work small); Personvern's connections turn it off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
