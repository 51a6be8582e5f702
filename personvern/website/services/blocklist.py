"""The manual blocklist: block, review and lift, each audited. The middleware reads the list
through ``blocklist_cache``; every change clears this process's copy at once (and again on
commit), and other processes read the list again within ``BLOCKLIST_CACHE_SECONDS``.

Every address is covered by at most one active block: a network equal to, inside or around
an active block is refused (409 ``already_blocked``, naming that block), so that lifting a
block really lets its addresses in again. Blocks are added one at a time (a transaction-scoped
advisory lock on PostgreSQL; SQLite has a single writer), so two staff members adding the same
network at once cannot both succeed."""

from __future__ import annotations

import datetime
import ipaddress

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.network import has_zone

from .. import blocklist_cache
from ..choices import WebsiteErrorCode
from ..models import BlockEntry

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Blocking more than this would lock out a large part of the internet (and staff with it).
BROADEST_PREFIX = {4: 8, 6: 16}
# Key of the PostgreSQL advisory lock that serialises adding blocks ("PVBLOCK" in ASCII).
ADD_LOCK_KEY = 0x5056424C4F434B


def parse_network(value: str, *, field: str = "network") -> IPNetwork:
    """An address (a one-address network) or a network in CIDR notation, IPv4 or IPv6."""
    text = (value or "").strip()
    if has_zone(text):
        raise DomainError(
            code=WebsiteErrorCode.ZONE_ID_NOT_ALLOWED,
            message=_(
                "Leave out the zone id (the part after the percent sign): it names a network "
                "interface on one machine, and a block applies to the address itself."
            ),
            field=field,
        )
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        try:
            ipaddress.ip_network(text, strict=False)
        except ValueError:
            message = _(
                "Enter an IPv4 or IPv6 address, or a network in CIDR notation such as "
                "203.0.113.0/24 or 2001:db8::/32."
            )
        else:
            message = _(
                "The network has bits set after its prefix: give its first address, "
                "e.g. 203.0.113.0/24 rather than 203.0.113.7/24."
            )
        raise DomainError(
            code=WebsiteErrorCode.INVALID_NETWORK, message=message, field=field
        ) from exc
    if isinstance(network, ipaddress.IPv6Network):
        network = _unmapped(network)
    if network.prefixlen < BROADEST_PREFIX[network.version]:
        raise DomainError(
            code=WebsiteErrorCode.NETWORK_TOO_BROAD,
            message=_("This network is too broad to block (at most /8 for IPv4, /16 for IPv6)."),
            field=field,
        )
    return network


def _unmapped(network: ipaddress.IPv6Network) -> IPNetwork:
    """An IPv4-mapped network (``::ffff:203.0.113.0/120``) as the IPv4 network it is, because
    visitors' mapped addresses are matched as IPv4; anything broader than the mapped range
    stays IPv6."""
    mapped = network.network_address.ipv4_mapped
    if mapped is None or network.prefixlen < 96:
        return network
    return ipaddress.ip_network(f"{mapped}/{network.prefixlen - 96}")


def _canonical(network: IPNetwork) -> str:
    """A single address is stored bare; a network with its prefix."""
    if network.num_addresses == 1:
        return str(network.network_address)
    return str(network)


def _changed() -> None:
    blocklist_cache.invalidate()
    transaction.on_commit(blocklist_cache.invalidate)


@transaction.atomic
def block_address(
    *, actor: Actor, network: str, reason: str, review_on: datetime.date
) -> BlockEntry:
    """Block an address or a network until the block is lifted."""
    errors: list[FieldError] = []
    parsed: IPNetwork | None = None
    try:
        parsed = parse_network(network)
    except DomainError as exc:
        errors.extend(exc.errors)
    if not (reason or "").strip():
        errors.append(FieldError("reason", CoreErrorCode.REQUIRED, _("Say why it is blocked.")))
    if review_on is None or review_on < timezone.localdate():
        errors.append(
            FieldError(
                "review_on",
                WebsiteErrorCode.REVIEW_DATE_PAST,
                _("Give a review date that is today or later."),
            )
        )
    collect(errors)
    assert parsed is not None  # noqa: S101 - collect() raised otherwise
    _lock_additions()
    _refuse_overlap(parsed)
    entry = BlockEntry.objects.create(
        network=_canonical(parsed),
        reason=reason.strip(),
        created_by=actor.user,
        created_by_label=actor.label,
        review_on=review_on,
    )
    record(
        actor=actor, event=AuditEventType.ADDRESS_BLOCKED, obj=entry,
        fields=["network", "reason", "review_on"],
    )  # fmt: skip
    _changed()
    return entry


def _lock_additions() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADD_LOCK_KEY])


def _refuse_overlap(network: IPNetwork) -> None:
    """Refuse a network that shares any address with an active block (the list is short: it
    is kept by hand)."""
    active = BlockEntry.objects.filter(lifted_at__isnull=True).order_by("pk")
    for entry in active.only("pk", "network"):
        existing = ipaddress.ip_network(entry.network, strict=False)
        if existing.version != network.version or not existing.overlaps(network):
            continue
        raise DomainError(
            code=WebsiteErrorCode.ALREADY_BLOCKED,
            status=409,
            field="network",
            message=_(
                "%(network)s is already covered by active block #%(id)s (%(existing)s). "
                "Review or lift that block instead; a network overlapping it cannot be added."
            )
            % {"network": _canonical(network), "id": entry.pk, "existing": entry.network},
        )


def _lock_in_force(entry: BlockEntry) -> BlockEntry:
    """The entry, locked for the change; a lifted block stays as it was lifted."""
    entry = BlockEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.lifted_at is not None:
        raise DomainError(
            code=WebsiteErrorCode.ALREADY_LIFTED,
            message=_("This block has been lifted."),
            field="network",
        )
    return entry


@transaction.atomic
def review_block(*, actor: Actor, entry: BlockEntry, next_review_on: datetime.date) -> BlockEntry:
    """The periodic review kept the block: set when it is reviewed next."""
    entry = _lock_in_force(entry)
    if next_review_on < timezone.localdate():
        raise DomainError(
            code=WebsiteErrorCode.REVIEW_DATE_PAST,
            message=_("Give a review date that is today or later."),
            field="review_on",
        )
    entry.review_on = next_review_on
    entry.save(update_fields=["review_on"])
    record(actor=actor, event=AuditEventType.BLOCK_REVIEWED, obj=entry, fields=["review_on"])
    return entry


@transaction.atomic
def lift_block(*, actor: Actor, entry: BlockEntry, reason: str) -> BlockEntry:
    """Lift a block. The entry stays, as the record of the block and its lifting."""
    entry = _lock_in_force(entry)
    if not (reason or "").strip():
        raise DomainError(
            code=CoreErrorCode.REQUIRED,
            message=_("Say why the block is lifted."),
            field="lift_reason",
        )
    entry.lifted_at = timezone.now()
    entry.lifted_by_label = actor.label
    entry.lift_reason = reason.strip()
    entry.save(update_fields=["lifted_at", "lifted_by_label", "lift_reason"])
    record(actor=actor, event=AuditEventType.BLOCK_LIFTED, obj=entry,
           fields=["lifted_at", "lift_reason"])  # fmt: skip
    _changed()
    return entry
