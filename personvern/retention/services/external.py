"""Retention rules on a table of an external SQL source (a connectors dataset).

The rule is the same model as for Personvern's own records: a trigger (here a date or
timestamp column of the table, checked against the database when the rule is saved), a
period, an action, and holds. What is new is only where the rows live, so the statements are
the connectors' (``connectors.sweep``) and this module supplies what retention knows:

- the cut-off from the rule's period;
- the people whose rows are left: under a legal hold (on them or any of their records),
  under restriction of processing, or kept by an app above (an open data-subject request),
  found in the external table by their identities as a request finds them;
- the action: delete the rows, or (anonymise) empty the columns the dataset names for
  erasure, nulled or masked as the dataset says. Flagging is refused: an external row has no
  record in Personvern to flag.

The dataset's own ``keep`` under a statute (invoices under bokføringsloven § 13) is honoured
by the connectors' sweep: no row goes before its date, whatever the rule says.

A source that cannot be reached fails that rule alone, with a reason code (``Failure``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from personvern.connectors import sweep as external_sweep
from personvern.connectors.choices import ErasureAction
from personvern.connectors.identities import Identity
from personvern.connectors.spec import DatasetSpec, TableSpec
from personvern.connectors.sql import SourceUnavailable
from personvern.connectors.tables import dataset_table
from personvern.core.errors import DomainError, FieldError
from personvern.register.models import Person

from ..choices import RetentionAction, RetentionErrorCode, TargetRecord, Trigger
from ..models import RetentionRule
from ..periods import Period, cutoff, start_of_day_after
from ..selectors import active_holds, person_held

Summary = external_sweep.Summary
ACTIONS = {
    RetentionAction.DELETE: external_sweep.SweepAction.DELETE,
    RetentionAction.ANONYMISE: external_sweep.SweepAction.ERASE_COLUMNS,
}
# Fields only a rule on an external table has, and fields it cannot have.
EXTERNAL_FIELDS = ("source_table", "trigger_column")
NOT_FOR_EXTERNAL = ("subject_category", "bookkeeping_kind")


class Failure(Exception):  # noqa: N818 - reads as what the report says
    """The rule could not run against its source; ``reason`` is a code, never a message."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _error(field: str, code: RetentionErrorCode, message: Any) -> FieldError:
    return FieldError(field=field, code=code, message=message)


def rule_errors(values: Mapping[str, Any]) -> list[FieldError]:
    """What a rule on an external table must satisfy beyond every rule's checks: a table of
    a dataset in use, a trigger column of that table holding dates (looked up in the
    database, the wrong name shown), the date-column trigger, and an action the table allows."""
    errors: list[FieldError] = []
    if values["target"] != TargetRecord.EXTERNAL_TABLE:
        return [
            _error(
                name,
                RetentionErrorCode.ONLY_FOR_EXTERNAL_TABLE,
                _("Only a rule on an external table names a table and its column."),
            )
            for name in EXTERNAL_FIELDS
            if values[name]
        ]
    for name in NOT_FOR_EXTERNAL:
        if values[name]:
            errors.append(
                _error(
                    name,
                    RetentionErrorCode.INVALID_TARGET,
                    _("A rule on an external table covers every row of the table."),
                )
            )
    if values["trigger"] != Trigger.DATE_COLUMN:
        errors.append(
            _error(
                "trigger",
                RetentionErrorCode.TRIGGER_NOT_FOR_TARGET,
                _("Rows of an external table count from their trigger column."),
            )
        )
    if values["action"] not in ACTIONS:
        errors.append(
            _error(
                "action",
                RetentionErrorCode.ACTION_NOT_FOR_TARGET,
                _("Rows of an external table can only be deleted or anonymised."),
            )
        )
    if not values["source_table"] or not values["trigger_column"]:
        return errors + [
            _error(
                name,
                RetentionErrorCode.EXTERNAL_TABLE_REQUIRED,
                _("Name the external table and its date column."),
            )
            for name in EXTERNAL_FIELDS
            if not values[name]
        ]
    found = dataset_table(values["source_table"])
    if found is None:
        unknown = _error(
            "source_table",
            RetentionErrorCode.UNKNOWN_EXTERNAL_TABLE,
            _("%(table)s is not a table of an SQL source in use.")
            % {"table": values["source_table"]},
        )
        return [*errors, unknown]
    spec, table = found
    if values["action"] == RetentionAction.ANONYMISE and table.erasure.action not in (
        ErasureAction.NULL,
        ErasureAction.MASK,
    ):
        errors.append(
            _error(
                "action",
                RetentionErrorCode.ACTION_NOT_FOR_TARGET,
                _(
                    "The dataset names no columns to empty in %(table)s (erasure null or "
                    "mask): its rows can only be deleted."
                )
                % {"table": table.name},
            )
        )
    return errors + _column_errors(spec, table, values["trigger_column"])


