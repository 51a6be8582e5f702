"""IP address handling: what is stored for statistics and evidence is masked first, and an
IPv6 zone id never reaches the database.

A zone id (``fe80::1%eth0``) names a network interface on one machine: it means nothing to
anyone else, PostgreSQL's ``inet`` cannot hold it, and ``ipaddress`` compares
``fe80::1%eth0`` and ``fe80::1`` as different addresses. So an address that is *given* to
Personvern (a block, an ingested log line) with a zone id is refused naming the field, and the
peer address of a connection (which nobody typed) is used without it."""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def without_zone(ip: IPAddress) -> IPAddress:
    """The address without its zone id (``fe80::1%eth0`` is ``fe80::1``)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id is not None:
        return ipaddress.IPv6Address(int(ip))
    return ip


def has_zone(value: str) -> bool:
    """Whether an address or network as given carries an IPv6 zone id."""
    text = (value or "").strip().split("/", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    return isinstance(ip, ipaddress.IPv6Address) and ip.scope_id is not None


def peer_address(address: str | None) -> str | None:
    """A connection's peer address as Personvern keeps it: without a zone id; ``None`` when
    missing. An unparsable value is passed on as it is (callers treat it as unknown)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    return str(without_zone(ip))


def mask_ip(address: str | None) -> str:
    """IPv4 with the last octet zeroed, IPv6 kept to its /48; '' for a missing or bad address.

    Masking happens before anything is stored, so the full address never reaches the database
    for these uses."""
    if not address:
        return ""
    try:
        ip = without_zone(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
