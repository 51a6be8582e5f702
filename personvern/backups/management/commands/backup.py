"""``personvern backup [PATH]``: the database and the uploaded files into one tar file
(``--directory`` picks a dated name there). The erasure journal is left out on purpose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from personvern.backups.services import BackupError, take_backup
from personvern.backups.services.backup import default_name


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (MEDIA_ROOT) into one file."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("path", nargs="?", type=Path, help="The backup file to write.")
        target.add_argument(
            "--directory",
            type=Path,
            help="Write personvern-<UTC time>.tar into this directory.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or options["directory"] / default_name()
        try:
            manifest = take_backup(destination=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup of {manifest.taken_at.isoformat()} written to {path}.")
