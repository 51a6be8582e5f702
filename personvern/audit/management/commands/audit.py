"""``personvern audit verify``: recompute the audit log's hash chain."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from personvern.core.actors import Actor

from ... import vocabulary
from ...services import verify_audit_log


class Command(BaseCommand):
    help = (
        "Audit log tools. 'verify' recomputes every entry's hash and link; 'personvern ledger "
        "verify --heads DIR' also checks the log's size and last hash against the signed heads."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Report 'ok' with the count, or the first broken entry.")
        sub.add_parser("types", help="The event types as Markdown (the table in docs/audit.md).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "types":
            with translation.override("en"):
                self.stdout.write(vocabulary.markdown(), ending="")
            return
        result = verify_audit_log(actor=Actor.for_system("cli:audit-verify"))
        if not result.ok:
            broken = result.first_broken_sequence
            where = f"entry #{broken}: " if broken else ""
            raise CommandError(
                f"audit log broken at {where}{result.problem} ({result.count} entries verified)"
            )
        older = f" ({result.untyped} written before named event types)" if result.untyped else ""
        self.stdout.write(f"ok: {result.count} entries verified{older}")
