"""Sending portability data straight to another controller (GDPR Art. 20(2)): an HTTPS POST
of the package's JSON to the address the person gave.

The address is checked at intake and again before anything is sent
(``core.validation.normalise_url``: the scheme must be allowed — HTTPS; tests allow HTTP —, a
valid host, a port from 1 to 65535, no credentials) and, unless private addresses are allowed
(tests only), every address the host name resolves to must be public. The connection then goes
to the address that was checked, not to a second DNS answer, so a rebinding name cannot point
the POST at an internal service.

One call here is one attempt: ``post_json`` never raises for what the network or the other
side did, it returns a receipt saying what happened (``error`` names it). Retrying is the
service's business (``services/transfer.py``).
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
from personvern.core.validation import normalise_url

from . import config
from .choices import DeliveryError, RightsErrorCode


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Receipt:
    """One attempt: the HTTP status (0 when there was no answer), what went wrong if anything
    (a ``DeliveryError``), the time, and the SHA-256 and size of exactly the bytes sent."""

    status: int
    sent_at: str
    sha256: str
    size: int
    error: str = ""

    @property
    def delivered(self) -> bool:
        return 200 <= self.status < 300

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "sent_at": self.sent_at,
            "sha256": self.sha256,
            "size": self.size,
            "error": self.error,
        }


def check_destination(url: str) -> str:
    """The address, refused with the rule it breaks (field ``destination_url``) when it cannot
    be sent to: at submission, so the person hears of it at once, and before each attempt."""
    checked = normalise_url(
        url,
        field="destination_url",
        schemes=config.delivery_schemes(),
        code=RightsErrorCode.INVALID_DESTINATION,
    )
    try:  # an address written as an IP literal can be judged without DNS
        literal = ipaddress.ip_address(urlsplit(checked).hostname or "")
    except ValueError:
        return checked
    if not literal.is_global and not config.delivery_allows_private():
        raise _not_public()
    return checked


def _not_public() -> DomainError:
    return DomainError(
        code=RightsErrorCode.PRIVATE_DESTINATION,
        message=_("The address is not a public internet address."),
        field="destination_url",
    )


class _UnresolvableError(Exception):
    """The host name has no address (DNS): may be temporary, so the attempt is retried."""


def resolve(url: str) -> Target:
    parts = urlsplit(check_destination(url))
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise _UnresolvableError from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise _UnresolvableError
    if not config.delivery_allows_private():
        for address in addresses:
            if not ipaddress.ip_address(address).is_global:
                raise _not_public()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=config.delivery_timeout_seconds())
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target) -> None:
        self._context = ssl.create_default_context()
        super().__init__(
            target.host,
            target.port,
            timeout=config.delivery_timeout_seconds(),
            context=self._context,
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name the person gave.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post_json(url: str, document: dict[str, Any]) -> Receipt:
    """POST the document once. The receipt records the answer's status (0: none), what went
    wrong (``DeliveryError``), the time and the SHA-256 of exactly the bytes sent."""
    body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode()
    sent_at = timezone.now().replace(microsecond=0).isoformat()

    def receipt(status: int, error: DeliveryError | None) -> Receipt:
        return Receipt(
            status=status,
            sent_at=sent_at,
            sha256=hashlib.sha256(body).hexdigest(),
            size=len(body),
            error=str(error or ""),
        )

    try:
        target = resolve(url)
    except _UnresolvableError:
        return receipt(0, DeliveryError.DNS_FAILED)
    except DomainError as exc:
        refused = exc.code == RightsErrorCode.PRIVATE_DESTINATION
        return receipt(
            0, DeliveryError.ADDRESS_REFUSED if refused else DeliveryError.INVALID_ADDRESS
        )
    connection: http.client.HTTPConnection = (
        _PinnedHTTPSConnection(target)
        if target.scheme == "https"
        else _PinnedHTTPConnection(target)
    )
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": "Personvern"},
        )
        status = connection.getresponse().status
    except TimeoutError:
        return receipt(0, DeliveryError.TIMEOUT)
    except ssl.SSLError:
        return receipt(0, DeliveryError.TLS_FAILED)
    except OSError:
        return receipt(0, DeliveryError.CONNECTION_FAILED)
    except http.client.HTTPException:
        return receipt(0, DeliveryError.BAD_RESPONSE)
    finally:
        connection.close()
    return receipt(status, None if 200 <= status < 300 else DeliveryError.HTTP_STATUS)
