from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from personvern.accounts.choices import Role
from personvern.accounts.models import User
from personvern.core.actors import Actor
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counters and other cached values never leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _api_responses_match_their_schema(settings) -> None:
    """Every API response a test receives is checked against the OpenAPI document."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.api.schema_check.ResponseSchemaCheck"]


def user_with_role(role: Role, username: str | None = None) -> User:
    UserFactory(username=username or role.value, is_staff=True)
    user = User.objects.get(username=username or role.value)  # fresh: no cached permissions
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def privacy_officer(db) -> User:
    return user_with_role(Role.PRIVACY_OFFICER)


@pytest.fixture
def customer_service(db) -> User:
    return user_with_role(Role.CUSTOMER_SERVICE)


@pytest.fixture
def sales_user(db) -> User:
    return user_with_role(Role.SALES_MARKETING)


@pytest.fixture
def auditor(db) -> User:
    return user_with_role(Role.AUDITOR)


@pytest.fixture
def officer_actor(privacy_officer: User) -> Actor:
    return Actor(user=privacy_officer, ip_address="192.0.2.10")
