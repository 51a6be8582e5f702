"""Trigger and keep-until dates: month ends, leap days and fiscal years."""

from __future__ import annotations

import datetime

import pytest

from personvern.retention.periods import Period, cutoff, fiscal_year_end, keep_until
from personvern.retention.services.statutes import (
    bookkeeping_keep_until,
    due_diligence_keep_until,
    shorter_than,
)

D = datetime.date


@pytest.mark.parametrize(
    ("trigger", "period", "expected"),
    [
        (D(2021, 3, 15), Period(years=3), D(2024, 3, 15)),
        (D(2023, 8, 31), Period(months=6), D(2024, 2, 29)),  # leap year: end of February
        (D(2022, 8, 31), Period(months=6), D(2023, 2, 28)),
        (D(2024, 2, 29), Period(years=1), D(2025, 2, 28)),  # leap day, no 29th next year
        (D(2024, 2, 29), Period(years=4), D(2028, 2, 29)),
        (D(2024, 1, 31), Period(months=1), D(2024, 2, 29)),
        (D(2024, 12, 31), Period(days=1), D(2025, 1, 1)),
        (D(2024, 1, 1), Period(days=90), D(2024, 3, 31)),
        (D(2024, 11, 30), Period(years=1, months=2, days=3), D(2026, 2, 2)),
    ],
)
def test_keep_until_adds_calendar_months_with_month_end_clamping(trigger, period, expected):
    assert keep_until(trigger, period) == expected


@pytest.mark.parametrize(
    ("document_date", "end_month", "expected"),
    [
        (D(2019, 6, 1), 12, D(2019, 12, 31)),  # calendar year: Norway's default
        (D(2019, 12, 31), 12, D(2019, 12, 31)),
        (D(2019, 1, 1), 12, D(2019, 12, 31)),
        (D(2023, 8, 15), 6, D(2024, 6, 30)),  # fiscal year 1 July - 30 June
        (D(2024, 6, 30), 6, D(2024, 6, 30)),
        (D(2023, 3, 1), 2, D(2024, 2, 29)),  # ends in February of a leap year
        (D(2022, 3, 1), 2, D(2023, 2, 28)),
    ],
)
def test_fiscal_year_end_of_a_document(document_date, end_month, expected):
    assert fiscal_year_end(document_date, end_month=end_month) == expected


def test_bookkeeping_periods_follow_bokforingsloven_13():
    # given documents of the 2019 fiscal year (ends 31 December 2019)
    year_end = D(2019, 12, 31)
    # then the accounts are kept five years and agreements three years and six months
    assert bookkeeping_keep_until("primary", year_end) == D(2024, 12, 31)
    assert bookkeeping_keep_until("agreements", year_end) == D(2023, 6, 30)
    # and a fiscal year ending 28 February keeps month ends: never a day short
    assert bookkeeping_keep_until("primary", D(2023, 2, 28)) == D(2028, 2, 29)


def test_due_diligence_is_kept_five_years_after_the_relationship_ended():
    assert due_diligence_keep_until(D(2020, 5, 31)) == D(2025, 5, 31)
    assert due_diligence_keep_until(None) is None  # relationship ongoing: kept


@pytest.mark.parametrize(
    "period",
    [
        Period(years=5),
        Period(years=3, months=6),
        Period(months=6),
        Period(days=90),
        Period(years=1, months=1, days=1),
    ],
)
@pytest.mark.parametrize("keep_month_end", [False, True])
def test_cutoff_is_exactly_the_last_trigger_date_whose_period_has_ended(period, keep_month_end):
    # for every day over two years including a leap year and every month end
    today = D(2024, 1, 1)
    while today < D(2026, 1, 1):
        day = cutoff(today, period, keep_month_end=keep_month_end)
        # then the cut-off's record has expired and the next day's has not
        assert keep_until(day, period, keep_month_end=keep_month_end) < today
        assert (
            keep_until(day + datetime.timedelta(days=1), period, keep_month_end=keep_month_end)
            >= today
        )
        today += datetime.timedelta(days=1)


def test_a_shorter_period_than_the_statute_is_detected():
    assert shorter_than(Period(years=4, months=11), Period(years=5))
    assert shorter_than(Period(days=1825), Period(years=5))  # 5 x 365 days misses a leap day
    assert not shorter_than(Period(years=5), Period(years=5))
    assert not shorter_than(Period(years=6), Period(years=3, months=6))
