"""One small interface per data source (the Fides connector pattern): what do you hold on
this person, erase it, rectify it, restrict it, and report what you did.

A source's ``erase``, ``rectify`` and ``restrict`` must be safe to call again after a crash:
the workflow records a source as done in the same transaction as a transactional source's
own changes, and calls an external (non-transactional) source again if it stopped before
that record.

An external source (``transactional = False``) is called outside the request's transaction
and lock, so that a slow or unreachable system holds nothing of ours; when it cannot do its
part it raises :class:`SourceError` with a reason code (never the system's error text), and
the workflow records it, goes on with the other sources and retries it later with backoff.
The source that holds the identity the others are found by (``holds_identity``, the
register) is erased (and rectified) only once every other source is done."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.functional import Promise

from personvern.connectors.identities import Identity
from personvern.core.actors import Actor
from personvern.register.models import Person


@dataclass
class KindData:
    """The records of one kind (one table, one CSV) with what the person is told about them.

    ``portable`` marks data the person gave us on the basis of consent or a contract (GDPR
    Art. 20(1)); only those kinds go into a portability package. ``records`` may be a stream
    that reads the source again each time it is iterated (an external database's rows): the
    package is written record by record."""

    description: str | Promise
    source: str | Promise
    records: Iterable[dict[str, Any]]
    portable: bool = False


@dataclass
class Collected:
    kinds: dict[str, KindData] = field(default_factory=dict)
    # Files the person gave us (CVs, letters): path inside the package -> content.
    files: dict[str, bytes] = field(default_factory=dict)
    # Which of ``files`` belong in a portability package.
    portable_files: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Corrections:
    """What a rectification corrects (GDPR Art. 16).

    ``register``: the register's fields and their corrected values, cleaned as the register
    stores them; ``systems``: the same values as external systems name them
    (``connectors.PersonField``; ``name`` is the first and last name together; None removes
    a wrong value); ``identities``: how the person's records are found elsewhere, by the
    identity before the correction and after it (a run again after a crash finds the rows
    the first run already corrected)."""

    register: dict[str, str]
    systems: dict[str, str | None]
    identities: tuple[Identity, ...]


class SourceError(Exception):
    """A source could not do its part now. ``reason`` is a code, safe to show staff and to
    store (never the source's own error text, which may quote personal data)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class SourcePending(Exception):  # noqa: N818 - reads as what it is
    """The source's part waits for a person (a manual task is open): not a failure, nothing
    to retry; the request goes on once the task is closed."""


class DataSource(ABC):
    # Set on the class (the register) or per instance (a configured dataset).
    key: str
    label: str | Promise
    transactional: ClassVar[bool] = True
    holds_identity: ClassVar[bool] = False

    @abstractmethod
    def collect(self, person: Person) -> Collected:
        """Everything this source holds on the person."""

    @abstractmethod
    def erase(self, person: Person, *, actor: Actor, job: str = "") -> dict[str, Any]:
        """Erase what may be erased; return counts and what was kept (JSON, no values).
        ``job`` names the run (the request's reference) for sources that journal steps."""

    @abstractmethod
    def rectify(
        self, person: Person, *, changes: Corrections, actor: Actor, job: str = ""
    ) -> dict[str, Any]:
        """Write the corrected values where this source holds them; return what was changed
        (``rectified``: counts per table or kind), what was not and why (``not_changed``),
        and ``by_hand`` where staff must do it (JSON, no values)."""

    @abstractmethod
    def restrict(self, person: Person, *, on: bool, actor: Actor, job: str = "") -> dict[str, Any]:
        """Restrict (or lift the restriction on) processing of the person's data here.
        ``job`` names the request, for sources whose part is a staff member's task."""
