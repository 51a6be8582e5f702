"""Who is behind the rows of a table written within a time window (a breach's): the identity
values of each row's person, read from the table's own identity columns or from the nearest
table up its parent path that has them — one SQL statement, built with SQLAlchemy Core,
distinct, streamed in batches (the table is never read whole).

The values go to the caller only to be matched against the register; they are never logged
or kept. Errors that leave this module are ``sql.SourceUnavailable``."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from .choices import ConnectorErrorCode, IdentityKind
from .spec import DatasetSpec, TableSpec
from .sql import BATCH, SourceUnavailable, engine_for
from .sweep import column_type, is_date_type


def _bounds(
    kind: sa.types.TypeEngine[Any], start: datetime.datetime, end: datetime.datetime
) -> tuple[Any, Any]:
    if isinstance(kind, sa.DateTime):
        if kind.timezone:
            return start, end
        return start.replace(tzinfo=None), end.replace(tzinfo=None)
    return start.date(), end.date()


def identities_in_window(
    spec: DatasetSpec,
    table: TableSpec,
    column: str,
    start: datetime.datetime,
    end: datetime.datetime,
) -> Iterator[dict[IdentityKind, str]]:
    """Per person behind a row of ``table`` whose ``column`` lies in ``[start, end]`` (local
    times, or the days they fall on for a date column): their identity values by kind, as
    stored. A row whose path reaches no identity column yields nothing."""
    kind = column_type(spec, table, column)
    if kind is None or not is_date_type(kind):
        raise SourceUnavailable(ConnectorErrorCode.UNKNOWN_COLUMN)
    low, high = _bounds(kind, start, end)
    links = [c for c in _link_columns(spec, table) if c.name != column]
    current = sa.table(table.name, sa.column(column, kind), *links)
    where = current.c[column].between(low, high)
    here = table
    while not here.identities:
        if here.parent is None:
            return
        parent = spec.table(here.parent.table)
        p = sa.table(parent.name, *_link_columns(spec, parent))
        keys = sa.select(current.c[here.parent.column]).where(where)
        where = p.c[here.parent.references].in_(keys)
        current, here = p, parent
    kinds = sorted(here.identities)
    statement = sa.select(*(current.c[here.identities[k]] for k in kinds)).where(where).distinct()
    try:
        with engine_for(spec).connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
                statement
            )
            for row in result:
                values = {k: str(v) for k, v in zip(kinds, row, strict=True) if v not in (None, "")}
                if values:
                    yield values
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None


def _link_columns(spec: DatasetSpec, table: TableSpec) -> list[sa.ColumnClause[Any]]:
    names = {*table.identities.values(), table.primary_key}
    if table.parent is not None:
        names.add(table.parent.column)
    for child in spec.children(table):
        assert child.parent is not None  # noqa: S101 - children have parents
        names.add(child.parent.references)
    return [sa.column(n) for n in sorted(names)]
