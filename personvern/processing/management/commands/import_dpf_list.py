"""``personvern import_dpf_list <file.csv>``: import the EU-US Data Privacy Framework list
(the participant list exported from dataprivacyframework.gov as CSV)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from personvern.core.actors import Actor
from personvern.core.errors import DomainError

from ...services.transfers import import_dpf_list


class Command(BaseCommand):
    help = "Import the EU-US Data Privacy Framework list from its official CSV export."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            imported = import_dpf_list(
                actor=Actor.for_system("cli:import-dpf-list"),
                content=path.read_bytes(),
                filename=path.name,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            f"Imported {imported.participants} organisations from {path.name} "
            f"on {imported.imported_at:%Y-%m-%d}."
        )
