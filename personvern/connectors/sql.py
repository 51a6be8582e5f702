"""SQL sources through SQLAlchemy Core: the engine from the dataset's credentials, the checks
before a dataset is saved, and the statements a request runs — every one built with
SQLAlchemy's constructs (identifiers quoted by the dialect, values bound), never as text.

Rows are streamed (server-side cursors where the driver has them, ``yield_per``): a person
with millions of rows is read in batches, and counts and erasures run in the database.

Errors that leave this module are :class:`SourceUnavailable` with a code and the driver
exception's class name: a driver's message can quote the URL, a value or the password, so it
is never kept, logged or shown."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.selectable import NamedFromClause

from personvern.core.errors import DomainError, FieldError

from .choices import ConnectorErrorCode, ErasureAction, IdentityKind
from .identities import Identity
from .spec import DatasetSpec, TableSpec

BATCH = 1000


class SourceUnavailable(Exception):  # noqa: N818 - reads as what happened
    """The source could not be reached or refused a statement. ``reason`` is a code plus the
    driver exception's class name (no message: it may hold a value or the password)."""

    def __init__(self, code: ConnectorErrorCode, cause: BaseException | None = None) -> None:
        self.code = code
        self.reason = f"{code}:{type(cause).__name__}" if cause is not None else str(code)
        super().__init__(self.reason)


def secrets_dir() -> Path | None:
    configured = getattr(settings, "PERSONVERN", {}).get("CONNECTOR_SECRETS_DIR") or os.environ.get(
        "PERSONVERN_SECRETS_DIR"
    )
    return Path(configured) if configured else None


def database_url(spec: DatasetSpec) -> str:
    """The SQLAlchemy URL with its password, read where the dataset says (never stored)."""
    connection = spec.connection
    url = ""
    if connection.env is not None:
        url = os.environ.get(connection.env, "")
    elif connection.secret_file is not None:
        directory = secrets_dir()
        path = directory / connection.secret_file if directory else None
        if path is not None and path.is_file():
            url = path.read_text(encoding="utf-8").strip()
    if not url:
        raise DomainError(
            code=ConnectorErrorCode.NO_CREDENTIALS,
            message=_(
                "No connection URL is set: define the environment variable or the file in the "
                "secrets directory the dataset names."
            ),
            field="connection",
        )
    return url


_ENGINES: dict[tuple[str, str], Engine] = {}


def engine_for(spec: DatasetSpec) -> Engine:
    """One pooled engine per dataset and URL. ``hide_parameters``: bound values never appear
    in an exception's text."""
    url = database_url(spec)
    cache_key = (spec.key, url)
    engine = _ENGINES.get(cache_key)
    if engine is None:
        try:
            parsed = sa.make_url(url)
        except (SQLAlchemyError, ValueError) as exc:
            raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() in ("postgresql", "mysql", "mariadb"):
            connect_args["connect_timeout"] = 10
        try:  # a driver that is not installed fails here, before any connection
            engine = sa.create_engine(
                parsed, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args
            )
        except (SQLAlchemyError, ImportError) as exc:
            raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None
        _ENGINES[cache_key] = engine
    return engine


def dispose_engines() -> None:
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def test_connection(spec: DatasetSpec) -> None:
    """Raise :class:`SourceUnavailable` unless a ``SELECT 1`` succeeds."""
    try:
        with engine_for(spec).connect() as connection:
            connection.execute(sa.select(sa.literal(1)))
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None


