"""Stored files whose rows are deleted in a transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.storage import Storage, default_storage
from django.db import transaction


def delete_after_commit(names: Iterable[str], *, storage: Storage | None = None) -> int:
    """Delete these stored files once the current transaction commits — not before, or a
    rollback would leave rows pointing at nothing. Empty names are skipped; returns how many
    files will go."""
    wanted = [name for name in names if name]
    target = storage or default_storage

    def remove() -> None:
        for name in wanted:
            target.delete(name)

    if wanted:
        transaction.on_commit(remove)
    return len(wanted)
