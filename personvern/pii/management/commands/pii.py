"""``personvern pii scan``: scan the register's stored tables and the text columns of every
external SQL dataset in use (batches, a progress bar, resumable) and report counts per table
and kind; ``personvern pii scan --jsonl FILE`` scans
lines ``{"id": …, "text": …}`` and writes ``{"id": …, "findings": [...]}`` lines."""

from __future__ import annotations

import contextlib
import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from personvern.core.actors import Actor

from ...engine import scan_many
from ...registry import ScanTarget, target_for, targets
from ...services import TableReport, scan_external_table, scan_table
from ...sources import ExternalTable, SourceUnreadable, external_table, external_tables, is_external

JSONL_BATCH = 1000  # lines scanned in one pass


class Command(BaseCommand):
    help = "Scan stored records or JSON lines for identity numbers and special categories."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("scan", help="Scan the register (or --jsonl FILE, '-' for stdin).")
        run.add_argument("--jsonl", metavar="FILE", help="Scan these lines instead.")
        run.add_argument("--output", metavar="FILE", help="Where --jsonl writes (default stdout).")
        run.add_argument(
            "--table",
            action="append",
            help="Only this table (repeatable): app.model, or dataset:table for a source.",
        )
        run.add_argument(
            "--no-external", action="store_true", help="Only the register, not the sources."
        )
        run.add_argument("--batch-size", type=int, default=200)
        run.add_argument("--restart", action="store_true", help="Start over, not resume.")
        run.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jsonl"]:
            self._jsonl(options["jsonl"], options.get("output"))
            return
        actor = Actor.for_system("cli:pii-scan")
        chosen: list[ScanTarget | ExternalTable]
        if options["table"]:
            chosen = [
                external_table(t) if is_external(t) else target_for(t) for t in options["table"]
            ]
        else:
            chosen = [*targets(), *([] if options["no_external"] else external_tables())]
        reports: list[TableReport | tuple[str, str]] = []
        for target in chosen:
            bar = tqdm(
                desc=target.label, unit="rec", disable=options["no_progress"], file=sys.stderr
            )

            def progress(done: int, total: int, bar: Any = bar) -> None:
                bar.total = total or None
                bar.n = done
                bar.refresh()

            common = {
                "actor": actor,
                "batch_size": options["batch_size"],
                "restart": options["restart"],
                "progress": progress,
            }
            if isinstance(target, ExternalTable):
                try:
                    reports.append(scan_external_table(table=target, **common))
                except SourceUnreadable as exc:
                    reports.append((target.label, exc.reason))
            else:
                reports.append(scan_table(target=target.label, **common))
            bar.close()
        for report in reports:
            self._report(report)

    def _report(self, report: TableReport | tuple[str, str]) -> None:
        if isinstance(report, tuple):
            label, reason = report
            self.stdout.write(f"{label}: could not be read ({reason}); the next run resumes")
            return
        resumed = f", resumed after id {report.resumed_after}" if report.resumed_after else ""
        self.stdout.write(f"{report.target}: {report.scanned} records scanned{resumed}")
        if not report.standing:
            self.stdout.write("  no findings")
        for kind, count in sorted(report.standing.items()):
            new = report.found.get(kind, 0)
            self.stdout.write(f"  {kind}: {count} (new in this run: {new})")

    def _jsonl(self, source: str, output: str | None) -> None:
        with contextlib.ExitStack() as stack:
            infile: TextIO = (
                sys.stdin
                if source == "-"
                else stack.enter_context(Path(source).open(encoding="utf-8"))
            )
            write = (
                stack.enter_context(Path(output).open("w", encoding="utf-8")).write
                if output
                else self.stdout.write
            )
            batch: list[tuple[Any, str]] = []
            for number, line in enumerate(infile, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    text = item["text"]
                    if not isinstance(text, str):
                        raise TypeError
                except (ValueError, KeyError, TypeError):
                    # The line number only: the line may hold personal data.
                    raise CommandError(
                        f"line {number}: expected a JSON object with a string 'text'"
                    ) from None
                batch.append((item.get("id"), text))
                if len(batch) >= JSONL_BATCH:
                    self._write(batch, write, output)
                    batch = []
            self._write(batch, write, output)

    def _write(self, batch: list[tuple[Any, str]], write: Any, output: str | None) -> None:
        """Scan a batch of lines in one pass and write one line per input line."""
        for (item_id, _text), matches in zip(batch, scan_many([t for _i, t in batch]), strict=True):
            findings = [
                {"start": m.start, "end": m.end, "kind": m.kind, "confidence": m.confidence}
                for m in matches
            ]
            line_out = json.dumps({"id": item_id, "findings": findings})
            if output:
                write(line_out + "\n")
            else:
                self.stdout.write(line_out)
