"""The 72 hours of Art. 33(1), counted in UTC from the moment of awareness and shown in
Europe/Oslo. Elapsed hours are real hours: across a daylight-saving change the deadline's
wall-clock time in Oslo moves by an hour (aware Saturday 10:00 CET before the spring change,
deadline Tuesday 11:00 CEST), which is what 72 hours means."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
NOTIFY_WITHIN = datetime.timedelta(hours=72)
# The privacy officer is reminded when this many hours are left (0: the deadline has passed).
REMINDER_HOURS_LEFT = (48, 24, 12, 4, 0)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A naive time has no place on the breach clock: give its zone.")
    return moment.astimezone(datetime.UTC)


def deadline(aware_at: datetime.datetime) -> datetime.datetime:
    """The moment the 72 hours run out, in UTC."""
    return _utc(aware_at) + NOTIFY_WITHIN


def time_left(aware_at: datetime.datetime, now: datetime.datetime) -> datetime.timedelta:
    """Negative once the deadline has passed."""
    return deadline(aware_at) - _utc(now)


def in_oslo(moment: datetime.datetime) -> datetime.datetime:
    return _utc(moment).astimezone(OSLO)


def is_late(aware_at: datetime.datetime, submitted_at: datetime.datetime) -> bool:
    return _utc(submitted_at) > deadline(aware_at)


def reminder_points_due(aware_at: datetime.datetime, now: datetime.datetime) -> list[int]:
    """The reminder points (hours left) reached by ``now``, most urgent last."""
    left = time_left(aware_at, now)
    return [h for h in REMINDER_HOURS_LEFT if left <= datetime.timedelta(hours=h)]


def hours_left_label(aware_at: datetime.datetime, now: datetime.datetime) -> str:
    """E.g. "31 h 5 min" or "-2 h 0 min" (overdue)."""
    minutes = int(time_left(aware_at, now).total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest} min"
