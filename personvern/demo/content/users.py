"""One demo staff user per role."""

from __future__ import annotations

from dataclasses import dataclass

from personvern.accounts.choices import Role

# --- Staff users ----------------------------------------------------------------------------

DEMO_PASSWORD = "personvern-demo"  # noqa: S105 - published on purpose: demo logins only


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: Role
    first_name: str
    last_name: str


DEMO_USERS: tuple[UserSpec, ...] = (
    UserSpec("personvern", Role.PRIVACY_OFFICER, "Personvern", "Ombud"),
    UserSpec("kundeservice", Role.CUSTOMER_SERVICE, "Kunde", "Service"),
    UserSpec("salg", Role.SALES_MARKETING, "Salg", "Marked"),
    UserSpec("revisor", Role.AUDITOR, "Revisor", "Lesetilgang"),
    UserSpec("sikkerhet", Role.SECURITY, "Sikkerhet", "Ansvarlig"),
)
