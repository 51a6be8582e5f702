"""Public endpoints are rate-limited per client address, across processes."""

from __future__ import annotations

import pytest
from django.test import Client

from personvern.core.throttle import within_rate

pytestmark = pytest.mark.django_db


def test_a_client_is_counted_per_scope_and_address():
    assert all(within_rate("s", "192.0.2.1", limit=3) for _ in range(3))
    assert not within_rate("s", "192.0.2.1", limit=3)
    assert within_rate("s", "192.0.2.2", limit=3)  # another address
    assert within_rate("other", "192.0.2.1", limit=3)  # another endpoint


def test_the_count_is_shared_through_the_database_and_holds_no_address():
    # given a client at its limit
    from django.core.cache import cache

    from personvern.core.models import RateCounter

    assert all(within_rate("s", "192.0.2.1", limit=2) for _ in range(2))
    # when every per-process cache is gone (another process answers the next request)
    cache.clear()
    # then the limit still holds, and the stored bucket names no address
    assert not within_rate("s", "192.0.2.1", limit=2)
    counter = RateCounter.objects.get()
    assert counter.count == 3 and "192.0.2" not in counter.bucket


def test_expired_counts_are_removed_when_a_new_bucket_starts():
    import datetime

    from django.utils import timezone

    from personvern.core.models import RateCounter

    RateCounter.objects.create(
        bucket="0" * 64, count=9, expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert within_rate("s", "192.0.2.1", limit=3)
    assert not RateCounter.objects.filter(bucket="0" * 64).exists()


def test_the_portal_form_answers_429_when_flooded_and_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PERSONVERN = {**settings.PERSONVERN, "PUBLIC_REQUESTS_PER_MINUTE": 2}
    client = Client()
    body = {"request_type": "access", "email": "flood@example.com", "details": ""}
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post("/portal/?lang=en", body, REMOTE_ADDR="203.0.113.50").status_code
            for _ in range(4)
        ]
    assert statuses[2:] == [429, 429]
    assert len(mailoutbox) == 2
