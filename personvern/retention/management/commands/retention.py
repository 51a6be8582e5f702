"""``personvern retention sweep [--dry-run]`` and ``personvern retention rules``.

The sweep shows a progress bar on a terminal and plain lines otherwise. Ctrl-C stops it
between batches: every finished batch is committed, and running the sweep again does the
rest. Output holds counts, categories and dates only, never personal data."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from personvern.core.actors import Actor
from personvern.retention.selectors import rules_with_relations
from personvern.retention.services import SWEEP_ACTOR, SweepReport, sweep
from personvern.retention.services.sweep import RuleReport

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Apply the retention rules (sweep) or list them (rules)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("sweep", help="Delete, anonymise or flag what has expired.")
        run.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; change nothing."
        )
        run.add_argument("--batch-size", type=int, default=None, help="Rows per transaction.")
        sub.add_parser("rules", help="List the retention rules.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rules":
            self._rules()
            return
        self._tty = bool(getattr(self.stdout, "isatty", lambda: False)())
        try:
            report = sweep(
                actor=Actor.for_system(SWEEP_ACTOR),
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                progress=self._progress,
            )
        except KeyboardInterrupt:
            self.stdout.write("")
            self.stderr.write(
                "Stopped. Finished batches are kept; run the sweep again to do the rest."
            )
            sys.exit(130)
        self._report(report)

    def _progress(self, rule: RuleReport, done: int, total: int) -> None:
        if self._tty and total:
            filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r{rule.name[:40]:<40} [{bar}] {done}/{total}", ending="")
            if done >= total:
                self.stdout.write("")
        elif not self._tty:
            self.stdout.write(f"{rule.name}: {done} done")

    def _report(self, report: SweepReport) -> None:
        heading = "Dry run: nothing changed." if report.dry_run else "Retention sweep finished."
        self.stdout.write(self.style.SUCCESS(f"{heading} ({report.today.isoformat()})"))
        verb = "would" if report.dry_run else "did"
        for rule in report.rules:
            self.stdout.write(f"  {rule.name} [{rule.target}, {rule.action}]: {rule.count}")
            if rule.failure:
                self.stdout.write(self.style.ERROR(f"    failed: {rule.failure}"))
            for category, line in sorted(rule.lines.items()):
                span = ""
                if line.oldest and line.newest:
                    span = f"  oldest {line.oldest.isoformat()}, newest {line.newest.isoformat()}"
                self.stdout.write(f"    {category:<22} {line.count:>8}{span}")
            for name, count in sorted(rule.cascaded.items()):
                self.stdout.write(f"    with them: {name} {count}")
        self.stdout.write(f"Total records the rules {verb} act on: {report.total}")

    def _rules(self) -> None:
        for rule in rules_with_relations():
            state = "" if rule.active else " (inactive)"
            scope = rule.subject_category or rule.bookkeeping_kind or rule.source_table or "all"
            self.stdout.write(
                f"{rule.pk:>4} {rule.name}{state}\n"
                f"     {rule.processing_activity.name}: {rule.get_target_display()} ({scope}), "
                f"{rule.period} after {rule.get_trigger_display()}, "
                f"then {rule.get_action_display()}\n"
                f"     {rule.legal_source}"
            )
