"""What must hold before a processing activity may be active, asked of every app that knows.

The record of processing knows its own rule (legitimate interest needs a favourable balancing
assessment). Apps above it add theirs from their ``AppConfig.ready`` (an impact assessment
signed off where one is needed, a valid transfer mechanism and a data-processing agreement for
each processor), so ``activate_activity`` refuses an activity any of them finds wanting
without importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from personvern.core.errors import FieldError

if TYPE_CHECKING:
    from .models import ProcessingActivity

# A check returns the reasons the activity may not be active (empty when it may).
ActivationCheck = Callable[["ProcessingActivity"], list[FieldError]]

CHECKS: dict[str, ActivationCheck] = {}


def register_activation_check(name: str, check: ActivationCheck) -> None:
    """Register (or replace) the check called ``name``."""
    CHECKS[name] = check


def activation_blockers(activity: ProcessingActivity) -> list[FieldError]:
    """Every reason, from every registered check, that ``activity`` may not be active."""
    return [error for check in CHECKS.values() for error in check(activity)]
