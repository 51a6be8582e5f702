"""The SQL datasets in use, told to the PII scanner (``personvern.pii.sources``) as external
tables: ``personvern pii scan`` then reads the text in each described table's columns, in
primary-key order, a batch at a time. Only values that are text are handed over (numbers,
dates and the like cannot hold the words or written numbers the scanner looks for); nothing
is ever written to the source from here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from personvern.core.errors import DomainError
from personvern.pii.sources import ExternalTable, Row, SourceUnreadable

from .choices import ConnectorErrorCode
from .selectors import datasets_in_use
from .spec import DatasetSpec, TableSpec
from .sql import SourceUnavailable, engine_for


def _key(value: Any) -> Any:
    """The key as kept in the scan's progress (JSON): numbers and text as they are, anything
    else (a UUID, a date) as its text, which the databases compare with the column."""
    return value if isinstance(value, int | str) and not isinstance(value, bool) else str(value)


def _reader(spec: DatasetSpec, table: TableSpec) -> Any:
    names = [table.primary_key, *(c for c in table.columns if c != table.primary_key)]
    t = sa.table(table.name, *(sa.column(n) for n in names))
    key = t.c[table.primary_key]

    def read(after: Any, limit: int) -> list[Row]:
        statement = sa.select(*(t.c[n] for n in names)).order_by(key).limit(limit)
        if after is not None:
            statement = statement.where(key > after)
        try:
            with engine_for(spec).connect() as connection:
                rows = connection.execute(statement).all()
        except SQLAlchemyError as exc:
            raise SourceUnreadable(
                SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc).reason
            ) from None
        except (DomainError, SourceUnavailable) as exc:
            raise SourceUnreadable(str(exc.code)) from None
        return [
            (
                _key(row[0]),
                {n: v for n, v in zip(names[1:], row[1:], strict=True) if isinstance(v, str) and v},
            )
            for row in rows
        ]

    return read


def sql_tables() -> Iterator[ExternalTable]:
    for dataset in datasets_in_use():
        spec = dataset.dataset
        for table in spec.tables:
            yield ExternalTable(
                label=f"{spec.key}:{table.name}",
                dataset=spec.key,
                table=table.name,
                read=_reader(spec, table),
            )
