"""Retention over a table of an SQL source: the rows whose date column is older than a cut-off,
counted, deleted or emptied in batches — every statement built with SQLAlchemy Core, run by
the database, the table never read whole (only one batch of primary keys is in memory).

This module knows nothing of retention rules: the caller (``retention.services.external``)
says which rows expire, which people are held (their identities), and what to do. Rows of a
held person are found as ``sql.condition`` finds a person's rows (identity columns, then the
parent path), here for many people at once; rows the table marks restricted are left too.

Errors that leave this module are ``sql.SourceUnavailable`` (a code and the driver
exception's class name, never its text)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from django.utils.translation import gettext_lazy as _
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.type_api import TypeEngine

from personvern.core.errors import FieldError

from .choices import ConnectorErrorCode, ErasureAction, IdentityKind
from .identities import Identity
from .spec import DatasetSpec, ErasureSpec, TableSpec
from .sql import SourceUnavailable, check_schema, engine_for


class SweepAction:
    """What the sweep does to an expired row: delete it, or empty the columns the dataset
    names for erasure (null or mask, as the table's ``erasure`` says)."""

    DELETE = "delete"
    ERASE_COLUMNS = "erase_columns"


@dataclass(frozen=True)
class TableSweep:
    spec: DatasetSpec
    table: TableSpec
    trigger_column: str
    # The last day whose rows have expired (the rule's cut-off).
    last_day: datetime.date
    # The first moment after ``last_day`` (local time), for timestamp columns.
    after: datetime.datetime
    action: str
    held: Sequence[Identity] = field(default_factory=tuple)
    # The dataset's keep under a statute: rows go only when ``today`` is past the date.
    today: datetime.date = field(default_factory=datetime.date.today)


@dataclass
class Summary:
    """What a sweep of one table did (or would do): counts and dates, never values."""

    count: int = 0
    oldest: datetime.date | None = None
    newest: datetime.date | None = None

    def add(self, count: int, oldest: Any, newest: Any) -> None:
        self.count += count
        for value in (_as_date(oldest), _as_date(newest)):
            if value is None:
                continue
            self.oldest = value if self.oldest is None else min(self.oldest, value)
            self.newest = value if self.newest is None else max(self.newest, value)


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        return datetime.date.fromisoformat(value[:10])
    return None


def _unavailable(exc: BaseException) -> SourceUnavailable:
    return SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc)


def column_type(spec: DatasetSpec, table: TableSpec, column: str) -> TypeEngine[Any] | None:
    """The column's type as the database reports it (None: no such column)."""
    try:
        with engine_for(spec).connect() as connection:
            columns = sa.inspect(connection).get_columns(table.name)
    except SQLAlchemyError as exc:
        raise _unavailable(exc) from None
    return next((c["type"] for c in columns if c["name"] == column), None)


def is_date_type(kind: TypeEngine[Any]) -> bool:
    return isinstance(kind, sa.Date | sa.DateTime)


def check_date_column(spec: DatasetSpec, table: TableSpec, column: str) -> list[FieldError]:
    """That ``column`` exists in ``table`` (the connectors' schema check, on the table with
    the column added) and holds dates or timestamps. Raises ``SourceUnavailable``."""
    alone = TableSpec(
        name=table.name,
        primary_key=table.primary_key,
        columns={column: "system"},
        erasure=ErasureSpec(action=ErasureAction.DELETE),
    )
    errors = check_schema(spec.model_copy(update={"tables": [alone]}))
    if errors:
        return errors
    kind = column_type(spec, table, column)
    if kind is None or not is_date_type(kind):
        return [
            FieldError(
                field="trigger_column",
                code=ConnectorErrorCode.UNKNOWN_COLUMN,
                message=_("Column %(column)s of table %(table)s holds no dates.")
                % {"column": column, "table": table.name},
            )
        ]
    return []


# --- statements --------------------------------------------------------------------------


def _construct(
    spec: DatasetSpec, table: TableSpec, typed: dict[str, TypeEngine[Any]] | None = None
) -> sa.TableClause:
    names = set(table.all_columns())
    for child in spec.children(table):
        assert child.parent is not None  # noqa: S101 - children have parents
        names.add(child.parent.references)
    typed = typed or {}
    names |= set(typed)
    return sa.table(table.name, *(sa.column(n, typed.get(n)) for n in sorted(names)))


