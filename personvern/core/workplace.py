"""The staff home page's "what must I do today": every app offers the items it knows about.

An app registers a provider from its ``AppConfig.ready``; the home page asks every provider
for the signed-in staff member's items, so it does not import the apps above core. A provider
returns only what the user may see (check their permissions) and counts read from the data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


class Urgency(enum.IntEnum):
    """How soon an item needs someone: the page shows the most urgent first."""

    INFO = 0
    DUE_SOON = 1
    OVERDUE = 2


@dataclass(frozen=True)
class WorkplaceItem:
    """One line on the home page: a count and the list behind it (``url``, no personal data)."""

    key: str  # stable, e.g. "rights.overdue"
    section: str | Promise  # heading it is shown under, e.g. "Requests"
    label: str | Promise
    count: int
    url: str
    urgency: Urgency = Urgency.INFO


# ``user`` is the signed-in staff member (a ``accounts.StaffUser``).
WorkplaceProvider = Callable[[Any], list[WorkplaceItem]]

PROVIDERS: dict[str, WorkplaceProvider] = {}


def register_workplace_provider(name: str, provider: WorkplaceProvider) -> None:
    """Register (or replace) the provider called ``name``."""
    PROVIDERS[name] = provider


def workplace_items(user: Any) -> list[WorkplaceItem]:
    """Every provider's items for ``user``, most urgent first."""
    items = [item for provider in PROVIDERS.values() for item in provider(user)]
    return sorted(items, key=lambda item: -item.urgency)
