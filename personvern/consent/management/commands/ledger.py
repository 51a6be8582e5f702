"""``personvern ledger verify``: recompute the consent ledger's hash chain."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ...verification import verify


class Command(BaseCommand):
    help = "Consent ledger tools. 'verify' recomputes every event's hash and link."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report 'ok' with the count, or the first broken event.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = verify()
        elapsed = time.perf_counter() - started
        if not result.ok:
            raise CommandError(
                f"broken at event #{result.first_broken_sequence}: {result.problem} "
                f"({result.count} events verified before it)"
            )
        self.stdout.write(f"ok: {result.count} events verified in {elapsed:.2f} s")
