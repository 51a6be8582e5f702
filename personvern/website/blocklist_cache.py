"""The blocklist as this process holds it: read from the database at most once every
``BLOCKLIST_CACHE_SECONDS``, so checking a request costs no query. A change made in this
process clears the copy at once; other processes see it within the cache period."""

from __future__ import annotations

import ipaddress
import threading
import time

from . import config
from .models import BlockEntry

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_lock = threading.Lock()
_networks: tuple[IPNetwork, ...] = ()
_expires = 0.0


def invalidate() -> None:
    global _expires
    with _lock:
        _expires = 0.0


def _load() -> tuple[IPNetwork, ...]:
    networks = []
    for value in BlockEntry.objects.filter(lifted_at__isnull=True).values_list(
        "network", flat=True
    ):
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:  # written through the service, so never; skip rather than fail open
            continue
    return tuple(networks)


def networks() -> tuple[IPNetwork, ...]:
    global _networks, _expires
    now = time.monotonic()
    with _lock:
        if now < _expires:
            return _networks
    loaded = _load()
    with _lock:
        _networks = loaded
        _expires = now + float(config.get("BLOCKLIST_CACHE_SECONDS"))
    return loaded


def is_blocked(address: str | None) -> bool:
    """Whether the address falls in an active block. A missing or unparsable address is not
    blocked: the peer address comes from the server, not the client."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks())
