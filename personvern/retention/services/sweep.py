"""The retention sweep: every active rule, in batches, each batch its own transaction.

A batch selects up to ``batch_size`` ids with one filtered query (expired, not held, not under
a statutory period, not already done), folds the statistics, and deletes, anonymises or flags
them with one query per table. Because done records no longer match the filter, a run that
was stopped (Ctrl-C, a crash, a deploy) is finished by the next one, and nothing is done
twice. One deletion report per run goes to the audit log; the run's counts are also kept up
to date, batch by batch, on its ``SweepRun`` row.

``sweep`` is deliberately not one transaction: a single transaction over a million rows
would hold locks for minutes and lose everything on interruption.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.db import checkpoint_after_commit

from .. import config
from ..choices import RetentionAction, SweepStatus, TargetRecord
from ..models import RetentionRule, SweepRun
from . import external
from .targets import ORDER, as_date, target_for

SWEEP_ACTOR = "retention-sweep"


@dataclass
class Line:
    """What one rule did (or would do) to one category: counts and dates, never data."""

    count: int = 0
    oldest: datetime.date | None = None
    newest: datetime.date | None = None

    def add(self, count: int, oldest: datetime.date | None, newest: datetime.date | None) -> None:
        self.count += count
        dates = [d for d in (self.oldest, oldest) if d is not None]
        self.oldest = min(dates) if dates else None
        dates = [d for d in (self.newest, newest) if d is not None]
        self.newest = max(dates) if dates else None


@dataclass
class RuleReport:
    rule_id: int
    name: str
    target: str
    action: str
    lines: dict[str, Line] = field(default_factory=dict)
    # Rows removed with the records (a deleted person's interactions, files, ...).
    cascaded: Counter[str] = field(default_factory=Counter)
    # Why the rule could not run (an external source unreachable): a code, never a message.
    failure: str = ""

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines.values())

    def as_json(self) -> dict[str, Any]:
        plain: dict[str, Any] = {
            "rule": self.rule_id,
            "name": self.name,
            "target": self.target,
            "action": self.action,
            "count": self.count,
            "categories": {
                category: {
                    "count": line.count,
                    "oldest": line.oldest.isoformat() if line.oldest else None,
                    "newest": line.newest.isoformat() if line.newest else None,
                }
                for category, line in sorted(self.lines.items())
            },
            "cascaded": dict(sorted(self.cascaded.items())),
        }
        if self.failure:
            plain["failure"] = self.failure
        return plain


@dataclass
class SweepReport:
    dry_run: bool
    today: datetime.date
    rules: list[RuleReport] = field(default_factory=list)
    run_id: int | None = None
    status: str = SweepStatus.FINISHED

    @property
    def total(self) -> int:
        return sum(rule.count for rule in self.rules)

    def as_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "date": self.today.isoformat(),
            "status": self.status,
            "total": self.total,
            "rules": [rule.as_json() for rule in self.rules],
        }


# progress(rule report, records done for this rule, records pending for it at the start)
Progress = Callable[[RuleReport, int, int], None]


def active_rules() -> list[RetentionRule]:
    rules = RetentionRule.objects.filter(active=True).select_related("processing_activity")
    return sorted(rules, key=lambda rule: (ORDER.index(rule.target), rule.pk))


def _empty_report(rule: RetentionRule) -> RuleReport:
    return RuleReport(rule_id=rule.pk, name=rule.name, target=rule.target, action=rule.action)


def plan(*, today: datetime.date | None = None) -> SweepReport:
    """The dry run: per rule and category, how many records and the oldest and newest trigger
    date — one grouped query per rule, nothing written. A record two rules cover is counted
    where the real run acts on it: under the first rule that leaves nothing for the next."""
    today = today or timezone.localdate()
    report = SweepReport(dry_run=True, today=today)
    earlier: dict[str, list[tuple[RetentionRule, QuerySet[Any]]]] = {}
    for rule in active_rules():
        rule_report = _empty_report(rule)
        if rule.target == TargetRecord.EXTERNAL_TABLE:
            _plan_external(rule, rule_report, today)
            report.rules.append(rule_report)
            continue
        pending = target_for(rule.target).pending(rule, today)
        claimed = earlier.setdefault(rule.target, [])
        unclaimed = pending
        for earlier_rule, earlier_pending in claimed:
            if _takes_first(earlier_rule, rule):
                unclaimed = unclaimed.exclude(pk__in=earlier_pending.values("pk"))
        claimed.append((rule, pending))
        rows = (
            unclaimed.values("report_category")
            .annotate(n=Count("pk"), oldest=Min("trigger_on"), newest=Max("trigger_on"))
            .order_by()
        )
        for row in rows:
            rule_report.lines.setdefault(row["report_category"] or "-", Line()).add(
                row["n"], as_date(row["oldest"]), as_date(row["newest"])
            )
        report.rules.append(rule_report)
    return report


def _plan_external(rule: RetentionRule, rule_report: RuleReport, today: datetime.date) -> None:
    """A rule on an external table counts in its source; a source that cannot be reached
    fails this rule alone, with the reason's code."""
    try:
        summary = external.plan_rule(rule, today)
    except external.Failure as exc:
        rule_report.failure = exc.reason
        return
    if summary.count:
        rule_report.lines.setdefault(external.category(rule), Line()).add(
            summary.count, summary.oldest, summary.newest
        )


