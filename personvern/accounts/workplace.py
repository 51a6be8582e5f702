"""Staff management on the home page (``core.workplace``), for who may change staff users:
the way to the list of staff, their roles and second factors."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from personvern.core.workplace import WorkplaceItem

from .models import User


def staff_items(user: Any) -> list[WorkplaceItem]:
    if not user.has_perm("accounts.change_user"):
        return []
    return [
        WorkplaceItem(
            key="accounts.staff",
            section=_("Staff"),
            label=_("Active staff users (roles, second factors, deactivation)"),
            count=User.objects.filter(is_active=True).count(),
            url=f"{reverse('admin:accounts_user_changelist')}?is_active__exact=1",
        )
    ]
