"""Test settings: the database comes from DATABASE_URL (SQLite in memory when unset)."""

import os
import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://:memory:"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)  # noqa: F405
    # Flushing between transactional tests truncates every table; the append-only tables refuse
    # TRUNCATE unless the session says otherwise (personvern/core/db.py: no_truncate_trigger).
    DATABASES["default"]["OPTIONS"]["options"] = (
        POSTGRES_OPTIONS["options"] + " -c personvern.allow_truncate=on"  # noqa: F405
    )
    # Separate test databases let several runs share one PostgreSQL server at once.
    DATABASES["default"]["TEST"] = {
        "NAME": "test_personvern_"
        + os.environ.get("PERSONVERN_TEST_DB_SUFFIX", DATABASES["default"]["NAME"] or "main")
    }
# Argon2 stays the production hasher; tests use a fast one so the suite stays short.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="personvern-media-"))
STATIC_ROOT = MEDIA_ROOT / "static"
STATIC_ROOT.mkdir()
PERSONVERN_ERASURE_JOURNAL_DIR = Path(tempfile.mkdtemp(prefix="personvern-journal-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# An audit detail that does not fit its event type fails the test that wrote it.
PERSONVERN_AUDIT_STRICT = True
