"""``personvern check --deploy`` fails (error level) when production would serve 500s: static
files not collected, or collected before new ones were added; and while a restore has not
replayed the erasure journal."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

from personvern.core import checks, journal


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "personvern.settings.production",
        "PERSONVERN_SECRET_KEY": "x" * 30 + "k3y-For-Checks-Only-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "personvern.example.no",
        "DATABASE_URL": "sqlite:///:memory:",
        "PERSONVERN_STATIC_ROOT": str(tmp_path / "static"),
        "PERSONVERN_ERASURE_JOURNAL_DIR": str(tmp_path / "journal"),
    }


def _personvern(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "personvern.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deploy_check_fails_until_static_files_are_collected(tmp_path):
    # given production settings and no collectstatic
    env = _production_env(tmp_path)
    # when the deployment is checked
    before = _personvern(env, "check", "--deploy")
    # then it fails with the static files' error and says what to run
    assert before.returncode != 0
    assert "core.E001" in before.stderr
    assert "collectstatic" in before.stderr
    # and once they are collected the error is gone
    assert _personvern(env, "collectstatic", "--noinput", "-v0").returncode == 0
    after = _personvern(env, "check", "--deploy")
    assert "core.E00" not in after.stdout + after.stderr
    assert after.returncode == 0, after.stderr


def test_static_files_added_after_collecting_are_found(settings, tmp_path):
    # given a manifest that lacks one of the files the apps ship (an upgrade not collected)
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    found = sorted(checks._found_static_paths())
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    for name in found[1:]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    # when checked
    errors = checks.static_files_collected()
    # then the missing one is named
    assert [e.id for e in errors] == ["core.E002"]
    assert found[0] in errors[0].msg


def test_a_restore_that_did_not_replay_fails_the_check():
    # given a restore under way
    journal.begin_restore(backup_taken_at=timezone.now() - datetime.timedelta(days=1))
    try:
        # then the check fails until it ends
        assert [e.id for e in checks.restore_finished()] == ["core.E003"]
    finally:
        journal.end_restore()
    assert checks.restore_finished() == []


def test_a_journal_inside_media_root_fails_the_check(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PERSONVERN_ERASURE_JOURNAL_DIR = tmp_path / "journal"
    assert "core.E004" in [e.id for e in checks.erasure_journal()]
