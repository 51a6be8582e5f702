from __future__ import annotations

from .models import Organisation


def get_controller() -> Organisation | None:
    """The controller of this installation (one per installation)."""
    return Organisation.objects.select_related("supervisory_authority").order_by("pk").first()
