"""``personvern democrm [ADDR:PORT]``: serve the demo firm's CRM (``demo.crm.service``), as
``make run`` does beside the web server, until stopped."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from personvern.connectors.sql import secrets_dir


class Command(BaseCommand):
    help = (
        "Serve the demo CRM (a small REST API of contacts, bearer-token auth) on ADDR:PORT "
        "(default 127.0.0.1:8001), from the file personvern demo writes. Demo data only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8001")
        parser.add_argument("--data", type=Path, help="the contacts' JSON file")
        parser.add_argument("--token-file", type=Path, help="the file holding the token")

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here: the contacts module needs Faker, the demo's optional extra.
        from personvern.demo.crm.contacts import TOKEN_FILE, data_path
        from personvern.demo.crm.service import Crm

        host, _, port = options["addrport"].rpartition(":")
        if not port.isdigit():
            raise CommandError("ADDR:PORT: the port must be a number, e.g. 127.0.0.1:8001.")
        directory = secrets_dir()
        token_file = options["token_file"] or (directory / TOKEN_FILE if directory else None)
        data = options["data"] or data_path()
        if token_file is None or not token_file.exists() or not data.exists():
            raise CommandError("No demo CRM here: run personvern demo first (make run does).")
        crm = Crm(token=token_file.read_text(encoding="utf-8").strip(), path=data, quiet=False)
        self.stdout.write(
            f"Demo CRM: {len(crm.contacts)} contacts on http://{host or '127.0.0.1'}:{port}/api/",
        )
        self.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: stop quietly
            crm.serve(host or "127.0.0.1", int(port))
