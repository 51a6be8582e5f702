"""Calendar arithmetic shared by the apps that count in months (retention periods, the
extension of a request's deadline), written once here below both.

Months are added calendar-wise: a day that does not exist in the target month becomes that
month's last day (31 August + 6 months = end of February)."""

from __future__ import annotations

import calendar
import datetime

ONE_DAY = datetime.timedelta(days=1)


def last_day_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def is_month_end(day: datetime.date) -> bool:
    return (day + ONE_DAY).day == 1


def add_months(start: datetime.date, months: int, *, keep_month_end: bool = False) -> datetime.date:
    """``start`` plus ``months`` calendar months; with ``keep_month_end`` a month end stays a
    month end (28 February 2023 + 60 months = 29 February 2028)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    end = last_day_of_month(year, month + 1)
    if keep_month_end and is_month_end(start):
        return end
    return start.replace(year=year, month=month + 1, day=min(start.day, end.day))


# GDPR Art. 12(3): a request is answered "within one month of receipt", extendable "by two
# further months". A period of months ends on the same date in the last month, or on that
# month's last day where the date does not exist (Regulation 1182/71, Art. 3(2)(c)).
ANSWER_MONTHS = 1
LONGEST_MONTHS = 3


def answer_due(received: datetime.date, promise_days: int | None = None) -> datetime.date:
    """The day a request received on ``received`` must be answered by: one calendar month, or
    the organisation's shorter promise of ``promise_days`` where that comes first (a promise
    of 30 days is kept in February by answering within the month, which is shorter)."""
    month = add_months(received, ANSWER_MONTHS)
    if promise_days is None:
        return month
    return min(month, received + datetime.timedelta(days=promise_days))


def latest_extended_due(received: datetime.date) -> datetime.date:
    """The furthest an extension may go: three months from receipt, whatever was promised."""
    return add_months(received, LONGEST_MONTHS)