def check_schema(spec: DatasetSpec) -> list[FieldError]:
    """Every table and column the dataset names, looked up in the database; the missing ones
    named with the field they came from."""
    errors: list[FieldError] = []
    try:
        with engine_for(spec).connect() as connection:
            inspector = sa.inspect(connection)
            tables = set(inspector.get_table_names())
            columns = {
                t.name: {c["name"] for c in inspector.get_columns(t.name)}
                for t in spec.tables
                if t.name in tables
            }
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None
    for i, table in enumerate(spec.tables):
        if table.name not in tables:
            errors.append(
                FieldError(
                    field=f"tables.{i}.name",
                    code=ConnectorErrorCode.UNKNOWN_TABLE,
                    message=_("Table %(table)s does not exist in the database.")
                    % {"table": table.name},
                )
            )
            continue
        needed = sorted(table.all_columns())
        for column in needed:
            if column not in columns[table.name]:
                errors.append(
                    FieldError(
                        field=f"tables.{i}",
                        code=ConnectorErrorCode.UNKNOWN_COLUMN,
                        message=_("Column %(column)s does not exist in table %(table)s.")
                        % {"column": column, "table": table.name},
                    )
                )
        parent = table.parent
        if (
            parent is not None
            and parent.table in columns
            and parent.references not in columns[parent.table]
        ):
            errors.append(
                FieldError(
                    field=f"tables.{i}.parent.references",
                    code=ConnectorErrorCode.UNKNOWN_COLUMN,
                    message=_("Column %(column)s does not exist in table %(table)s.")
                    % {"column": parent.references, "table": parent.table},
                )
            )
    return errors


# --- statements --------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _tables(plain: str) -> dict[str, sa.TableClause]:
    """One table construct per described table (a statement that named ``customers`` through
    two different constructs would join it with itself), with every column any rule needs."""
    spec = DatasetSpec.model_validate_json(plain)
    tables = {}
    for table in spec.tables:
        names = set(table.all_columns())
        for child in spec.children(table):
            assert child.parent is not None  # noqa: S101 - children have parents
            names.add(child.parent.references)
        tables[table.name] = sa.table(table.name, *(sa.column(n) for n in sorted(names)))
    return tables


# The last specs' JSON, by identity: dumping a dataset costs ~1 ms, and a request's SQL is
# built from many look-ups of its tables. The spec is kept with its dump, so an id is never
# mistaken for a later object's; a spec is not changed once loaded (a new version is a new
# object), so its dump stays true.
_DUMPS: dict[int, tuple[DatasetSpec, str]] = {}


def _table(spec: DatasetSpec, table: TableSpec) -> sa.TableClause:
    hit = _DUMPS.get(id(spec))
    if hit is None or hit[0] is not spec:
        if len(_DUMPS) >= 64:
            _DUMPS.clear()
        hit = _DUMPS[id(spec)] = (spec, spec.model_dump_json())
    return _tables(hit[1])[table.name]


def _clauses(
    spec: DatasetSpec, table: TableSpec, identity: Identity, t: NamedFromClause
) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = []
    for kind, column in table.identities.items():
        values = identity.candidates(kind)
        if not values:
            continue
        if kind == IdentityKind.EMAIL and not table.email_as_stored:
            lowered = sorted({v.lower() for v in values})
            clauses.append(sa.func.lower(t.c[column]).in_(lowered))
        else:
            clauses.append(t.c[column].in_(values))
    if table.parent is not None:
        parent = spec.table(table.parent.table)
        p = _table(spec, parent)
        clauses.append(
            t.c[table.parent.column].in_(
                sa.select(p.c[table.parent.references]).where(condition(spec, parent, identity))
            )
        )
    return clauses


def condition(spec: DatasetSpec, table: TableSpec, identity: Identity) -> sa.ColumnElement[bool]:
    """Rows of ``table`` about the person: one of its identity columns holds one of the
    identity's spellings, or its parent row is about the person (recursively, in SQL).

    Several ways in are a UNION of one indexed look-up each, by primary key: an OR across
    columns (or of a column and a subquery) would make PostgreSQL scan the whole table."""
    t = _table(spec, table)
    clauses = _clauses(spec, table, identity, t)
    if not clauses:
        return sa.false()
    if len(clauses) == 1:
        return clauses[0]
    inner = t.alias()
    ways = [
        sa.select(inner.c[table.primary_key]).where(clause)
        for clause in _clauses(spec, table, identity, inner)
    ]
    return t.c[table.primary_key].in_(sa.union(*ways))


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # Decimal, UUID


