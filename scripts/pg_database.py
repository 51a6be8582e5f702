"""Create or drop a scratch PostgreSQL database next to the one a URL names.

    python scripts/pg_database.py create postgres://postgres@127.0.0.1:5432/test NAME
        drops NAME if it is there, creates it, prints its URL
    python scripts/pg_database.py drop postgres://postgres@127.0.0.1:5432/NAME
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop(admin: psycopg.Connection[tuple[object, ...]], name: str) -> None:
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def main(argv: list[str]) -> None:
    action, url = argv[0], argv[1]
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as admin:
        if action == "create":
            name = argv[2]
            _drop(admin, name)
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(_with_database(url, name))
        elif action == "drop":
            _drop(admin, urlsplit(url).path.lstrip("/"))
        else:
            raise SystemExit(f"unknown action {action!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
