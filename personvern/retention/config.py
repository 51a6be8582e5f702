"""Organisation-wide retention settings, read from ``settings.PERSONVERN`` with safe defaults:

- ``FISCAL_YEAR_END_MONTH`` (1-12, default 12): the fiscal year ends on the last day of this
  month; Norwegian companies use the calendar year unless they have been allowed otherwise.
- ``STATISTICS_MIN_GROUP_SIZE`` (default 5): anonymised figures below it are suppressed.
- ``RETENTION_BATCH_SIZE`` (default 2000): rows per sweep transaction.
"""

from __future__ import annotations

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, "PERSONVERN", {}).get(name, default))


def fiscal_year_end_month() -> int:
    return _setting("FISCAL_YEAR_END_MONTH", 12)


def minimum_group_size() -> int:
    return _setting("STATISTICS_MIN_GROUP_SIZE", 5)


def batch_size() -> int:
    return _setting("RETENTION_BATCH_SIZE", 2000)
