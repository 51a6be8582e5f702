"""Sending portability data straight to another controller (GDPR Art. 20(2)): an HTTPS POST
of the package's JSON to the address the person gave.

The address is checked before anything is sent: the scheme must be allowed (HTTPS; tests
allow HTTP) and, unless private addresses are allowed (tests only), every address the host
name resolves to must be public. The connection then goes to the address that was checked,
not to a second DNS answer, so a rebinding name cannot point the POST at an internal service.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import DomainError

from . import config
from .choices import RightsErrorCode

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Receipt:
    status: int
    sent_at: str
    sha256: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "sent_at": self.sent_at,
            "sha256": self.sha256,
            "size": self.size,
        }


def _refuse() -> DomainError:
    return DomainError(
        code=RightsErrorCode.INVALID_DESTINATION,
        message=_("Give an https:// address of the controller that is to receive your data."),
        field="destination_url",
    )


def check_destination(url: str) -> None:
    """Refuse a syntactically unusable or disallowed scheme early (at submission)."""
    parts = urlsplit(url)
    if parts.scheme not in config.delivery_schemes() or not parts.hostname:
        raise _refuse()


def resolve(url: str) -> Target:
    check_destination(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise _refuse() from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise _refuse()
    if not config.delivery_allows_private():
        for address in addresses:
            if not ipaddress.ip_address(address).is_global:
                raise _refuse()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT_SECONDS)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target) -> None:
        self._context = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=TIMEOUT_SECONDS, context=self._context)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name the person gave.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post_json(url: str, document: dict[str, Any]) -> Receipt:
    """POST the document; the receipt records the answer's status, the time and the SHA-256
    of exactly the bytes sent. A network failure is a receipt with status 0."""
    target = resolve(url)
    body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode()
    connection: http.client.HTTPConnection = (
        _PinnedHTTPSConnection(target)
        if target.scheme == "https"
        else _PinnedHTTPConnection(target)
    )
    sent_at = timezone.now().isoformat()
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": "Personvern"},
        )
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        connection.close()
    return Receipt(
        status=status, sent_at=sent_at, sha256=hashlib.sha256(body).hexdigest(), size=len(body)
    )
