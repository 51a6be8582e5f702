"""External tables the stored-data scan also covers, told by the apps that reach them (the
connectors app, from ``AppConfig.ready``): the pii app sits below connectors and never imports
it. Which tables exist is the state of the database (datasets are added and switched off at any
time), so an app registers a *provider* that lists them when a scan starts.

A table is read in primary-key order after a key, a batch at a time, and gives each row's key
and its text values (only the columns holding text; other values are never handed over).
Nothing here can change the source: a finding in an external table is fixed in the source
system, and the next scan of the table closes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from personvern.core.errors import DomainError

from .choices import PiiErrorCode

# A row read from an external table: its primary key and its text columns' values.
Row = tuple[Any, dict[str, str]]


@dataclass(frozen=True)
class ExternalTable:
    label: str  # "<dataset key>:<table>", the findings' and the scan progress' ``target``
    dataset: str
    table: str
    # read(after, limit): up to ``limit`` rows with a key above ``after`` (None: from the
    # first), in key order. Raises :class:`SourceUnreadable` when the source cannot be read.
    read: Callable[[Any, int], list[Row]]


class SourceUnreadable(Exception):  # noqa: N818 - reads as what happened
    """The source could not be read. ``reason`` is a code, never a driver's message (it may
    quote a value or the password)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


Provider = Callable[[], Iterable[ExternalTable]]
PROVIDERS: dict[str, Provider] = {}


def register_source_provider(name: str, provider: Provider) -> None:
    PROVIDERS[name] = provider


def external_tables() -> list[ExternalTable]:
    """Every external table the providers list now, by label."""
    found = {t.label: t for provider in PROVIDERS.values() for t in provider()}
    return [found[k] for k in sorted(found)]


def is_external(label: str) -> bool:
    return ":" in label


def external_table(label: str) -> ExternalTable:
    for table in external_tables():
        if table.label == label:
            return table
    raise DomainError(
        code=PiiErrorCode.UNKNOWN_TARGET, message=f"No external table is called {label}."
    )
