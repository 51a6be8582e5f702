"""The data sources a request is fulfilled from, behind one small interface (see ``base``)."""

from .base import Collected, Corrections, DataSource, KindData, SourceError, SourcePending
from .registry import configured_sources, register_source, source_for

__all__ = [
    "Collected",
    "Corrections",
    "DataSource",
    "KindData",
    "SourceError",
    "SourcePending",
    "configured_sources",
    "register_source",
    "source_for",
]
