"""Request deadlines in calendar months (GDPR Art. 12(3), Regulation 1182/71 Art. 3)."""

from __future__ import annotations

import datetime

import pytest

from personvern.core.dates import answer_due, latest_extended_due

D = datetime.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2027, 1, 31), D(2027, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
        (D(2027, 2, 1), D(2027, 3, 1)),  # not 3 March (received + 30 days)
        (D(2027, 2, 28), D(2027, 3, 28)),
        (D(2028, 2, 29), D(2028, 3, 29)),
        (D(2027, 4, 30), D(2027, 5, 30)),
        (D(2027, 3, 31), D(2027, 4, 30)),
    ],
)
def test_one_month_is_the_same_date_next_month_or_its_last_day(received, due):
    assert answer_due(received) == due


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (D(2027, 2, 1), 30, D(2027, 3, 1)),  # the month is shorter than the promise
        (D(2027, 1, 31), 30, D(2027, 2, 28)),
        (D(2028, 2, 29), 30, D(2028, 3, 29)),
        (D(2027, 4, 30), 30, D(2027, 5, 30)),
        (D(2027, 3, 1), 30, D(2027, 3, 31)),  # the promise is shorter than the month
        (D(2027, 4, 30), 14, D(2027, 5, 14)),
    ],
)
def test_a_shorter_promise_applies_but_never_a_longer_one(received, days, due):
    assert answer_due(received, days) == due


@pytest.mark.parametrize(
    ("received", "latest"),
    [
        (D(2027, 1, 31), D(2027, 4, 30)),
        (D(2027, 2, 1), D(2027, 5, 1)),  # not 3 May (1 March + 2 months + 2 days)
        (D(2027, 11, 30), D(2028, 2, 29)),
        (D(2027, 4, 30), D(2027, 7, 30)),
    ],
)
def test_an_extension_ends_three_months_from_receipt_at_most(received, latest):
    assert latest_extended_due(received) == latest
