"""Date arithmetic for retention, as pure functions.

A record is kept up to and including its *keep-until* date (the trigger date plus the period)
and may be removed from the day after. Months are added calendar-wise: a day that does not
exist in the target month becomes that month's last day (31 August + 6 months = end of
February; ``core.dates.add_months``). Periods that count from a fiscal year's end keep month
ends as month ends, so a fiscal year ending 28 February 2023 is kept five years to 29 February
2028: never a day short.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from personvern.core.dates import ONE_DAY, add_months, last_day_of_month


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = [f"{self.years} y"] if self.years else []
        parts += [f"{self.months} m"] if self.months else []
        parts += [f"{self.days} d"] if self.days else []
        return " ".join(parts) or "0 d"

    @property
    def is_zero(self) -> bool:
        return not (self.years or self.months or self.days)

    @property
    def approximate_days(self) -> int:
        """An upper bound of the period's length in days, to tell a sane period from a typo."""
        return self.years * 366 + self.months * 31 + self.days


def describe(period: Period) -> str:
    """The period in words, in the active language ("3 years and 6 months", "3 år og 6
    måneder"), for letters and the privacy notice."""
    parts = (
        [ngettext("%(count)d year", "%(count)d years", period.years) % {"count": period.years}]
        if period.years
        else []
    )
    if period.months:
        parts.append(
            ngettext("%(count)d month", "%(count)d months", period.months)
            % {"count": period.months}
        )
    if period.days or not parts:
        parts.append(
            ngettext("%(count)d day", "%(count)d days", period.days) % {"count": period.days}
        )
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def keep_until(
    trigger: datetime.date, period: Period, *, keep_month_end: bool = False
) -> datetime.date:
    """The last day a record whose period started on ``trigger`` must be kept."""
    shifted = add_months(trigger, period.years * 12 + period.months, keep_month_end=keep_month_end)
    return shifted + datetime.timedelta(days=period.days)


def cutoff(today: datetime.date, period: Period, *, keep_month_end: bool = False) -> datetime.date:
    """The latest trigger date whose record may be removed ``today``.

    ``keep_until`` never decreases as the trigger moves later, so "trigger <= cutoff" is exactly
    "keep_until(trigger) < today": one indexed comparison in SQL instead of date arithmetic per
    row. The estimate by subtraction is off by at most a few days at month ends; step to it."""
    candidate = add_months(
        today - datetime.timedelta(days=period.days), -(period.years * 12 + period.months)
    )
    while keep_until(candidate, period, keep_month_end=keep_month_end) >= today:
        candidate -= ONE_DAY
    while keep_until(candidate + ONE_DAY, period, keep_month_end=keep_month_end) < today:
        candidate += ONE_DAY
    return candidate


def fiscal_year_end(document_date: datetime.date, *, end_month: int = 12) -> datetime.date:
    """The end of the fiscal year a document dated ``document_date`` belongs to: the last day
    of ``end_month`` on or after the document date."""
    year = document_date.year if document_date.month <= end_month else document_date.year + 1
    return last_day_of_month(year, end_month)


def start_of_day_after(day: datetime.date) -> datetime.datetime:
    """Midnight (local time) after ``day``: a timestamp is on or before ``day`` iff it is
    earlier than this, which keeps timestamp columns comparable with their index."""
    return timezone.make_aware(datetime.datetime.combine(day + ONE_DAY, datetime.time.min))
