"""The demo's website: the notice's cookies, the first cookie policy and a published notice,
loaded once; a second load adds nothing and audits nothing."""

from __future__ import annotations

import pytest

from personvern.audit.models import AuditEntry
from personvern.consent.choices import TextKind
from personvern.consent.models import ConsentText
from personvern.website.models import Cookie
from personvern.website.selectors import cookies_with_flag
from tests.demo.conftest import demo_output, loaded_demo, run_demo  # noqa: F401

pytestmark = pytest.mark.usefixtures("demo_output")


def test_the_cookies_of_the_notice_within_the_limit():
    cookies = {c.name: c for c in cookies_with_flag()}

    # GA4's cookies; _gid and _gat belong to Universal Analytics and are not set any more
    assert set(cookies) == {"cc_cookie", "_ga", "_ga_*"}
    assert not any(c.exceeds_limit for c in cookies.values())
    assert cookies["_ga"].lifetime_days == 30 and cookies["_ga"].domain == "numeri.no"
    assert cookies["_ga"].purpose is not None
    assert cookies["_ga"].purpose.name == "Nettstatistikk (Google Analytics)"
    assert cookies["_ga_*"].lifetime_days == 30 and cookies["_ga_*"].purpose is not None


def test_a_cookie_policy_and_a_notice_are_published():
    kinds = sorted(
        ConsentText.objects.filter(
            kind__in=[TextKind.COOKIE_POLICY, TextKind.PRIVACY_NOTICE]
        ).values_list("kind", "language", "version")
    )

    assert kinds == [
        ("cookie_policy", "en", 1),
        ("cookie_policy", "nb", 1),
        ("privacy_notice", "en", 1),
        ("privacy_notice", "nb", 1),
    ]


def test_a_second_load_adds_nothing():
    counts = (Cookie.objects.count(), ConsentText.objects.count(), AuditEntry.objects.count())

    run_demo()

    assert (
        Cookie.objects.count(),
        ConsentText.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
