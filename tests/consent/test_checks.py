"""The deployment check that keeps the suppression list from being emptied by a key rotation."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.checks import registry
from django.test import override_settings

from personvern.consent.checks import ledger_anchoring, suppression_key


def test_production_without_a_suppression_key_is_warned_about():
    with override_settings(DEBUG=False, PERSONVERN_SUPPRESSION_KEY=""):
        (warning,) = suppression_key()
    assert warning.id == "consent.W001"
    assert "PERSONVERN_SUPPRESSION_KEY" in warning.msg


def test_a_set_key_or_development_passes():
    with override_settings(DEBUG=False, PERSONVERN_SUPPRESSION_KEY="k" * 64):
        assert suppression_key() == []
    with override_settings(DEBUG=True, PERSONVERN_SUPPRESSION_KEY=""):
        assert suppression_key() == []


def test_the_check_runs_with_check_deploy_only():
    assert suppression_key in registry.registry.get_checks(include_deployment_checks=True)
    assert suppression_key not in registry.registry.get_checks(include_deployment_checks=False)


def test_personvern_check_deploy_fails_without_the_key_and_passes_with_it(
    collected_static, tmp_path
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "personvern.settings.production",
        "PERSONVERN_SECRET_KEY": "x" * 30 + "k3y-For-Checks-Only-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "personvern.example.no",
        "DATABASE_URL": "sqlite:///:memory:",
        "PERSONVERN_LEDGER_SIGNING_KEY": "/etc/personvern/ledger-key.pem",
        "PERSONVERN_LEDGER_HEADS_DIR": "/srv/personvern-heads",
        "PERSONVERN_STATIC_ROOT": collected_static,
        "PERSONVERN_ERASURE_JOURNAL_DIR": str(tmp_path / "journal"),
        "PERSONVERN_ERASURE_JOURNAL_KEY": "j" * 64,
    }
    env.pop("PERSONVERN_SUPPRESSION_KEY", None)
    command = [
        sys.executable,
        "-m",
        "personvern.cli",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    ]

    def run(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, env={**env, **extra}, capture_output=True, text=True, check=False
        )

    missing = run()
    assert missing.returncode != 0 and "consent.W001" in missing.stderr + missing.stdout
    present = run(PERSONVERN_SUPPRESSION_KEY="s" * 64)
    assert present.returncode == 0, present.stdout + present.stderr


def test_production_without_ledger_anchoring_is_warned_about():
    with override_settings(DEBUG=False, PERSONVERN_LEDGER_SIGNING_KEY="",
                           PERSONVERN_LEDGER_HEADS_DIR="/srv/heads"):  # fmt: skip
        (warning,) = ledger_anchoring()
    assert warning.id == "consent.W002"
    assert "PERSONVERN_LEDGER_SIGNING_KEY not set" in warning.msg
    with override_settings(DEBUG=False, PERSONVERN_LEDGER_SIGNING_KEY="/k.pem",
                           PERSONVERN_LEDGER_HEADS_DIR="/srv/heads"):  # fmt: skip
        assert ledger_anchoring() == []
