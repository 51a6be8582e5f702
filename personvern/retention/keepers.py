"""What keeps a person's data exactly as it is, owned by an app above retention: an open
data-subject request (its answer must show, and act on, the data as it was when they asked).

The owning app registers a :class:`Keeper` from its ``AppConfig.ready``. Retention then treats
the person as held: the sweep leaves everything of theirs alone (``selectors.person_held``) and
staff deletion is refused with the keeper's own error (``services.erasure.delete_person``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from personvern.core.errors import DomainError


@dataclass(frozen=True)
class Keeper:
    name: str
    # Whether the person whose id the outer query's ``OuterRef`` names is kept.
    keeps: Callable[[OuterRef], Exists]
    # The error staff deletion is refused with while the person is kept.
    refusal: Callable[[], DomainError]


KEEPERS: dict[str, Keeper] = {}


def register_keeper(keeper: Keeper) -> None:
    """Register (or replace) the keeper called ``keeper.name``."""
    KEEPERS[keeper.name] = keeper
