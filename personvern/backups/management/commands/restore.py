"""``personvern restore PATH``: replace the database and the uploaded files with a backup's,
migrate, and erase again everyone erased after the backup (the erasure journal). Stop the web,
worker and scheduler first. ``--replay-only`` finishes a restore that was interrupted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from personvern.backups.services import (
    BackupError,
    RestoreReport,
    finish_restore,
    read_manifest,
    restore_backup,
)


class Command(BaseCommand):
    help = (
        "Restore the database and uploaded files from a backup, then erase again everyone "
        "erased since (stop the web, worker and scheduler first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="The backup file.")
        parser.add_argument(
            "--replay-only",
            action="store_true",
            help="Finish an interrupted restore: migrate and replay the erasure journal.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["path"]
        try:
            if options["replay_only"]:
                report = finish_restore()
            elif path is None:
                raise CommandError("Name the backup file to restore (or --replay-only).")
            else:
                manifest = read_manifest(path)
                if options["interactive"] and not self._confirmed(manifest.taken_at.isoformat()):
                    raise CommandError("Restore cancelled.")
                report = restore_backup(source=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self._report(report)

    def _confirmed(self, taken_at: str) -> bool:
        answer = input(
            f"This replaces the database and uploaded files with the backup of {taken_at}. "
            "Type 'yes' to continue: "
        )
        return answer.strip().lower() == "yes"

    def _report(self, report: RestoreReport) -> None:
        self.stdout.write(
            f"Restored the backup of {report.taken_at.isoformat()}; "
            f"{report.journal_entries} erasure(s) journaled since, "
            f"{report.erased_again} person(s) erased again."
        )
