"""The names of data categories, in one catalogue (gettext) for every text the person or staff
read: the privacy notice, the access report, the staff UI. A category is stored with its
fideslang key and the taxonomy's English name; the keys a Norwegian firm uses have a readable
name here, translated like every other string. An unknown key shows its stored name."""

from __future__ import annotations

from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(Protocol):
    """A data category (``models.DataCategory``; named here without importing the models,
    which use this module)."""

    key: str
    name: str


CATEGORY_NAMES: dict[str, Promise] = {
    "user.name": _("name"),
    "user.name.first": _("first name"),
    "user.name.last": _("last name"),
    "user.contact.email": _("e-mail address"),
    "user.contact.phone_number": _("phone number"),
    "user.contact.address": _("postal address"),
    "user.contact.organization": _("employer and its contact details"),
    "user.job_title": _("position and role"),
    "user.content.private": _("enquiries, comments and documents"),
    "user.privacy_preferences": _("consents and reservations"),
    "user.device": _("information about the device and browser"),
    "user.device.cookie_id": _("ID in cookies"),
    "user.device.ip_address": _("IP address"),
    "user.behavior.browsing_history": _("page views and clicks on the website"),
    "user.financial.bank_account": _("bank account number"),
}

# Fideslang key parts of the special categories of Art. 9 and the data of Art. 10.
SPECIAL_CATEGORY_PARTS = (
    "health",
    "biometric",
    "genetic",
    "criminal",
    "political",
    "religious",
    "sexual",
    "racial",
    "ethnic",
    "union",
)


def category_name(category: Category) -> str:
    """The category's name in the active language."""
    name = CATEGORY_NAMES.get(category.key)
    return str(name) if name is not None else category.name


def is_special(category: Category) -> bool:
    return any(part in category.key for part in SPECIAL_CATEGORY_PARTS)
