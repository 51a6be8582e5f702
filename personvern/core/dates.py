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
