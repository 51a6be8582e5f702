"""Security signals: events of the security log that may be a breach, shown to the security
role as possible incidents. The scan reads what the lower apps already record:

- a blocked address or network that keeps hitting the site (the IP log keeps blocked
  requests, answered 403; ``BLOCKED_HITS`` or more in a day make a signal);
- a burst of failed staff sign-ins (django-axes' attempts: ``FAILED_SIGN_INS`` or more
  failures for one username and address);
- a failed verification of the audit log's hash chain or of the consent ledger (their
  audit entries with ``ok`` false).

Each signal has a stable key, so the scan is safe to run again: it counts again and moves
``last_seen``. A signal's summary holds no address (a network masked to /24 or /48) and no
username."""

from __future__ import annotations

import datetime
import ipaddress
from collections import Counter

from axes.models import AccessAttempt
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.website.models import BlockEntry, IpLogEntry

from ..choices import BreachErrorCode, DiscoveryMethod, SignalKind
from ..models import Breach, SecuritySignal
from .register import record_breach

BLOCKED_HITS = 20
FAILED_SIGN_INS = 5
LOOK_BACK = datetime.timedelta(days=7)


def _masked(address: str) -> str:
    ip = ipaddress.ip_address(address)
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _upsert(kind: str, key: str, summary: str, first: datetime.datetime,
            last: datetime.datetime, count: int) -> None:  # fmt: skip
    signal, created = SecuritySignal.objects.get_or_create(
        key=key, defaults={"kind": kind, "summary": summary[:300], "first_seen": first,
                           "last_seen": last, "count": count},
    )  # fmt: skip
    if not created and (signal.count, signal.last_seen) != (count, last):
        SecuritySignal.objects.filter(pk=signal.pk).update(count=count, last_seen=last)


def _blocked_hits(since: datetime.datetime) -> None:
    networks = [
        ipaddress.ip_network(b.network, strict=False) for b in BlockEntry.objects.all()
    ]
    if not networks:
        return
    hits: Counter[tuple[str, datetime.date]] = Counter()
    times: dict[tuple[str, datetime.date], list[datetime.datetime]] = {}
    refused = IpLogEntry.objects.filter(at__gte=since, status=403).values_list("ip_address", "at")
    for address, at in refused.iterator():
        ip = ipaddress.ip_address(address)
        if any(ip.version == n.version and ip in n for n in networks):
            key = (_masked(address), timezone.localdate(at))
            hits[key] += 1
            times.setdefault(key, []).append(at)
    for (network, day), count in hits.items():
        if count >= BLOCKED_HITS:
            _upsert(SignalKind.BLOCKED_HITS, f"blocked:{network}:{day.isoformat()}",
                    gettext("%(count)s requests from blocked network %(network)s on %(day)s")
                    % {"count": count, "network": network, "day": day.isoformat()},
                    min(times[(network, day)]), max(times[(network, day)]), count)  # fmt: skip


def _failed_sign_ins(since: datetime.datetime) -> None:
    attempts = AccessAttempt.objects.filter(
        attempt_time__gte=since, failures_since_start__gte=FAILED_SIGN_INS
    )
    for attempt in attempts:
        _upsert(SignalKind.FAILED_SIGN_INS, f"signin:{attempt.pk}",
                gettext("%(count)s failed staff sign-ins for one account from network %(network)s")
                % {"count": attempt.failures_since_start,
                   "network": _masked(attempt.ip_address) if attempt.ip_address else "?"},
                attempt.attempt_time, attempt.attempt_time,
                attempt.failures_since_start)  # fmt: skip


def _verification_failures(since: datetime.datetime) -> None:
    kinds = {
        AuditEventType.AUDIT_LOG_VERIFIED: SignalKind.AUDIT_VERIFICATION,
        AuditEventType.LEDGER_VERIFIED: SignalKind.LEDGER_VERIFICATION,
    }
    entries = AuditEntry.objects.filter(at__gte=since, event_type__in=list(kinds))
    for entry in entries:
        if entry.detail.get("ok", True):
            continue
        kind = kinds[AuditEventType(entry.event_type)]
        _upsert(kind, f"verify:{entry.sequence}", str(SignalKind(kind).label),
                entry.at, entry.at, 1)  # fmt: skip


@transaction.atomic
def scan_signals(now: datetime.datetime | None = None) -> int:
    """Find new signals of the last week; returns how many signals are open."""
    since = (now or timezone.now()) - LOOK_BACK
    _blocked_hits(since)
    _failed_sign_ins(since)
    _verification_failures(since)
    return SecuritySignal.objects.filter(breach__isnull=True, dismissed_at__isnull=True).count()


def _ensure_unhandled(signal: SecuritySignal) -> None:
    if signal.breach_id is not None or signal.dismissed_at is not None:
        raise DomainError(code=BreachErrorCode.SIGNAL_HANDLED,
                          message=_("The signal has already been handled."), status=409)


@transaction.atomic
def open_breach_from_signal(*, actor: Actor, signal: SecuritySignal) -> Breach:
    """One action: a breach recorded from the signal, aware from now (staff now know of a
    possible breach), for the privacy officer to complete and assess."""
    signal = SecuritySignal.objects.select_for_update().get(pk=signal.pk)
    _ensure_unhandled(signal)
    breach = record_breach(
        actor=actor,
        values={
            "title": str(SignalKind(signal.kind).label),
            "what_happened": signal.summary,
            "began_at": signal.first_seen,
            "aware_at": timezone.now(),
            "discovered_how": DiscoveryMethod.SECURITY_SIGNAL,
            "systems": "Personvern",
        },
        signal_id=signal.pk,
    )
    signal.breach = breach
    signal.save(update_fields=["breach"])
    return breach


@transaction.atomic
def dismiss_signal(*, actor: Actor, signal: SecuritySignal) -> SecuritySignal:
    signal = SecuritySignal.objects.select_for_update().get(pk=signal.pk)
    _ensure_unhandled(signal)
    signal.dismissed_at, signal.dismissed_by = timezone.now(), actor.label
    signal.save(update_fields=["dismissed_at", "dismissed_by"])
    record(actor=actor, event=AuditEventType.SIGNAL_DISMISSED, obj=signal)
    return signal