def _spellings(held: Sequence[Identity], kind: IdentityKind) -> list[str]:
    return sorted({value for identity in held for value in identity.candidates(kind)})


# Held parent rows are looked up once per sweep and named by key; past this many, the look-up
# stays a subquery (slower per batch, but no statement with an unbounded list of values).
HELD_KEYS_INLINE = 10_000


def _about_anyone(
    connection: Connection,
    spec: DatasetSpec,
    table: TableSpec,
    t: sa.TableClause,
    held: Sequence[Identity],
) -> sa.ColumnElement[bool]:
    """Rows of ``table`` about any of the ``held`` people (as ``sql.condition`` for one),
    written so that a NULL column makes it false, never unknown: its negation must keep the
    rows that name nobody. The held rows up the parent path are read once, here, so that
    each batch does not search the parent tables again."""
    clauses: list[sa.ColumnElement[bool]] = []
    for kind, column in table.identities.items():
        values = _spellings(held, kind)
        if not values:
            continue
        col = t.c[column]
        if kind == IdentityKind.EMAIL and not table.email_as_stored:
            matched = sa.func.lower(col).in_(sorted({v.lower() for v in values}))
        else:
            matched = col.in_(values)
        clauses.append(sa.and_(col.is_not(None), matched))
    if table.parent is not None:
        parent = spec.table(table.parent.table)
        p = _construct(spec, parent)
        reference = p.c[table.parent.references]
        fk = t.c[table.parent.column]
        parents = sa.select(reference).where(
            reference.is_not(None), _about_anyone(connection, spec, parent, p, held)
        )
        keys = connection.execute(parents.limit(HELD_KEYS_INLINE + 1)).scalars().all()
        if len(keys) > HELD_KEYS_INLINE:
            clauses.append(sa.and_(fk.is_not(None), fk.in_(parents)))
        elif keys:
            clauses.append(sa.and_(fk.is_not(None), fk.in_(sorted(set(keys)))))
    return sa.or_(sa.false(), *clauses)


def _kept_by_statute(
    table: TableSpec, t: sa.TableClause, today: datetime.date
) -> sa.ColumnElement[bool] | None:
    """The rows a ``keep`` in the dataset still keeps today (None: the table has no keep).
    A fixed date keeps every row until it has passed; a date column plus years keeps a row to
    the end of the year ``keep_years`` after its own (as ``sql`` tells the person)."""
    erasure = table.erasure
    if erasure.action != ErasureAction.KEEP:
        return None
    if erasure.until is not None:
        return sa.true() if today <= erasure.until else sa.false()
    assert erasure.date_column is not None and erasure.keep_years is not None  # noqa: S101
    first_free = datetime.date(today.year - erasure.keep_years, 1, 1)
    column = t.c[erasure.date_column]
    return sa.or_(column.is_(None), column >= first_free)


def _erased_columns(table: TableSpec) -> dict[str, Any]:
    erasure = table.erasure
    value = erasure.mask_value if erasure.action == ErasureAction.MASK else None
    return {column: value for column in erasure.columns}


def _not_yet_erased(table: TableSpec, t: sa.TableClause) -> sa.ColumnElement[bool]:
    """Rows that still hold something the erasure would empty: a rerun finds nothing twice."""
    values = _erased_columns(table)
    return sa.or_(
        sa.false(),
        *(
            t.c[c].is_not(None) if v is None else sa.or_(t.c[c].is_(None), t.c[c] != v)
            for c, v in values.items()
        ),
    )


@dataclass(frozen=True)
class _Prepared:
    t: sa.TableClause
    trigger: sa.ColumnClause[Any]
    where: sa.ColumnElement[bool]


