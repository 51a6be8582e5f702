"""People affected by a breach who are found in an external SQL source (Art. 33(3)(a),
34): the rows of a dataset table written within the breach's window, mapped back to people
in the register by their identities (e-mail address, phone number) as the register
normalises them.

Someone the source knows and the register does not is counted by the kinds of identity the
source holds on them (no value leaves this module: staff see how many, and where, and find
them in the source itself). A source that cannot be reached is reported with a reason code;
the register's own search stands."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.connectors.choices import IdentityKind
from personvern.connectors.sql import BATCH, SourceUnavailable
from personvern.connectors.tables import dataset_table
from personvern.connectors.window import identities_in_window
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.core.validation import email_lookup_key, normalise_phone
from personvern.register.models import Person

from ..choices import BreachErrorCode
from ..models import Breach

# The start of the window of a breach whose beginning is not known.
UNKNOWN_START = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass
class ExternalAffected:
    """What one table of a source says about who the breach affected: counts, never values."""

    source_table: str
    date_column: str = ""
    people: list[Person] = field(default_factory=list)  # found in the register too
    # Found only in the source: how many, and how many of them by each kind of identity.
    only_external: int = 0
    only_external_by_kind: Counter[str] = field(default_factory=Counter)
    failure: str = ""


def _keys(identity: dict[IdentityKind, str]) -> tuple[str, str]:
    """The register's look-up keys for one person of the source: e-mail key and E.164."""
    email = phone = ""
    if identity.get(IdentityKind.EMAIL):
        try:
            email = email_lookup_key(identity[IdentityKind.EMAIL])
        except DomainError:
            email = ""
    if identity.get(IdentityKind.PHONE):
        try:
            phone = normalise_phone(identity[IdentityKind.PHONE])
        except DomainError:
            phone = ""
    return email, phone


def _batches(
    rows: Iterator[dict[IdentityKind, str]],
) -> Iterator[list[dict[IdentityKind, str]]]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def find_affected_external(
    *,
    source_table: str,
    date_column: str,
    began_at: datetime.datetime,
    ended_at: datetime.datetime,
) -> ExternalAffected:
    """The people behind rows of ``source_table`` ("dataset.table") whose ``date_column``
    falls in the window: register people by e-mail or phone, the rest counted by kind."""
    found = ExternalAffected(source_table=source_table, date_column=date_column)
    table = dataset_table(source_table)
    if table is None:
        found.failure = "unknown_external_table"
        return found
    spec, table_spec = table
    people: dict[int, Person] = {}
    try:
        rows = identities_in_window(spec, table_spec, date_column, began_at, ended_at)
        for batch in _batches(rows):
            keys = [_keys(identity) for identity in batch]
            emails = {email for email, _phone in keys if email}
            phones = {phone for _email, phone in keys if phone}
            matches = Person.objects.filter(
                Q(email_key__in=sorted(emails)) | Q(phone__in=sorted(phones))
            )
            by_email: dict[str, Person] = {}
            by_phone: dict[str, Person] = {}
            for person in matches:
                by_email.setdefault(person.email_key, person)
                by_phone.setdefault(person.phone, person)
            for identity, (email, phone) in zip(batch, keys, strict=True):
                known = (by_email.get(email) if email else None) or (
                    by_phone.get(phone) if phone else None
                )
                if known is not None:
                    people[known.pk] = known
                    continue
                found.only_external += 1
                found.only_external_by_kind.update(str(kind) for kind in identity)
    except SourceUnavailable as exc:
        found.failure = exc.reason
    except DomainError as exc:  # no credentials for the source
        found.failure = str(exc.code)
    found.people = [people[pk] for pk in sorted(people)]
    return found


def default_window(breach: Breach) -> tuple[datetime.datetime, datetime.datetime]:
    """The breach's window: from its start (2000 when unknown) to its end (now while open)."""
    return breach.began_at or UNKNOWN_START, breach.ended_at or timezone.now()


def affected_in_sources(
    breach: Breach, tables: Iterable[tuple[str, str]]
) -> list[ExternalAffected]:
    """For each ``(dataset.table, date column)``: who the rows written within the breach's
    window (from its start, or 2000 when unknown, to its end, or now) belong to."""
    began, ended = default_window(breach)
    return [
        find_affected_external(
            source_table=source_table, date_column=column, began_at=began, ended_at=ended
        )
        for source_table, column in tables
    ]


@transaction.atomic
def search_sources(
    *,
    actor: Actor,
    breach: Breach,
    tables: Sequence[tuple[str, str]],
    began_at: datetime.datetime | None = None,
    ended_at: datetime.datetime | None = None,
) -> list[ExternalAffected]:
    """Staff's search of the sources for a breach: each ``(dataset.table, date column)``
    within the window (the breach's own when not given), audited in one entry that holds
    the tables, the window's length and the counts, never who was found."""
    default_began, default_ended = default_window(breach)
    began, ended = began_at or default_began, ended_at or default_ended
    if not tables:
        raise DomainError(code=BreachErrorCode.NO_TABLES, field="tables",
                          message=_("Choose at least one table to search."))  # fmt: skip
    if began > ended:
        raise DomainError(code=BreachErrorCode.INVALID_TIMES, field="began_at",
                          message=_("The window must begin before it ends."))  # fmt: skip
    results = [
        find_affected_external(
            source_table=source_table, date_column=column, began_at=began, ended_at=ended
        )
        for source_table, column in tables
    ]
    record(actor=actor, event=AuditEventType.BREACH_SOURCES_SEARCHED, obj=breach, detail={
        "tables": [r.source_table for r in results],
        "days": math.ceil((ended - began).total_seconds() / 86400),
        "in_register": len(merge_people([], results)),
        "only_external": sum(r.only_external for r in results),
        "unavailable": [r.source_table for r in results if r.failure],
    })  # fmt: skip
    return results


def merge_people(register: Iterable[Person], external: Iterable[ExternalAffected]) -> list[Person]:
    """The register's people and those the sources found in the register, each once."""
    people = {person.pk: person for person in register}
    for result in external:
        people.update((person.pk, person) for person in result.people)
    return [people[pk] for pk in sorted(people)]
