from __future__ import annotations

from collections.abc import Iterator

import pytest

from personvern.accounts.choices import Role
from personvern.consent.models import ConsentText
from personvern.core.actors import Actor
from personvern.processing.choices import ActivityStatus, LegalBasis
from personvern.website import blocklist_cache
from personvern.website.choices import CookieCategory
from personvern.website.services import CookieValues, create_cookie, publish_cookie_policy
from tests.browser.conftest import browser, chromium  # noqa: F401 - the shared headless Chromium
from tests.conftest import user_with_role
from tests.factories import OrganisationFactory, ProcessingActivityFactory

SYSTEM = Actor.for_system("tests")


@pytest.fixture(autouse=True)
def fresh_blocklist() -> Iterator[None]:
    """Each test starts and ends with an empty per-process blocklist copy."""
    blocklist_cache.invalidate()
    yield
    blocklist_cache.invalidate()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the test's transaction to commit (the IP log entry of a request)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def security_user(db):
    return user_with_role(Role.SECURITY)


@pytest.fixture
def controller(db):
    return OrganisationFactory(cookie_lifetime_limit_days=30, request_deadline_days=30)


@pytest.fixture
def statistics_purpose(db):
    return ProcessingActivityFactory(
        name="Web statistics", legal_basis=LegalBasis.CONSENT, status=ActivityStatus.ACTIVE
    )


@pytest.fixture
def marketing_purpose(db):
    return ProcessingActivityFactory(
        name="Retargeting", legal_basis=LegalBasis.CONSENT, status=ActivityStatus.ACTIVE
    )


def cookie(name: str, category: str, purpose=None, days: int = 30, **extra):
    return create_cookie(
        actor=SYSTEM,
        values=CookieValues(
            name=name,
            provider="Google LLC",
            category=category,
            purpose=purpose,
            description=f"{name} test cookie",
            lifetime_days=days,
            domain="numeri.no",
            path="/",
            **extra,
        ),
    )


@pytest.fixture
def cookie_register(statistics_purpose, marketing_purpose):
    cookie("cc_cookie", CookieCategory.NECESSARY)
    cookie("_ga", CookieCategory.STATISTICS, statistics_purpose)
    cookie("_gid", CookieCategory.STATISTICS, statistics_purpose, days=1)
    cookie("_fbp", CookieCategory.MARKETING, marketing_purpose, days=90)


@pytest.fixture
def policy(cookie_register) -> list[ConsentText]:
    return publish_cookie_policy(actor=SYSTEM)
