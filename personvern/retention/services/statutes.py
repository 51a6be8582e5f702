"""The minimum periods Norwegian law sets. They apply whatever a rule says: the sweep never
removes a record inside them, and a rule that would is refused."""

from __future__ import annotations

import datetime

from django.db.models import Q

from ..choices import BookkeepingKind
from ..periods import Period, cutoff, keep_until

# bokføringsloven § 13: five years after the end of the fiscal year for the accounts,
# specifications and documentation of entries; three years and six months for agreements and
# material correspondence.
BOOKKEEPING_MINIMUM: dict[str, Period] = {
    BookkeepingKind.PRIMARY: Period(years=5),
    BookkeepingKind.AGREEMENTS: Period(years=3, months=6),
}
# hvitvaskingsloven § 30: five years after the customer relationship ended.
DUE_DILIGENCE_MINIMUM = Period(years=5)


def bookkeeping_keep_until(kind: str, fiscal_year_end: datetime.date) -> datetime.date:
    return keep_until(fiscal_year_end, BOOKKEEPING_MINIMUM[kind], keep_month_end=True)


def due_diligence_keep_until(ended_on: datetime.date | None) -> datetime.date | None:
    return None if ended_on is None else keep_until(ended_on, DUE_DILIGENCE_MINIMUM)


def bookkeeping_past_statute(today: datetime.date, prefix: str = "") -> Q:
    """Bookkeeping records the law no longer requires to be kept ``today``."""
    past = Q(pk__in=[])
    for kind, period in BOOKKEEPING_MINIMUM.items():
        past |= Q(
            **{
                f"{prefix}kind": kind,
                f"{prefix}fiscal_year_end__lte": cutoff(today, period, keep_month_end=True),
            }
        )
    return past


def due_diligence_past_statute(today: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}relationship_ended_on__lte": cutoff(today, DUE_DILIGENCE_MINIMUM)})


def shorter_than(period: Period, minimum: Period, *, keep_month_end: bool = False) -> bool:
    """Whether ``period`` ends before ``minimum`` from any start date (checked over four
    years of month ends and the days around them, which covers every calendar case)."""
    day = datetime.date(2023, 1, 1)
    while day < datetime.date(2027, 1, 1):
        if keep_until(day, period, keep_month_end=keep_month_end) < keep_until(
            day, minimum, keep_month_end=keep_month_end
        ):
            return True
        day += datetime.timedelta(days=1)
    return False
