"""Database-level guarantees: append-only tables (audit log, consent ledger), and erased data
left in no file of an SQLite database."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, migrations, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

logger = logging.getLogger(__name__)


def _on_postgresql(forwards_sql: str, backwards_sql: str) -> migrations.RunPython:
    """A migration operation that runs its SQL on PostgreSQL and does nothing elsewhere."""

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forwards_sql)

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backwards_sql)

    return migrations.RunPython(forwards, backwards)


def append_only_trigger(table: str) -> migrations.RunPython:
    """A migration operation that, on PostgreSQL, makes ``table`` refuse UPDATE and DELETE.

    SQLite has no stored procedures to share; there the model and queryset guards apply."""
    name = f"{table}_append_only"
    create = f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = '{table} is append-only: ' || TG_OP || ' refused',
            ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}();
    """
    drop = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
    return _on_postgresql(create, drop)


def no_truncate_trigger(table: str) -> migrations.RunPython:
    """A migration operation that, on PostgreSQL, makes ``table`` refuse TRUNCATE (which
    bypasses row triggers, so the append-only trigger alone does not stop it).

    Only a session started with ``-c personvern.allow_truncate=on`` may truncate: the test
    settings do, since flushing between tests truncates every table. This guards against a
    mistake, not against the tables' owner, who can drop any trigger; the signed heads of the
    consent ledger are what show that the tables were cut short."""
    name = f"{table}_no_truncate"
    create = f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
        IF current_setting('personvern.allow_truncate', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING
            MESSAGE = '{table} is append-only: TRUNCATE refused',
            ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER {name} BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {name}();
    """
    drop = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
    return _on_postgresql(create, drop)


def checkpoint_after_commit() -> None:
    """Once the transaction commits, copy SQLite's write-ahead log into the database file and
    empty the log (``wal_checkpoint(TRUNCATE)``). With ``secure_delete`` on (settings), erased
    rows are zeroed in the pages that replace theirs; until a checkpoint the log still holds
    the earlier versions of those pages, so an erasure ends with one. Elsewhere, nothing.

    A reader holding an old snapshot can keep the checkpoint from finishing: it is logged and
    the next erasure or retention sweep finishes it."""

    def checkpoint() -> None:
        # Inside an outer transaction (a test's, say) there is nothing committed to copy yet.
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = cursor.fetchone()[0]
        except DatabaseError as exc:  # the erasure has committed; this must not undo its reply
            busy, reason = 1, type(exc).__name__
        else:
            reason = "a reader"
        if busy:
            logger.warning("SQLite checkpoint after an erasure did not finish (%s)", reason)

    transaction.on_commit(checkpoint)
