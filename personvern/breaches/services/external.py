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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import Q
from django.utils import timezone

from personvern.connectors.choices import IdentityKind
from personvern.connectors.sql import BATCH, SourceUnavailable
from personvern.connectors.tables import dataset_table
from personvern.connectors.window import identities_in_window
from personvern.core.errors import DomainError
from personvern.core.validation import email_lookup_key, normalise_phone
from personvern.register.models import Person

from ..models import Breach


@dataclass
class ExternalAffected:
    """What one table of a source says about who the breach affected: counts, never values."""

    source_table: str
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
    found = ExternalAffected(source_table=source_table)
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


def affected_in_sources(
    breach: Breach, tables: Iterable[tuple[str, str]]
) -> list[ExternalAffected]:
    """For each ``(dataset.table, date column)``: who the rows written within the breach's
    window (from its start, or 2000 when unknown, to its end, or now) belong to."""
    began = breach.began_at or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    ended = breach.ended_at or timezone.now()
    return [
        find_affected_external(
            source_table=source_table, date_column=column, began_at=began, ended_at=ended
        )
        for source_table, column in tables
    ]


def merge_people(register: Iterable[Person], external: Iterable[ExternalAffected]) -> list[Person]:
    """The register's people and those the sources found in the register, each once."""
    people = {person.pk: person for person in register}
    for result in external:
        people.update((person.pk, person) for person in result.people)
    return [people[pk] for pk in sorted(people)]
