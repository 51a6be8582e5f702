"""The 72 hours: counted in UTC from awareness, shown in Europe/Oslo, across DST changes."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from personvern.breaches import clock

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC


def test_the_deadline_is_72_real_hours_after_awareness():
    aware = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=OSLO)
    assert clock.deadline(aware) == datetime.datetime(2026, 6, 13, 7, 0, tzinfo=UTC)
    assert clock.in_oslo(clock.deadline(aware)).hour == 9


def test_across_the_spring_change_the_oslo_wall_clock_moves_an_hour():
    # given awareness on Saturday 28 March 2026 10:00 CET; clocks go forward on Sunday 29 March
    aware = datetime.datetime(2026, 3, 28, 10, 0, tzinfo=OSLO)
    # then the deadline is Tuesday 11:00 CEST: 72 elapsed hours, not 72 wall-clock hours
    deadline = clock.in_oslo(clock.deadline(aware))
    assert (deadline.day, deadline.hour, deadline.tzname()) == (31, 11, "CEST")
    assert clock.deadline(aware) - aware.astimezone(UTC) == datetime.timedelta(hours=72)


def test_across_the_autumn_change_the_oslo_wall_clock_moves_back_an_hour():
    # given awareness on Saturday 24 October 2026 10:00 CEST; clocks go back on 25 October
    aware = datetime.datetime(2026, 10, 24, 10, 0, tzinfo=OSLO)
    deadline = clock.in_oslo(clock.deadline(aware))
    assert (deadline.day, deadline.hour, deadline.tzname()) == (27, 9, "CET")


def test_awareness_in_the_ambiguous_autumn_hour_keeps_its_fold():
    # 02:30 happens twice on 25 October 2026 in Oslo; fold=1 is the second (CET) one
    first = datetime.datetime(2026, 10, 25, 2, 30, tzinfo=OSLO)
    second = datetime.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=OSLO)
    assert clock.deadline(second) - clock.deadline(first) == datetime.timedelta(hours=1)


def test_the_same_moment_in_any_zone_gives_the_same_deadline():
    oslo = datetime.datetime(2026, 3, 28, 10, 0, tzinfo=OSLO)
    new_york = oslo.astimezone(ZoneInfo("America/New_York"))
    tokyo = oslo.astimezone(ZoneInfo("Asia/Tokyo"))
    assert clock.deadline(oslo) == clock.deadline(new_york) == clock.deadline(tokyo)


def test_time_left_and_reminder_points():
    # Arithmetic on an Oslo datetime is wall-clock arithmetic (a day across the spring change
    # is 23 hours); the clock counts real hours, so the test counts from UTC.
    aware = datetime.datetime(2026, 3, 28, 10, 0, tzinfo=OSLO).astimezone(UTC)
    assert clock.reminder_points_due(aware, aware + datetime.timedelta(hours=23)) == []
    assert clock.reminder_points_due(aware, aware + datetime.timedelta(hours=24)) == [48]
    assert clock.reminder_points_due(aware, aware + datetime.timedelta(hours=61)) == [48, 24, 12]
    late = aware + datetime.timedelta(hours=74)
    assert clock.reminder_points_due(aware, late) == [48, 24, 12, 4, 0]
    assert clock.hours_left_label(aware, late) == "-2 h 0 min"
    assert clock.is_late(aware, late)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="naive"):
        clock.deadline(datetime.datetime(2026, 3, 28, 10, 0))  # noqa: DTZ001