def _prepare(sweep: TableSweep) -> _Prepared:
    kind = column_type(sweep.spec, sweep.table, sweep.trigger_column)
    if kind is None or not is_date_type(kind):
        raise SourceUnavailable(ConnectorErrorCode.UNKNOWN_COLUMN)
    t = _construct(sweep.spec, sweep.table, {sweep.trigger_column: kind})
    trigger = t.c[sweep.trigger_column]
    if isinstance(kind, sa.DateTime):
        bound: datetime.date = sweep.after if kind.timezone else sweep.after.replace(tzinfo=None)
        expired = trigger < bound
    else:
        expired = trigger <= sweep.last_day
    clauses = [expired]
    if sweep.held:
        try:
            with engine_for(sweep.spec).connect() as connection:
                about = _about_anyone(connection, sweep.spec, sweep.table, t, sweep.held)
        except SQLAlchemyError as exc:
            raise _unavailable(exc) from None
        clauses.append(sa.not_(about))
    if sweep.table.restriction_column:
        clauses.append(t.c[sweep.table.restriction_column].is_(None))
    kept = _kept_by_statute(sweep.table, t, sweep.today)
    if kept is not None:
        clauses.append(sa.not_(kept))
    if sweep.action == SweepAction.ERASE_COLUMNS:
        clauses.append(_not_yet_erased(sweep.table, t))
    return _Prepared(t, trigger, sa.and_(*clauses))


def plan(sweep: TableSweep) -> Summary:
    """How many rows the sweep would act on, with the oldest and newest trigger date: one
    aggregate query, nothing changed."""
    prepared = _prepare(sweep)
    statement = (
        sa.select(sa.func.count(), sa.func.min(prepared.trigger), sa.func.max(prepared.trigger))
        .select_from(prepared.t)
        .where(prepared.where)
    )
    try:
        with engine_for(sweep.spec).connect() as connection:
            count, oldest, newest = connection.execute(statement).one()
    except SQLAlchemyError as exc:
        raise _unavailable(exc) from None
    summary = Summary()
    summary.add(int(count), oldest, newest)
    return summary


def apply(sweep: TableSweep, *, batch_size: int, on_batch: Callable[[Summary], object]) -> Summary:
    """Act on the expired rows, ``batch_size`` at a time in primary-key order, each batch one
    transaction of the source: select the batch's keys and dates, then one DELETE or UPDATE
    by key that repeats the whole condition (a row held or restricted since is left).
    ``on_batch`` gets each batch's summary after its commit."""
    if sweep.action == SweepAction.ERASE_COLUMNS and sweep.table.erasure.action not in (
        ErasureAction.NULL,
        ErasureAction.MASK,
    ):
        raise SourceUnavailable(ConnectorErrorCode.INVALID_DATASET)
    prepared = _prepare(sweep)
    t = prepared.t
    key = t.c[sweep.table.primary_key]
    total = Summary()
    last: Any = None
    try:
        while True:
            with engine_for(sweep.spec).begin() as connection:
                select = sa.select(key, prepared.trigger).where(prepared.where)
                if last is not None:
                    # On PostgreSQL the key is written into the statement (by SQLAlchemy, as
                    # a literal of the column's type): psycopg prepares a statement run again
                    # and again, and PostgreSQL's generic plan for it does not know where the
                    # batch starts and scans the whole table. Elsewhere it stays bound, so
                    # that one prepared statement serves every batch.
                    start = sa.literal(
                        last, literal_execute=connection.dialect.name == "postgresql"
                    )
                    select = select.where(key > start)
                rows = connection.execute(select.order_by(key).limit(batch_size)).all()
                if not rows:
                    return total
                ids = [row[0] for row in rows]
                where = sa.and_(key.in_(ids), prepared.where)
                if sweep.action == SweepAction.DELETE:
                    changed = connection.execute(sa.delete(t).where(where)).rowcount
                else:
                    changed = connection.execute(
                        sa.update(t).where(where).values(_erased_columns(sweep.table))
                    ).rowcount
            dates = [_as_date(row[1]) for row in rows]
            known = [d for d in dates if d is not None]
            batch = Summary()
            batch.add(int(changed), min(known, default=None), max(known, default=None))
            total.add(batch.count, batch.oldest, batch.newest)
            on_batch(batch)
            last = ids[-1]
    except SQLAlchemyError as exc:
        raise _unavailable(exc) from None
