"""The consent ledger on the staff home page (``core.workplace``): the last verification of
its hash chain and the last signed head, for those who watch the system's health (they read
the consent records and the audit log: the privacy officer and the auditor). The counts link
to the audit log's entries for them."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.core.workplace import Urgency, WorkplaceItem

from .models import LedgerVerification, SignedLedgerHead

SECTION = _("Retention and system health")
# Verified every night: two days without a verification means the scheduler is down.
STALE_AFTER = datetime.timedelta(days=2)


def _url(event: AuditEventType) -> str:
    query = urlencode({"event_type": event.value})
    return f"{reverse('admin:audit_auditentry_changelist')}?{query}"


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def ledger_items(user: Any) -> list[WorkplaceItem]:
    if not (user.has_perm("consent.view_consentevent") and user.has_perm("audit.view_auditentry")):
        return []
    items: list[WorkplaceItem] = []
    verification = LedgerVerification.objects.order_by("-verified_at", "-pk").first()
    url = _url(AuditEventType.LEDGER_VERIFIED)
    if verification is None:
        items.append(
            WorkplaceItem(
                key="consent.verification",
                section=SECTION,
                label=_("The consent ledger has not been verified yet"),
                count=0,
                url=url,
                urgency=Urgency.DUE_SOON,
            )
        )
    else:
        stale = timezone.now() - verification.verified_at > STALE_AFTER
        label = (
            _("Consent ledger verified %(when)s: intact, events checked")
            if verification.ok
            else _("Consent ledger verified %(when)s: BROKEN (see the audit log), events checked")
        ) % {"when": _when(verification.verified_at)}
        items.append(
            WorkplaceItem(
                key="consent.verification",
                section=SECTION,
                label=label,
                count=verification.event_count,
                url=url,
                urgency=Urgency.OVERDUE if stale or not verification.ok else Urgency.INFO,
            )
        )
    head = SignedLedgerHead.objects.order_by("-signed_at", "-pk").first()
    if head is not None:
        items.append(
            WorkplaceItem(
                key="consent.signed_head",
                section=SECTION,
                label=_("Last signed ledger head %(when)s (key %(key)s, root %(root)s…): events")
                % {
                    "when": _when(head.signed_at),
                    "key": head.key_id,
                    "root": head.merkle_root[:12],
                },
                count=head.tree_size,
                url=_url(AuditEventType.LEDGER_HEAD_SIGNED),
            )
        )
    return items
