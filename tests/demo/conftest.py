from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django.plugin import DjangoDbBlocker

# The person's side of the portal and a local SMTP server, for the demo's requests.
from tests.rights.conftest import portal, smtp  # noqa: F401 - fixtures


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The demo, loaded once per module inside an outer transaction rolled back at the end.

    Loading takes about a second; each test still runs in its own savepoint (``db``), so a test
    that writes cannot affect the next one. Modules that need an empty database do not use this
    fixture and keep their tests in a separate module, because the outer transaction stays open
    until the module ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        output = run_demo()
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def demo_output(loaded_demo: str, db: None) -> str:
    return loaded_demo
