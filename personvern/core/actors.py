"""Who did something. Services take an :class:`Actor` explicitly because background jobs and
commands have no request to ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

from .network import peer_address

if TYPE_CHECKING:
    from personvern.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """A staff user, a data subject acting through the portal, or a named system job."""

    user: User | None = None
    system: str = ""
    ip_address: str | None = None

    def __post_init__(self) -> None:
        if (self.user is None) == (not self.system):
            raise ValueError("An actor is either a user or a named system job, never both.")

    @classmethod
    def for_system(cls, name: str) -> Actor:
        return cls(system=name)

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user
        if not user.is_authenticated:
            raise ValueError("Anonymous requests act through the portal's own actors.")
        return cls(user=user, ip_address=client_ip(request))

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        return f"system:{self.system}"

    def has_perm(self, perm: str) -> bool:
        """System jobs are trusted code paths; users are checked against their roles."""
        return self.user is None or self.user.has_perm(perm)


def client_ip(request: HttpRequest) -> str | None:
    """The peer address, without an IPv6 zone id (see ``core.network``). Behind a proxy,
    configure it to set REMOTE_ADDR (e.g. gunicorn's ``--forwarded-allow-ips``) rather than
    trusting a header any client can forge."""
    return peer_address(request.META.get("REMOTE_ADDR"))
