"""Who deletes a person. Deleting one is retention's rule: refused while anything of theirs
must be kept (a legal hold, an open request, records the law makes us keep), the statistics
folded and their files removed with the sweep's own operations. That rule lives next to
``erase_person`` in the retention app, above the register; the register's staff UI and API
delete through the one deleter that app registers here from its ``AppConfig.ready``. Without
one, deleting fails loudly instead of removing rows the law may make us keep."""

from __future__ import annotations

from typing import Protocol

from personvern.core.actors import Actor

from .models import Person


class PersonDeleter(Protocol):
    def __call__(self, *, actor: Actor, person: Person) -> None: ...


_DELETERS: dict[str, PersonDeleter] = {}


def register_person_deleter(deleter: PersonDeleter) -> None:
    _DELETERS["person"] = deleter


def person_deleter() -> PersonDeleter:
    try:
        return _DELETERS["person"]
    except KeyError:
        raise LookupError("No app registered how to delete a person (retention)") from None