def stream_rows(
    spec: DatasetSpec, table: TableSpec, identity: Identity
) -> Iterator[dict[str, Any]]:
    """The person's rows of ``table`` (primary key and described columns), in batches.

    The first batch is one plain query in autocommit (most people have a few rows: no
    transaction, no server-side cursor, so no extra round trips); only a person with more
    rows than that has the rest streamed through a server-side cursor, after the first
    batch's last key. The connection is back in the pool before a row is handed on."""
    t = _table(spec, table)
    names = [table.primary_key, *(c for c in table.columns if c != table.primary_key)]
    key = t.c[table.primary_key]
    statement = (
        sa.select(*(t.c[n] for n in names)).where(condition(spec, table, identity)).order_by(key)
    )
    try:
        with engine_for(spec).connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            first = autocommit.execute(statement.limit(BATCH)).all()
        yield from (_record(names, row) for row in first)
        if len(first) < BATCH:
            return
        with engine_for(spec).connect() as connection:
            rest = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
                statement.where(key > first[-1][0])
            )
            for row in rest:
                yield _record(names, row)
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None


def _record(names: list[str], row: Sequence[Any]) -> dict[str, Any]:
    return {n: _json(v) for n, v in zip(names, row, strict=True)}


def count_rows(spec: DatasetSpec, identity: Identity) -> dict[str, int]:
    """Per table, how many rows are about the person (counted by the database)."""
    counts: dict[str, int] = {}
    try:
        with engine_for(spec).connect() as connection:
            for table in spec.tables:
                t = _table(spec, table)
                statement = (
                    sa.select(sa.func.count())
                    .select_from(t)
                    .where(condition(spec, table, identity))
                )
                counts[table.name] = int(connection.execute(statement).scalar_one())
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None
    return counts


@dataclass(frozen=True)
class TableOutcome:
    table: str
    action: ErasureAction
    count: int
    reason: str = ""
    keep_until: str | None = None
    restricted: bool = False


def erasure_order(spec: DatasetSpec) -> list[TableSpec]:
    """Deepest tables first: a child's rows are found through its parent's, and a parent row
    cannot go while rows refer to it."""
    return sorted(spec.tables, key=lambda t: -spec.depth(t))


def _keep_until(
    connection: Connection, spec: DatasetSpec, table: TableSpec, identity: Identity
) -> str | None:
    erasure = table.erasure
    if erasure.until is not None:
        return erasure.until.isoformat()
    assert erasure.date_column is not None and erasure.keep_years is not None  # noqa: S101
    t = _table(spec, table)
    latest = connection.execute(
        sa.select(sa.func.max(t.c[erasure.date_column])).where(condition(spec, table, identity))
    ).scalar_one()
    if latest is None:
        return None
    if isinstance(latest, str):
        latest = datetime.date.fromisoformat(latest[:10])
    if isinstance(latest, datetime.datetime):
        latest = latest.date()
    # The obligation runs to the end of the accounting year the last record falls in.
    return datetime.date(latest.year + erasure.keep_years, 12, 31).isoformat()


