"""IP address handling: what is stored for statistics and evidence is masked first."""

from __future__ import annotations

import ipaddress


def mask_ip(address: str | None) -> str:
    """IPv4 with the last octet zeroed, IPv6 kept to its /48; '' for a missing or bad address.

    Masking happens before anything is stored, so the full address never reaches the database
    for these uses."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
