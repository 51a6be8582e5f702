"""What a worker makes ready when it starts (``scheduling.registry.warm_up_workers_with``)."""

from __future__ import annotations

from contextlib import suppress

from personvern.core.errors import DomainError

from .selectors import datasets_in_use
from .sql import SourceUnavailable, test_connection


def open_connections() -> None:
    """One pooled connection to each dataset in use, opened (its driver imported) when a
    worker starts, so that the worker's first request finds it ready. A database that cannot
    be reached now is left for the job that needs it to report."""
    for dataset in datasets_in_use():
        with suppress(SourceUnavailable, DomainError):
            test_connection(dataset.dataset)
