"""The IP security log: requests to Personvern's pages (middleware) and to the website (ingest
API), kept for the short period of its retention rule (the retention engine deletes them).
Statistics get the masked address only, masked before it is written; a log entry names a
person only when its request submitted their data."""

from __future__ import annotations

import datetime
import ipaddress
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError, FieldError, collect
from personvern.core.network import has_zone, mask_ip, without_zone
from personvern.register.models import Person

from ..choices import SUBMISSION_METHODS, LogSource, WebsiteErrorCode
from ..models import IpLogEntry, IpStatistic

PATH_MAX = 500
USER_AGENT_MAX = 300
# Set on a request by ``link_request_to_person``; the middleware stores the link with the entry.
LINK_ATTRIBUTE = "personvern_ip_log_link"


@dataclass(frozen=True)
class IngestedRequest:
    """One request as the website's server saw it."""

    at: datetime.datetime
    ip_address: str
    method: str
    path: str
    status: int
    user_agent: str = ""
    # The person whose data this request submitted (the website's form sent it to Personvern
    # and got this id back); only a submission may carry one.
    person_id: int | None = None


def _entry(
    *,
    at: datetime.datetime,
    ip_address: str,
    method: str,
    path: str,
    status: int,
    user_agent: str,
    source: str,
    person: Person | None = None,
) -> IpLogEntry:
    # The query string may hold personal data (a search, an e-mail in a link): never stored.
    bare_path = path.split("?", 1)[0].split("#", 1)[0]
    return IpLogEntry(
        at=at,
        ip_address=_canonical_ip(ip_address),
        method=method.upper()[:10],
        path=bare_path[:PATH_MAX],
        status=status,
        user_agent=user_agent[:USER_AGENT_MAX],
        source=source,
        person=person,
    )


def _canonical_ip(address: str) -> str:
    ip = without_zone(ipaddress.ip_address(address.strip()))
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def _count_masked(entries: Sequence[IpLogEntry]) -> None:
    """Add the entries to the per-day statistics, by masked address, with one upsert each."""
    counts = Counter((timezone.localdate(e.at), mask_ip(e.ip_address), e.source) for e in entries)
    table = IpStatistic._meta.db_table
    # Table name from model metadata; every value is a bound parameter.
    sql = (
        f"INSERT INTO {table} (day, masked_ip, source, requests) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (day, masked_ip, source) DO UPDATE "
        f"SET requests = {table}.requests + excluded.requests"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [(day, masked, source, n) for (day, masked, source), n in counts.items()]
        )


def log_request(
    *,
    ip_address: str,
    method: str,
    path: str,
    status: int,
    user_agent: str,
    source: str = LogSource.PERSONVERN,
    at: datetime.datetime | None = None,
    link: tuple[Actor, Person] | None = None,
) -> IpLogEntry:
    """Log one request to Personvern's pages (called by the middleware after the response).

    Two queries (the entry, the masked count) and no transaction of its own on the common path,
    since it runs on every request; a link to a person is written with its audit entry."""
    entry = _entry(
        at=at or timezone.now(),
        ip_address=ip_address,
        method=method,
        path=path,
        status=status,
        user_agent=user_agent,
        source=source,
        person=link[1] if link else None,
    )
    if link is None:
        entry.save()
        _count_masked([entry])
        return entry
    actor, person = link
    with transaction.atomic():
        entry.save()
        _count_masked([entry])
        record(
            actor=actor,
            event=AuditEventType.IP_ENTRY_LINKED,
            obj=entry,
            subject_id=person.pk,
            fields=["person"],
            detail={"via": "request"},
        )
    return entry


@transaction.atomic
def ingest_requests(*, actor: Actor, requests: Sequence[IngestedRequest]) -> int:
    """A batch of the website's request log. Addresses are validated by the API schema; an
    invalid one here is a programming error and refuses the whole batch, and one with an IPv6
    zone id is refused naming its entry (``core.network``). An entry that names a person is
    linked to them, each link audited; a bad link refuses the whole batch."""
    collect(
        [
            FieldError(
                field=f"entries.{index}.ip_address",
                code=WebsiteErrorCode.ZONE_ID_NOT_ALLOWED,
                message=ZONE_ID_MESSAGE,
            )
            for index, r in enumerate(requests)
            if has_zone(r.ip_address)
        ]
    )
    people = _linked_people(requests)
    entries = [
        _entry(
            at=r.at,
            ip_address=r.ip_address,
            method=r.method,
            path=r.path,
            status=r.status,
            user_agent=r.user_agent,
            source=LogSource.WEBSITE,
            person=people[r.person_id] if r.person_id is not None else None,
        )
        for r in requests
    ]
    IpLogEntry.objects.bulk_create(entries, batch_size=500)
    _count_masked(entries)
    record(
        actor=actor,
        event=AuditEventType.IP_LOG_INGESTED,
        object_type=IpLogEntry._meta.label_lower,
        detail={"count": len(entries), "source": LogSource.WEBSITE},
    )
    for entry in entries:
        if entry.person_id is not None:
            record(actor=actor, event=AuditEventType.IP_ENTRY_LINKED, obj=entry,
                   subject_id=entry.person_id, fields=["person"],
                   detail={"via": "ingest"})  # fmt: skip
    return len(entries)


def _linked_people(requests: Sequence[IngestedRequest]) -> dict[int, Person]:
    """The people the batch links to, by id; every bad link is reported by its entry."""
    wanted = {r.person_id for r in requests if r.person_id is not None}
    people = Person.objects.in_bulk(wanted)
    errors: list[FieldError] = []
    for index, r in enumerate(requests):
        if r.person_id is None:
            continue
        field = f"entries.{index}.person_id"
        if r.method.upper() not in SUBMISSION_METHODS:
            errors.append(FieldError(field=field, code=WebsiteErrorCode.NOT_A_SUBMISSION,
                                     message=NOT_A_SUBMISSION_MESSAGE))  # fmt: skip
        elif r.person_id not in people:
            errors.append(FieldError(field=field, code=WebsiteErrorCode.UNKNOWN_PERSON,
                                     message=_("No person with this id.")))  # fmt: skip
    collect(errors)
    return people


ZONE_ID_MESSAGE = _(
    "Send the address without its zone id (the part after the percent sign): it names a "
    "network interface on one machine."
)
NOT_A_SUBMISSION_MESSAGE = _(
    "Only a request that submitted personal data (a form) is linked to a person."
)


def _require_submission(method: str) -> None:
    if method.upper() not in SUBMISSION_METHODS:
        raise DomainError(
            code=WebsiteErrorCode.NOT_A_SUBMISSION, message=NOT_A_SUBMISSION_MESSAGE, field="method"
        )


def link_request_to_person(*, actor: Actor, request: HttpRequest, person: Person) -> None:
    """Called by a form (the portal, a contact form) that has just received this person's data:
    the log entry of this very request will name the person. Other requests stay unlinked."""
    _require_submission(request.method or "")
    setattr(request, LINK_ATTRIBUTE, (actor, person))


@transaction.atomic
def link_entry_to_person(*, actor: Actor, entry: IpLogEntry, person: Person) -> IpLogEntry:
    """Link an ingested entry whose request was the website's form carrying this person's
    data (the website reports the form; staff or the intake link it)."""
    _require_submission(entry.method)
    entry.person = person
    entry.save(update_fields=["person"])
    record(
        actor=actor,
        event=AuditEventType.IP_ENTRY_LINKED,
        obj=entry,
        subject_id=person.pk,
        fields=["person"],
        detail={"via": "entry"},
    )
    return entry
