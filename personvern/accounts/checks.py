"""A deployment check: the demo logins' exemption from the second factor is for ``make run``
only. Outside DEBUG it is never honoured (accounts.second_factor), and asking for it anyway
is an error, so that nobody believes a production installation runs without it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def demo_skip_off(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or not settings.PERSONVERN_2FA_DEMO_SKIP:
        return []
    return [
        Error(
            "PERSONVERN_2FA_DEMO_SKIP is set outside development.",
            hint="The demo logins' exemption from the second factor is for make run only and "
            "is ignored here; unset PERSONVERN_2FA_DEMO_SKIP.",
            id="accounts.E001",
        )
    ]