def erase_table(
    spec: DatasetSpec,
    table: TableSpec,
    identity: Identity,
    *,
    before_commit: Callable[[TableOutcome], object],
) -> TableOutcome:
    """Erase (or keep and restrict) the person's rows of one table in one transaction of the
    source; ``before_commit`` records the outcome before the source commits, so a crash
    between the two leaves a record of what was (or is about to be) done."""
    t = _table(spec, table)
    where = condition(spec, table, identity)
    erasure = table.erasure
    try:
        with engine_for(spec).begin() as connection:
            if erasure.action == ErasureAction.DELETE:
                count = connection.execute(sa.delete(t).where(where)).rowcount
                outcome = TableOutcome(table.name, erasure.action, count)
            elif erasure.action in (ErasureAction.NULL, ErasureAction.MASK):
                value = None if erasure.action == ErasureAction.NULL else erasure.mask_value
                count = connection.execute(
                    sa.update(t).where(where).values({c: value for c in erasure.columns})
                ).rowcount
                outcome = TableOutcome(table.name, erasure.action, count)
            else:
                count = connection.execute(
                    sa.select(sa.func.count()).select_from(t).where(where)
                ).scalar_one()
                until = _keep_until(connection, spec, table, identity) if count else None
                restricted = False
                if table.restriction_column and count:
                    column = t.c[table.restriction_column]
                    connection.execute(
                        sa.update(t)
                        .where(where, column.is_(None))
                        .values({table.restriction_column: timezone.now()})
                    )
                    restricted = True
                outcome = TableOutcome(
                    table.name, erasure.action, int(count), erasure.reason, until, restricted
                )
            before_commit(outcome)
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None
    return outcome


def set_restriction(spec: DatasetSpec, identity: Identity, *, on: bool) -> dict[str, Any]:
    """Mark the person's rows restricted (the table's restriction column set to now) or lift
    it. Tables without such a column are listed: there the restriction is Personvern's record
    alone and staff must honour it by hand."""
    marked: dict[str, int] = {}
    unmarked: list[str] = []
    try:
        with engine_for(spec).begin() as connection:
            for table in spec.tables:
                if not table.restriction_column:
                    unmarked.append(table.name)
                    continue
                t = _table(spec, table)
                column = t.c[table.restriction_column]
                where = condition(spec, table, identity)
                statement = (
                    sa.update(t)
                    .where(where, column.is_(None))
                    .values({column.name: timezone.now()})
                    if on
                    else sa.update(t).where(where, column.is_not(None)).values({column.name: None})
                )
                marked[table.name] = connection.execute(statement).rowcount
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None
    return {"restricted": on, "marked": marked, "without_column": unmarked}


# --- rectification (issue 11) ------------------------------------------------------------


@dataclass(frozen=True)
class RectifyOutcome:
    table: str
    count: int
    fields: tuple[str, ...]
    kept_reason: str = ""  # set when the table is kept under a legal obligation: not changed


def rectify_table(
    spec: DatasetSpec,
    table: TableSpec,
    identities: list[Identity],
    values: dict[str, str | None],
    *,
    before_commit: Callable[[RectifyOutcome], object],
) -> RectifyOutcome:
    """Write the corrected ``values`` (person field -> value, normalised) into the columns
    the table's ``rectify`` names, on the person's rows found by any of ``identities`` (the
    identity before the correction, and after it, so that a run again after a crash finds
    the rows it already corrected). One UPDATE in one transaction of the source;
    ``before_commit`` journals the outcome first. A table kept under a legal obligation is
    not changed: its rows are counted and the reason given."""
    t = _table(spec, table)
    mapping = {str(f): c for f, c in table.rectify.items()}
    columns = {mapping[f]: v for f, v in values.items() if f in mapping}
    fields = tuple(sorted(f for f in values if f in mapping))
    found = [condition(spec, table, i) for i in identities if i]
    where = sa.or_(*found) if found else sa.false()
    try:
        with engine_for(spec).begin() as connection:
            if table.erasure.action == ErasureAction.KEEP:
                count = connection.execute(
                    sa.select(sa.func.count()).select_from(t).where(where)
                ).scalar_one()
                outcome = RectifyOutcome(table.name, int(count), fields, table.erasure.reason)
            else:
                count = connection.execute(sa.update(t).where(where).values(columns)).rowcount
                outcome = RectifyOutcome(table.name, int(count), fields)
            before_commit(outcome)
    except SQLAlchemyError as exc:
        raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None
    return outcome
