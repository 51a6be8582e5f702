"""Source key -> implementation. An unknown key is a configuration error and fails loudly:
a request must never be answered from fewer sources than configured.

The configured sources are every SQL dataset in use (``connectors``), every HTTP source and every
manual source in use, then the keys of
``RIGHTS_SOURCES`` in order; the register, which holds the identity the others are found by,
comes last."""

from __future__ import annotations

from typing import TypeVar

from .. import config
from .base import DataSource
from .http import http_sources
from .manual import manual_data_sources
from .register import RegisterSource
from .sql import PREFIX, sql_sources

S = TypeVar("S", bound=type[DataSource])

SOURCES: dict[str, type[DataSource]] = {RegisterSource.key: RegisterSource}


def register_source(cls: S) -> S:
    """Add a source (a class decorator for the implementations of later sources)."""
    SOURCES[cls.key] = cls
    return cls


def source_for(key: str) -> DataSource:
    if key.startswith(PREFIX):
        for source in sql_sources():
            if source.key == key:
                return source
        raise LookupError(f"No SQL dataset in use with key {key!r}")
    try:
        return SOURCES[key]()
    except KeyError:
        raise LookupError(f"No data source registered for key {key!r}") from None


def configured_sources() -> list[DataSource]:
    keyed = [source_for(key) for key in config.source_keys()]
    return [*sql_sources(), *http_sources(), *manual_data_sources(), *keyed]
