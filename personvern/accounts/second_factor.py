"""Who must sign in with a second factor, and what a signed-in session still has to do.

The rule (README, Staff sign-in): the privacy officer and the security role must have a second
factor (``PERSONVERN_2FA_REQUIRED_ROLES``), everyone if ``PERSONVERN_2FA_REQUIRED_FOR_ALL``;
superusers always, since ``createsuperuser`` makes the first privacy officer. Anyone else may
add one, and whoever has one is asked for it at every sign-in. ``make run``'s demo logins are
exempt while ``PERSONVERN_2FA_DEMO_SKIP`` is on, and only with DEBUG on.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.conf import settings
from django_otp import user_has_device

from .models import User

_demo_usernames: set[str] = set()


def register_demo_logins(usernames: Iterable[str]) -> None:
    """The demo app names its logins here (a lower app never imports the demo)."""
    _demo_usernames.update(usernames)


class Step(enum.Enum):
    """What a signed-in session has to do before it reaches the staff UI."""

    NONE = "none"
    VERIFY = "verify"
    ENROL = "enrol"


def demo_skip_applies(user: User) -> bool:
    return bool(
        settings.DEBUG and settings.PERSONVERN_2FA_DEMO_SKIP and user.username in _demo_usernames
    )


def is_required(user: User) -> bool:
    """Whether ``user`` may not work without a second factor."""
    if demo_skip_applies(user):
        return False
    if settings.PERSONVERN_2FA_REQUIRED_FOR_ALL or user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.PERSONVERN_2FA_REQUIRED_ROLES).exists()


def has_device(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def pending_step(user: User) -> Step:
    """The step left for a signed-in session of ``user`` (``is_verified`` comes from
    django-otp's middleware: a device was used in this session)."""
    if user.is_verified():  # type: ignore[attr-defined]
        return Step.NONE
    if has_device(user):
        return Step.VERIFY
    return Step.ENROL if is_required(user) else Step.NONE
