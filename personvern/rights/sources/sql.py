"""An SQL dataset (``connectors``) as a data source of requests: one source per dataset in
use, keyed ``sql:<dataset key>``.

- collect: every described table's rows about the person (found by the register's e-mail
  and phone, through parents to any depth), streamed from the database, one kind per table
  described by its label and its columns' data categories;
- erase: table by table, deepest first, each in its own transaction of the source, journaled
  (``connectors.ErasureStep``) before the source commits, so a rerun after a crash reports
  the first run's counts; tables kept under a legal obligation are counted, restricted where
  the table has a restriction column, and reported with the reason and the date they may go;
- rectify: the corrected values written into the columns each table's ``rectify`` names,
  table by table, each in its own transaction of the source, journaled
  (``connectors.RectificationStep``); a kept table is not changed and is reported with its
  reason; tables without ``rectify`` are left as they are;
- restrict: the tables' restriction columns set (or cleared).

A database that cannot be reached raises :class:`SourceError` with a code only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from personvern.connectors import sql
from personvern.connectors.choices import ErasureAction
from personvern.connectors.identities import Identity
from personvern.connectors.models import ErasureStep, SqlDataset
from personvern.connectors.selectors import datasets_in_use
from personvern.connectors.services import record_erasure_step, record_rectification_step
from personvern.connectors.spec import DatasetSpec, TableSpec
from personvern.core.actors import Actor
from personvern.register.models import Person

from .base import Collected, Corrections, DataSource, KindData, SourceError

PREFIX = "sql:"


def identity_of(person: Person) -> Identity:
    return Identity(email=person.email or "", phone=person.phone or "")


def describe(table: TableSpec) -> str:
    categories = ", ".join(sorted(set(table.columns.values())))
    label = table.label or table.name
    return f"{label} ({categories})"


@dataclass(frozen=True)
class StreamedRows:
    """The person's rows of a table, read from the database each time they are iterated, so
    that a package streams them into its file and never holds them all."""

    dataset: DatasetSpec
    table: TableSpec
    identity: Identity

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            yield from sql.stream_rows(self.dataset, self.table, self.identity)
        except sql.SourceUnavailable as exc:
            raise SourceError(exc.reason) from None


class SqlSource(DataSource):
    transactional = False

    def __init__(self, dataset: SqlDataset) -> None:
        self.dataset: DatasetSpec = dataset.dataset
        self.key = f"{PREFIX}{dataset.key}"
        self.label = dataset.name

    def collect(self, person: Person) -> Collected:
        identity = identity_of(person)
        collected = Collected()
        for table in self.dataset.tables:  # read as the package is written (StreamedRows)
            collected.kinds[table.name] = KindData(
                description=describe(table),
                source=self.dataset.name,
                records=StreamedRows(self.dataset, table, identity) if identity else [],
                portable=table.portable,
            )
        return collected

    def erase(self, person: Person, *, actor: Actor, job: str = "") -> dict[str, Any]:
        identity = identity_of(person)
        erased: dict[str, int] = {}
        kept: list[dict[str, Any]] = []
        journal_key = job or f"person:{person.pk}"
        # The journal is written once per table, before the source commits; what it holds
        # then (the larger count of any run, ``record_erasure_step``) is what is reported.
        steps: dict[str, ErasureStep] = {}
        for table in sql.erasure_order(self.dataset):
            if not identity:
                break
            try:
                sql.erase_table(
                    self.dataset,
                    table,
                    identity,
                    before_commit=lambda o: steps.setdefault(
                        o.table,
                        record_erasure_step(job=journal_key, dataset=self.dataset.key, outcome=o),
                    ),
                )
            except sql.SourceUnavailable as exc:
                raise SourceError(exc.reason) from None
            step = steps[table.name]
            if step.action == ErasureAction.KEEP:
                if step.count:
                    kept.append(
                        {
                            "record_type": f"{self.dataset.key}.{table.name}",
                            "label": table.label or table.name,
                            "record_id": None,
                            "count": step.count,
                            "reason": step.reason,
                            "keep_until": step.keep_until.isoformat() if step.keep_until else None,
                            "restricted": step.restricted,
                        }
                    )
            else:
                erased[table.name] = step.count
        return {"erased": erased, "kept": kept}

    def rectify(
        self, person: Person, *, changes: Corrections, actor: Actor, job: str = ""
    ) -> dict[str, Any]:
        rectified: dict[str, int] = {}
        not_changed: list[dict[str, Any]] = []
        journal_key = job or f"person:{person.pk}"
        # Deepest first, as an erasure goes: a child's rows are found through its parent's.
        for table in sql.erasure_order(self.dataset):
            values = {f: v for f, v in changes.systems.items() if f in table.rectify}
            if not values:
                continue
            try:
                outcome = sql.rectify_table(
                    self.dataset,
                    table,
                    list(changes.identities),
                    values,
                    before_commit=lambda o: record_rectification_step(
                        job=journal_key, dataset=self.dataset.key, outcome=o
                    ),
                )
            except sql.SourceUnavailable as exc:
                raise SourceError(exc.reason) from None
            step = record_rectification_step(
                job=journal_key, dataset=self.dataset.key, outcome=outcome
            )
            if outcome.kept_reason:
                if step.count:
                    not_changed.append(
                        {
                            "label": table.label or table.name,
                            "count": step.count,
                            "reason": outcome.kept_reason,
                        }
                    )
            else:
                rectified[table.name] = step.count
        return {"rectified": rectified, "not_changed": not_changed}

    def restrict(self, person: Person, *, on: bool, actor: Actor, job: str = "") -> dict[str, Any]:
        try:
            return sql.set_restriction(self.dataset, identity_of(person), on=on)
        except sql.SourceUnavailable as exc:
            raise SourceError(exc.reason) from None


def sql_sources() -> list[DataSource]:
    return [SqlSource(dataset) for dataset in datasets_in_use()]
