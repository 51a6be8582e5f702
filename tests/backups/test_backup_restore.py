"""Back up, erase a person, restore: the person is erased again before anything serves. On
SQLite and PostgreSQL alike (run the suite with DATABASE_URL for the latter); the database
engine's own tools do the copying (SQLite's backup API, pg_dump and pg_restore)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from personvern.backups.services import read_manifest
from personvern.consent.models import SuppressionEntry
from personvern.core import journal
from personvern.core.actors import Actor
from personvern.register.models import Person
from personvern.retention.services import delete_person, erase_person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

STAFF = Actor.for_system("tests")


def _backup(tmp_path) -> str:
    path = tmp_path / "backup.tar"
    call_command("backup", str(path), stdout=io.StringIO())
    return str(path)


def _restore(path: str) -> str:
    out = io.StringIO()
    call_command("restore", path, "--noinput", stdout=out)
    return out.getvalue()


def test_a_person_erased_after_the_backup_is_erased_again_by_the_restore(tmp_path, settings):
    # given two people, one with an uploaded file, in a backup
    erased, kept = PersonFactory(), PersonFactory()
    (settings.MEDIA_ROOT / "upload.txt").write_text("an uploaded agreement")
    backup = _backup(tmp_path)
    # when one of them asks to be erased after the backup, and one is deleted by staff
    erase_person(actor=STAFF, person_id=erased.pk)
    deleted = kept
    assert Person.objects.count() == 1
    # and the backup is restored
    report = _restore(backup)
    # then the erased person is erased again, the other is back, and so are the files
    assert not Person.objects.filter(pk=erased.pk).exists()
    assert Person.objects.filter(pk=deleted.pk).exists()
    assert (settings.MEDIA_ROOT / "upload.txt").read_text() == "an uploaded agreement"
    assert "1 person(s) erased again" in report
    # and the erasure was audited as the restore's
    from personvern.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        actor_label="system:restore", subject_id=erased.pk, event_type="retention.person_erased"
    ).exists()
    restored = AuditEntry.objects.get(event_type="retention.erasures_replayed")
    assert restored.detail["erased_again"] == 1 and restored.detail["journal_entries"] == 1
    assert journal.pending_restore() is None


def test_staff_deletion_is_replayed_with_the_suppression_of_the_addresses(tmp_path):
    # given a person in a backup, deleted by staff afterwards (their addresses suppressed)
    person = PersonFactory()
    backup = _backup(tmp_path)
    delete_person(actor=STAFF, person=person)
    assert SuppressionEntry.objects.exists()
    # when the backup is restored
    _restore(backup)
    # then they are gone again, and their addresses are on the suppression list again
    assert not Person.objects.filter(pk=person.pk).exists()
    assert SuppressionEntry.objects.exists()


def test_erasures_before_the_backup_are_not_replayed_and_new_people_are_untouched(tmp_path):
    # given an erasure before the backup, and the backup
    gone = PersonFactory()
    erase_person(actor=STAFF, person_id=gone.pk)
    stays = PersonFactory()
    backup = _backup(tmp_path)
    # when restored
    report = _restore(backup)
    # then nothing was erased again
    assert Person.objects.filter(pk=stays.pk).exists()
    assert "0 erasure(s) journaled since, 0 person(s) erased again" in report


def test_the_journal_holds_nothing_readable_and_is_not_in_the_backup(tmp_path, settings):
    person = PersonFactory(first_name="Kari", last_name="Nordmann", email="kari@example.com")
    erase_person(actor=STAFF, person_id=person.pk)
    text = (settings.PERSONVERN_ERASURE_JOURNAL_DIR / journal.JOURNAL_FILE).read_text()
    [line] = text.splitlines()
    entry = json.loads(line)
    assert set(entry) == {"at", "digest"}
    assert len(entry["digest"]) == 64 and int(entry["digest"], 16) >= 0  # an HMAC-SHA256
    for readable in ("Kari", "Nordmann", "kari@example.com"):
        assert readable not in text
    import tarfile

    with tarfile.open(_backup(tmp_path)) as archive:
        names = archive.getnames()
    assert not any("erasure" in name or "journal" in name for name in names)


def test_an_erasure_rolled_back_is_not_journaled(settings):
    person = PersonFactory()
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        erase_person(actor=STAFF, person_id=person.pk)
        raise RuntimeError("undo")
    assert list(journal.entries()) == []


def test_a_backup_is_readable_by_its_owner_only_and_says_when(tmp_path):
    path = _backup(tmp_path)
    assert (tmp_path / "backup.tar").stat().st_mode & 0o077 == 0
    assert read_manifest(tmp_path / "backup.tar").engine in {"sqlite", "postgresql"}
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", path, stdout=io.StringIO())


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    bogus = tmp_path / "bogus.tar"
    bogus.write_text("nothing")
    with pytest.raises(CommandError, match="not a Personvern backup"):
        call_command("restore", str(bogus), "--noinput", stdout=io.StringIO())


def test_an_erasure_the_journal_cannot_record_is_refused(settings, tmp_path):
    # given a journal directory that cannot be written
    from personvern.core import checks
    from personvern.core.errors import CoreErrorCode, DomainError

    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a directory")
    settings.PERSONVERN_ERASURE_JOURNAL_DIR = blocked / "journal"
    person = PersonFactory()
    # when the person is erased
    with pytest.raises(DomainError) as refused:
        erase_person(actor=STAFF, person_id=person.pk)
    # then nothing was erased, and the deployment check says why
    assert refused.value.code == CoreErrorCode.ERASURE_JOURNAL_UNAVAILABLE
    assert Person.objects.filter(pk=person.pk).exists()
    assert "core.E005" in [m.id for m in checks.erasure_journal()]


def test_no_backup_while_a_restore_is_unfinished(tmp_path):
    # given a restore interrupted before its replay
    PersonFactory()
    _backup(tmp_path)
    journal.begin_restore(backup_taken_at=read_manifest(tmp_path / "backup.tar").taken_at)
    # then no backup is taken, and --replay-only finishes the restore
    with pytest.raises(CommandError, match="restore has not finished"):
        call_command("backup", str(tmp_path / "second.tar"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("restore", "--replay-only", stdout=out)
    assert "Restored the backup of" in out.getvalue()
    assert journal.pending_restore() is None


def test_what_the_law_keeps_is_kept_again_and_the_rest_restricted(tmp_path):
    # given a person with a bookkeeping record still inside its statutory period, backed up
    from django.utils import timezone

    from personvern.retention.models import BookkeepingRecord
    from tests.retention.factories import BookkeepingRecordFactory

    person = PersonFactory(first_name="Kari")
    record = BookkeepingRecordFactory(person=person, document_date=timezone.localdate())
    _backup(tmp_path)
    # when they are erased (anonymised: the record must stay) and the backup restored
    assert erase_person(actor=STAFF, person_id=person.pk).person == "anonymised"
    _restore(str(tmp_path / "backup.tar"))
    # then they are anonymised again, the record kept, their processing restricted
    again = Person.objects.get(pk=person.pk)
    assert again.first_name != "Kari"
    assert again.processing_restricted_since is not None
    assert BookkeepingRecord.objects.filter(pk=record.pk).exists()