def _column_errors(spec: DatasetSpec, table: TableSpec, column: str) -> list[FieldError]:
    try:
        found = external_sweep.check_date_column(spec, table, column)
    except (SourceUnavailable, DomainError) as exc:
        reason = exc.reason if isinstance(exc, SourceUnavailable) else str(exc.code)
        return [
            _error(
                "source_table",
                RetentionErrorCode.SOURCE_UNAVAILABLE,
                _("Could not reach the external source to check the column (%(reason)s).")
                % {"reason": reason},
            )
        ]
    return [
        _error("trigger_column", RetentionErrorCode.INVALID_TRIGGER_COLUMN, error.message)
        for error in found
    ]


def identity_of(email: str, phone: str) -> Identity:
    """A register person's identities as the external systems are searched for them."""
    return Identity(email=email or "", phone=phone or "")


def held_identities() -> list[Identity]:
    """Everyone whose data the sweep must leave: a hold on them or any of their records,
    restriction, or an open request (``selectors.person_held``)."""
    held = Person.objects.filter(
        Q(person_held("pk")) | Q(Exists(active_holds().filter(person_id=OuterRef("pk"))))
    )
    identities = (identity_of(e, p) for e, p in held.values_list("email", "phone").iterator())
    return [identity for identity in identities if identity]


def table_sweep(rule: RetentionRule, today: datetime.date) -> external_sweep.TableSweep:
    found = dataset_table(rule.source_table)
    if found is None:
        raise Failure("unknown_external_table")
    spec, table = found
    day = cutoff(today, Period(rule.period_years, rule.period_months, rule.period_days))
    return external_sweep.TableSweep(
        spec=spec,
        table=table,
        trigger_column=rule.trigger_column,
        last_day=day,
        after=start_of_day_after(day),
        action=ACTIONS[RetentionAction(rule.action)],
        held=tuple(held_identities()),
        today=today,
    )


def _guarded(run: Callable[[], external_sweep.Summary]) -> external_sweep.Summary:
    try:
        return run()
    except SourceUnavailable as exc:
        raise Failure(exc.reason) from None
    except DomainError as exc:  # no credentials for the source
        raise Failure(str(exc.code)) from None


def plan_rule(rule: RetentionRule, today: datetime.date) -> external_sweep.Summary:
    """What the rule would do today: counts and dates, nothing changed. Raises ``Failure``."""
    return _guarded(lambda: external_sweep.plan(table_sweep(rule, today)))


def apply_rule(
    rule: RetentionRule,
    today: datetime.date,
    *,
    batch_size: int,
    on_batch: Callable[[external_sweep.Summary], object],
) -> external_sweep.Summary:
    """Act on the expired rows in batches. Raises ``Failure``."""
    return _guarded(
        lambda: external_sweep.apply(
            table_sweep(rule, today), batch_size=batch_size, on_batch=on_batch
        )
    )


def category(rule: RetentionRule) -> str:
    """The report's line for the rule: the source table, no data."""
    return rule.source_table
