from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from personvern.core.actors import Actor
from tests.connectors.external import external  # noqa: F401 - the fixture

TODAY = datetime.date(2025, 6, 15)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """A local timestamp on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def years_ago(years: int, days: int = 0) -> datetime.datetime:
    return at(TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=days))


@pytest.fixture
def system_actor() -> Actor:
    return Actor.for_system("retention-sweep")


def sweep(actor, **kwargs):
    """The sweep as of ``TODAY``."""
    from personvern.retention import services

    return services.sweep(actor=actor, today=TODAY, **kwargs)