def _takes_first(earlier: RetentionRule, later: RetentionRule) -> bool:
    """Whether a record both rules would act on is left with nothing for ``later`` to do once
    ``earlier`` (which runs first) has acted: it is gone, or already anonymised. A flag leaves
    the record as it is, and an anonymised record can still be deleted."""
    return earlier.action == RetentionAction.DELETE or (
        earlier.action == later.action == RetentionAction.ANONYMISE
    )


def sweep(
    *,
    actor: Actor,
    dry_run: bool = False,
    today: datetime.date | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> SweepReport:
    """Apply every active rule. See the module docstring for why each batch commits alone."""
    if dry_run:
        return plan(today=today)
    today = today or timezone.localdate()
    size = batch_size or config.batch_size()
    totals = plan(today=today) if progress else None
    report = SweepReport(dry_run=False, today=today)
    run = SweepRun.objects.create(actor_label=actor.label)
    report.run_id = run.pk
    try:
        for rule in active_rules():
            rule_report = _empty_report(rule)
            report.rules.append(rule_report)
            expected = _expected(totals, rule)

            def on_batch(
                done: int, rule_report: RuleReport = rule_report, expected: int = expected
            ) -> None:
                if progress is not None:
                    progress(rule_report, done, expected)

            _apply_rule(rule, rule_report, report, run, today, size, on_batch)
    except BaseException:
        report.status = SweepStatus.INTERRUPTED
        _finish(actor, run, report)
        raise
    _finish(actor, run, report)
    return report


def _expected(totals: SweepReport | None, rule: RetentionRule) -> int:
    if totals is None:
        return 0
    return next((r.count for r in totals.rules if r.rule_id == rule.pk), 0)


def _apply_rule(
    rule: RetentionRule,
    rule_report: RuleReport,
    report: SweepReport,
    run: SweepRun,
    today: datetime.date,
    size: int,
    on_batch: Callable[[int], None],
) -> None:
    if rule.target == TargetRecord.EXTERNAL_TABLE:
        _apply_external(rule, rule_report, report, run, today, size, on_batch)
        return
    handler = target_for(rule.target)
    primary_key = handler.primary_key(rule)
    last_pk = 0
    done = 0
    while True:
        with transaction.atomic():
            pending = handler.pending(rule, today).filter(pk__gt=last_pk).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                # Another sweep on the same PostgreSQL skips what this one is working on.
                pending = pending.select_for_update(skip_locked=True, of=("self",))
            rows = list(pending.values_list("pk", "trigger_on", "report_category")[:size])
            if not rows:
                return
            ids = [pk for pk, _trigger, _category in rows]
            changed = handler.apply(rule, ids)
            primary = changed.pop(primary_key, 0)
            _add_lines(rule_report, rows, primary)
            rule_report.cascaded.update(changed)
            SweepRun.objects.filter(pk=run.pk).update(report=report.as_json())
        last_pk = ids[-1]
        done += primary
        on_batch(done)


def _apply_external(
    rule: RetentionRule,
    rule_report: RuleReport,
    report: SweepReport,
    run: SweepRun,
    today: datetime.date,
    size: int,
    on_batch: Callable[[int], None],
) -> None:
    """Each batch commits in the source, then its counts are kept on the run; a source that
    fails (before or half-way) fails this rule, with what was done so far still counted."""
    line = Line()
    done = 0

    def batch(summary: external.Summary) -> None:
        nonlocal done
        line.add(summary.count, summary.oldest, summary.newest)
        if line.count:
            rule_report.lines[external.category(rule)] = line
        SweepRun.objects.filter(pk=run.pk).update(report=report.as_json())
        done += summary.count
        on_batch(done)

    try:
        external.apply_rule(rule, today, batch_size=size, on_batch=batch)
    except external.Failure as exc:
        rule_report.failure = exc.reason


def _add_lines(rule_report: RuleReport, rows: list[tuple[Any, ...]], changed: int) -> None:
    """Group the batch by category. If fewer rows changed than were selected (another sweep
    got there first), the difference is not counted: counts are what this run did."""
    by_category: dict[str, list[datetime.date | None]] = {}
    for _pk, trigger, category in rows:
        by_category.setdefault(category or "-", []).append(as_date(trigger))
    missing = len(rows) - changed
    for category, dates in sorted(by_category.items()):
        count = len(dates)
        if missing > 0:
            taken = min(missing, count)
            count, missing = count - taken, missing - taken
        known = [d for d in dates if d is not None]
        rule_report.lines.setdefault(category, Line()).add(
            count, min(known) if known else None, max(known) if known else None
        )


@transaction.atomic
def _finish(actor: Actor, run: SweepRun, report: SweepReport) -> None:
    """The deletion report: one audit entry per run, rules, counts and dates only."""
    run.status = report.status
    run.finished_at = timezone.now()
    run.report = report.as_json()
    run.save(update_fields=["status", "finished_at", "report"])
    record(
        actor=actor,
        event=AuditEventType.SWEEP_RUN,
        obj=run,
        detail=report.as_json(),
    )
    checkpoint_after_commit()
