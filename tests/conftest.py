from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from personvern.accounts.choices import Role
from personvern.accounts.models import User
from personvern.core.actors import Actor
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_sign_in_includes_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login`` and ``client.login`` stand for a finished staff sign-in, the
    second factor included, as they already stand for the password: the session is marked
    verified by a device without codes (it can verify nothing else). Production sign-in is
    unchanged; tests of the second factor itself sign in through the login form."""
    original = Client._login  # type: ignore[attr-defined]

    def _login(self: Client, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="test sign-in", defaults={"confirmed": True}
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "_login", _login)


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


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> str:
    """A STATIC_ROOT that production's ``collectstatic`` filled, for the tests that run
    ``personvern check --deploy`` (core.E001 fails it otherwise)."""
    import os
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("collected-static")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "personvern.settings.production",
        "PERSONVERN_SECRET_KEY": "collectstatic-only-" + "k" * 40,
        "DATABASE_URL": "sqlite:///:memory:",
        "PERSONVERN_STATIC_ROOT": str(root),
    }
    subprocess.run(
        [sys.executable, "-m", "personvern.cli", "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        capture_output=True,
    )
    return str(root)
@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts, and leaves the thread, in the default language: a request in English
    (LocaleMiddleware) would otherwise leave English active for the tests after it, and texts
    per language (``core.translated``) read in the active one."""
    with translation.override("nb"):
        yield
