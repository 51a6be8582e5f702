"""``personvern ledger verify``: recompute the consent ledger's hash chain."""

from __future__ import annotations

import datetime
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from personvern.core.actors import Actor

from ...services import record_verification
from ...verification import verify


class Command(BaseCommand):
    help = (
        "Consent ledger tools. 'verify' recomputes every event's hash and link and records the "
        "outcome, which people's consent proofs show."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report 'ok' with the count, or the first broken event.")

    def handle(self, *args: Any, **options: Any) -> None:
        started_at = timezone.now()
        started = time.perf_counter()
        result = verify()
        elapsed = time.perf_counter() - started
        # Recorded either way: a person's proof shows when the whole chain was last verified.
        record_verification(
            actor=Actor.for_system("cli:ledger-verify"),
            result=result,
            started_at=started_at,
            duration=datetime.timedelta(seconds=elapsed),
        )
        if not result.ok:
            raise CommandError(
                f"broken at event #{result.first_broken_sequence}: {result.problem} "
                f"({result.count} events verified before it)"
            )
        self.stdout.write(f"ok: {result.count} events verified in {elapsed:.2f} s")
