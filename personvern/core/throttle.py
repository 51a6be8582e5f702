"""A small rate limit for the public endpoints (the portal's request form, the banner's
decisions), so that nobody can flood the ledger or make Personvern send mail to strangers.

Counts are kept in the database, one row per client, endpoint and minute, so the limit holds
across every web process sharing it; the address is only ever a keyed hash, and a row is
removed within two minutes.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import time

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import RateCounter

WINDOW_SECONDS = 60
_TABLE = RateCounter._meta.db_table
# Table name from model metadata; every value is a bound parameter.
_COUNT = (
    f"INSERT INTO {_TABLE} (bucket, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
    f"ON CONFLICT (bucket) DO UPDATE SET count = {_TABLE}.count + 1 RETURNING count"
)


def public_limit() -> int:
    """Requests a client may send to one public endpoint per minute."""
    configured = settings.PERSONVERN.get("PUBLIC_REQUESTS_PER_MINUTE")
    return configured if isinstance(configured, int) else 30


def within_rate(scope: str, client: str | None, *, limit: int | None = None) -> bool:
    """Count one request from ``client`` to ``scope``; False once it is over the limit in
    this minute. One upsert; the first request of a bucket also clears expired ones."""
    minute = int(time.time() // WINDOW_SECONDS)
    bucket = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}\0{client or '-'}\0{minute}".encode(), hashlib.sha256
    ).hexdigest()
    now = timezone.now()
    expires = connection.ops.adapt_datetimefield_value(
        now + datetime.timedelta(seconds=2 * WINDOW_SECONDS)
    )
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [bucket, expires])
        count = int(cursor.fetchone()[0])
    if count == 1:
        RateCounter.objects.filter(expires_at__lt=now).delete()
    return count <= (limit if limit is not None else public_limit())
