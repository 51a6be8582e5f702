"""External databases for the connector tests: the demo's accounting schema on SQLite (a
file), PostgreSQL and MariaDB.

PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306, root) are real servers. Off CI a
server that is not running skips its tests with a loud warning; under ``CI=true`` it fails
them, so CI never passes on fewer databases than it claims."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from personvern.connectors import sql
from personvern.demo import accounting

ENV = "PV_TEST_ACCOUNTING_URL"
# Its own name per checkout (PV_TEST_EXTERNAL_DB): two test runs sharing one database drop
# each other's tables.
EXTERNAL_DB = os.environ.get("PV_TEST_EXTERNAL_DB", "pv_src_ext")
KINDS = ("sqlite", "postgresql", "mariadb")


@dataclass
class External:
    kind: str
    url: str
    engine: Engine

    def count(self, table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count()).select_from(table).where(*where)
                ).scalar_one()
            )


def _unavailable(kind: str, exc: BaseException) -> None:
    message = f"{kind} is not reachable ({type(exc).__name__}): its connector tests are skipped"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} — under CI=true this is a failure", pytrace=False)
    print(f"\n!!! WARNING: {message} !!!", file=sys.stderr)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


def server_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'accounting.sqlite3'}"
    if kind == "postgresql":
        admin = sa.create_engine(
            "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
            isolation_level="AUTOCOMMIT",
            connect_args={"connect_timeout": 3},
        )
        with admin.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": EXTERNAL_DB}
            ).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{EXTERNAL_DB}"'))
        admin.dispose()
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{EXTERNAL_DB}"
    admin = sa.create_engine(
        "mysql+pymysql://root@127.0.0.1:3306/", connect_args={"connect_timeout": 3}
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE IF NOT EXISTS `{EXTERNAL_DB}`"))
    admin.dispose()
    return f"mysql+pymysql://root@127.0.0.1:3306/{EXTERNAL_DB}?charset=utf8mb4"


@pytest.fixture(params=KINDS)
def external(request, tmp_path, monkeypatch) -> Iterator[External]:
    """The accounting schema, empty, on one database kind; its URL in ``ENV``."""
    kind = request.param
    try:
        url = server_url(kind, tmp_path)
        engine = sa.create_engine(url)
        accounting.create_schema(engine, reset=True)
    except sa.exc.OperationalError as exc:
        _unavailable(kind, exc)
    monkeypatch.setenv(ENV, url)
    yield External(kind=kind, url=url, engine=engine)
    sql.dispose_engines()
    accounting.METADATA.drop_all(engine)
    engine.dispose()
