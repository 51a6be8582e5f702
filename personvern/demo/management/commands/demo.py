"""``personvern demo``: load the demo organisation (Numeri AS) with synthetic people."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from personvern.demo import content

INSTALL_HINT = (
    "The demo needs Faker, which is an optional extra: install it with "
    "pip install 'personvern[demo]' (in a checkout: pip install -e '.[demo]'; make run does)."
)


class Command(BaseCommand):
    help = (
        "Load the demo organisation Numeri AS: its record of processing, processors and about "
        "200 synthetic people, plus one demo staff user per role. Safe to run again: existing "
        "records are kept as they are. Never run it on an installation holding real data: the "
        "demo logins share a published password."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here, not at the top: the loader needs Faker, which only the demo extra
        # installs, and without it the command should say so rather than fail to import.
        try:
            from personvern.demo.loader import load_demo
        except ModuleNotFoundError as exc:
            if exc.name != "faker":
                raise
            raise CommandError(INSTALL_HINT) from exc
        started = time.monotonic()
        summary = load_demo()
        elapsed = time.monotonic() - started
        created = sum(summary.created.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation {content.CONTROLLER_NAME} loaded in {elapsed:.1f} s "
                f"({created} records created this run)."
            )
        )
        for name, total in summary.totals.items():
            new = summary.created.get(name, 0)
            label = name.replace("_", " ")
            self.stdout.write(f"  {label:<24} {total:>5}" + (f"  (+{new})" if new else ""))
        self.stdout.write("  people by category:")
        for category, total in summary.people_by_category.items():
            self.stdout.write(f"    {category:<22} {total:>5}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {content.DEMO_PASSWORD}):")
        for user in content.DEMO_USERS:
            self.stdout.write(f"  {user.username:<14} {user.role.label}")
        self.stdout.write(
            self.style.WARNING("These logins are public: use them on a demo installation only.")
        )
