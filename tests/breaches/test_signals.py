"""Security signals: what the security log already records becomes a possible incident for
the security role, opened as a breach with one action."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from personvern.accounts.choices import Role
from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.audit.services import record
from personvern.breaches import services
from personvern.breaches.choices import BreachErrorCode, DiscoveryMethod, SignalKind
from personvern.breaches.models import Breach, SecuritySignal
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.website.models import IpLogEntry
from personvern.website.services import block_address
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("tests")


def _failed_verification():
    record(actor=ACTOR, event=AuditEventType.AUDIT_LOG_VERIFIED, object_type="audit.auditentry",
           detail={"ok": False, "entries": 10, "first_broken": 4, "problem": "hash"})  # fmt: skip


def test_blocked_hits_failed_sign_ins_and_failed_verifications_become_signals():
    # given a blocked network that keeps hitting the site, a burst of failed sign-ins, and a
    # failed verification of the audit log (and a passed one, which is no signal)
    block_address(actor=ACTOR, network="203.0.113.0/24", reason="Scanning",
                  review_on=timezone.localdate() + datetime.timedelta(days=30))  # fmt: skip
    now = timezone.now()
    IpLogEntry.objects.bulk_create([
        IpLogEntry(at=now, ip_address="203.0.113.9", method="GET", path="/", status=403,
                   source="personvern")
        for _ in range(services.signals.BLOCKED_HITS)
    ] + [IpLogEntry(at=now, ip_address="198.51.100.1", method="GET", path="/", status=403,
                    source="personvern")] * 30)  # fmt: skip
    AccessAttempt.objects.create(username="someone", ip_address="192.0.2.44", user_agent="x",
                                 failures_since_start=7, attempt_time=now)  # fmt: skip
    _failed_verification()
    record(actor=ACTOR, event=AuditEventType.AUDIT_LOG_VERIFIED, object_type="audit.auditentry",
           detail={"ok": True, "entries": 11, "first_broken": None, "problem": ""})  # fmt: skip

    # when the scan runs (twice: it is safe to run again)
    assert services.scan_signals() == 3
    assert services.scan_signals() == 3

    # then there is one signal of each kind, with no address or username in its summary
    kinds = sorted(SecuritySignal.objects.values_list("kind", flat=True))
    assert kinds == sorted([SignalKind.BLOCKED_HITS, SignalKind.FAILED_SIGN_INS,
                            SignalKind.AUDIT_VERIFICATION])  # fmt: skip
    summaries = " ".join(SecuritySignal.objects.values_list("summary", flat=True))
    assert "203.0.113.9" not in summaries and "someone" not in summaries
    assert "203.0.113.0/24" in summaries and "192.0.2.0/24" in summaries


def test_a_signal_opens_as_a_breach_with_one_action_once():
    _failed_verification()
    services.scan_signals()
    signal = SecuritySignal.objects.get()
    breach = services.open_breach_from_signal(actor=ACTOR, signal=signal)
    assert breach.discovered_how == DiscoveryMethod.SECURITY_SIGNAL
    assert breach.title == str(SignalKind.AUDIT_VERIFICATION.label)
    entry = AuditEntry.objects.get(event_type=AuditEventType.BREACH_RECORDED)
    assert entry.detail == {"signal": signal.pk}
    with pytest.raises(DomainError) as refused:
        services.open_breach_from_signal(actor=ACTOR, signal=signal)
    assert refused.value.code == BreachErrorCode.SIGNAL_HANDLED
    with pytest.raises(DomainError):
        services.dismiss_signal(actor=ACTOR, signal=signal)


def test_the_security_role_sees_signals_and_opens_one_in_the_staff_ui(client):
    # given a signal and a signed-in member of the security role
    _failed_verification()
    services.scan_signals()
    signal = SecuritySignal.objects.get()
    security = user_with_role(Role.SECURITY)
    client.force_login(security)
    # when they open the list and run the one action
    listing = client.get(reverse("admin:breaches_securitysignal_changelist"))
    assert listing.status_code == 200
    assert str(SignalKind.AUDIT_VERIFICATION.label) in listing.content.decode()
    response = client.post(
        reverse("admin:breaches_securitysignal_changelist"),
        {"action": "open_as_breach", "_selected_action": [signal.pk]},
    )
    # then a breach is recorded from it
    assert response.status_code == 302
    assert Breach.objects.get().signals.get() == signal
    # and the customer-service role sees no signals
    client.force_login(user_with_role(Role.CUSTOMER_SERVICE))
    assert client.get(reverse("admin:breaches_securitysignal_changelist")).status_code == 403
