"""``personvern ledger verify``: recompute the consent ledger's hash chain."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from personvern.core.actors import Actor

from ...services import verify_ledger


class Command(BaseCommand):
    help = (
        "Consent ledger tools. 'verify' recomputes every event's hash and link and records the "
        "outcome, which people's consent proofs show."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report 'ok' with the count, or the first broken event.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Recorded either way: a person's proof shows when the whole chain was last verified.
        verification = verify_ledger(actor=Actor.for_system("cli:ledger-verify"))
        if not verification.ok:
            raise CommandError(
                f"broken at event #{verification.first_broken_sequence}: {verification.problem} "
                f"({verification.event_count} events verified before it)"
            )
        seconds = verification.duration.total_seconds()
        self.stdout.write(f"ok: {verification.event_count} events verified in {seconds:.2f} s")
