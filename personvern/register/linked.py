"""Records that apps above the register hold about a person, for the answer to an access
request. The register knows nothing of them; an app that links rows to a person (the website's
IP log) registers a collector here from its ``AppConfig.ready``, and the rights app's register
source asks every collector (rights and website may not import each other).

A collector returns ``LinkedRecords`` with plain JSON values; it never decides whether the
person may see them (that is the access request's business)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from .models import Person


@dataclass(frozen=True)
class LinkedRecords:
    description: str | Promise
    source: str | Promise
    records: list[dict[str, Any]]


Collector = Callable[[Person], LinkedRecords]
COLLECTORS: dict[str, Collector] = {}


def register_collector(kind: str, collector: Collector) -> None:
    """Add ``kind`` (the name of its CSV in the access package); a kind registered twice by
    different collectors is a programming error and fails loudly."""
    existing = COLLECTORS.get(kind)
    if existing is not None and existing is not collector:
        raise ValueError(f"A collector for {kind!r} is already registered")
    COLLECTORS[kind] = collector


def linked_records(person: Person) -> dict[str, LinkedRecords]:
    """Every registered kind's records about ``person``, by kind, in registration order."""
    return {kind: collect(person) for kind, collect in COLLECTORS.items()}
