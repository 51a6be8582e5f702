"""A deployment check (tag ``security``, run by ``personvern check --deploy``): without its own
``PERSONVERN_SUPPRESSION_KEY`` the suppression list's keyed hashes are derived from the secret
key, and rotating that would silently empty the list (everyone who opted out or was erased
could be marketed to again). A second warns when the ledger's head is not signed and kept
outside the database. Deploy-only, so development and test runs stay quiet."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def suppression_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Outside DEBUG, the suppression list needs a key of its own."""
    key: str = getattr(settings, "PERSONVERN_SUPPRESSION_KEY", "")
    if settings.DEBUG or key:
        return []
    return [
        Warning(
            "PERSONVERN_SUPPRESSION_KEY is not set: the suppression list's keyed hashes are "
            "derived from the secret key, and rotating PERSONVERN_SECRET_KEY would make the "
            "list forget everyone on it.",
            hint="Set PERSONVERN_SUPPRESSION_KEY to a long random value before the first "
            "opt-out or erasure, and never change it. An installation whose list was keyed "
            "from the secret key must not rotate PERSONVERN_SECRET_KEY: setting a new "
            "suppression key now would make the list forget just the same.",
            id="consent.W001",
        )
    ]


@register(Tags.security, deploy=True)
def ledger_anchoring(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Outside DEBUG, the ledger's head must be signed and kept outside the database: without
    that, whoever runs the database can rewrite the ledger unseen."""
    missing = [
        name
        for name in ("PERSONVERN_LEDGER_SIGNING_KEY", "PERSONVERN_LEDGER_HEADS_DIR")
        if not getattr(settings, name, "")
    ]
    if settings.DEBUG or not missing:
        return []
    return [
        Warning(
            f"{' and '.join(missing)} not set: the consent ledger's head is not signed, and a "
            "database administrator can rewrite, cut short or extend the ledger unseen.",
            hint="Create a key with 'personvern ledger keygen PATH' (keep it out of the "
            "database and its backups), set PERSONVERN_LEDGER_SIGNING_KEY=PATH and "
            "PERSONVERN_LEDGER_HEADS_DIR to a directory the database administrator cannot "
            "write, and copy that directory to another machine.",
            id="consent.W002",
        )
    ]
