"""Issue 11's demo: a portal request reaches all four systems of the demo firm, the register,
the accounting database, the CRM (served by ``personvern democrm`` as a real process on a port
of its own, as ``make run`` starts it) and the paper archive (a task for customer service,
which holds the request until it is closed)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from personvern.accounts.models import User
from personvern.core.actors import Actor
from personvern.demo import accounting
from personvern.demo.sources import customer_contacts
from personvern.register.models import Person
from personvern.rights import services
from personvern.rights.choices import ManualTaskStatus, RequestStatus, SourceStatus
from personvern.rights.models import DataSubjectRequest, ManualTask
from tests.demo.conftest import run_demo
from tests.rights.conftest import PORTAL, link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db
SOURCES = {"register", "sql:accounting", "http:crm", "manual:paper-archive"}


@dataclass
class DemoCrm:
    url: str
    token: str

    def find(self, email: str) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"email": email})
        call = urllib.request.Request(  # noqa: S310 - a local http address
            f"{self.url}/contacts?{query}", headers={"Authorization": f"Bearer {self.token}"}
        )
        with urllib.request.urlopen(call, timeout=5) as response:  # noqa: S310
            return list(json.loads(response.read())["items"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def demo_crm(db, settings, tmp_path, monkeypatch) -> Iterator[DemoCrm]:
    """The demo loaded with its sources in ``tmp_path``, and its CRM serving on a free port."""
    secrets = tmp_path / "secrets"
    settings.VAR_DIR = tmp_path
    settings.PERSONVERN = {
        **settings.PERSONVERN,
        "CONNECTOR_SECRETS_DIR": str(secrets),
        "PORTAL_URL": PORTAL,
    }
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    monkeypatch.setenv("PERSONVERN_DEMO_CRM_URL", url)
    run_demo()
    token = (secrets / "demo-crm.token").read_text().strip()
    monkeypatch.setenv("PERSONVERN_SOURCE_DEMO_CRM_TOKEN", token)
    command = Path(sys.executable).parent / "personvern"
    process = subprocess.Popen(
        [command, "democrm", f"127.0.0.1:{port}", "--token-file", secrets / "demo-crm.token"],
        env={
            "PATH": "/usr/bin:/bin",
            "PERSONVERN_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "personvern.settings.test",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        crm = DemoCrm(url=url, token=token)
        deadline = time.monotonic() + 30
        while True:
            try:
                crm.find("nobody@example.com")
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        yield crm
    finally:
        process.terminate()
        process.wait(timeout=10)


def _customers(engine: sa.Engine, email: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count())
                .select_from(accounting.CUSTOMERS)
                .where(accounting.CUSTOMERS.c.email == email)
            ).scalar_one()
        )


def _phone(engine: sa.Engine, email: str) -> str:
    with engine.connect() as connection:
        return str(
            connection.execute(
                sa.select(accounting.CUSTOMERS.c.phone).where(accounting.CUSTOMERS.c.email == email)
            ).scalar_one()
        )


def test_a_portal_request_reaches_the_register_accounting_crm_and_archive(
    demo_crm,
    portal,
    smtp,
    tmp_path,
):
    # given a demo customer contact held in the register, the accounting database and the CRM
    person = customer_contacts().first()
    assert person is not None
    email = person.email
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'demo-accounting.sqlite3'}")
    assert _customers(engine, email) == 1
    assert len(demo_crm.find(email)) == 1
    customer_service = User.objects.get(username="kundeservice")
    actor = Actor(user=customer_service)
    # when the person asks for access in the portal
    portal.submit_and_confirm(smtp, email, request_type="access", lang="en")
    # then the request waits for the paper archive's task, with no package yet
    access = DataSubjectRequest.objects.order_by("-pk").first()
    assert access is not None and access.status == RequestStatus.IN_PROGRESS
    assert not access.package_name
    task = ManualTask.objects.get(request=access, assignee=customer_service)
    # when customer service closes it, nothing found
    with portal.capture(execute=True):
        services.manual.close_task(actor=actor, task=task, outcome=ManualTaskStatus.NOTHING_FOUND)
    # then the package holds all four systems' data, the CRM's record with its history
    access.refresh_from_db()
    assert access.status == RequestStatus.DONE
    package = download(portal, link_in(smtp.body(smtp.last_to(email))))
    data = json.loads(package.read("data.json"))["sources"]
    assert set(data) == SOURCES
    [record] = data["http:crm"]["kinds"]["records"]["records"]
    assert record["email"] == email and record["interactions"]
    assert data["sql:accounting"]["kinds"]["customers"]["records"][0]["email"] == email
    report = package.read("report.html").decode()
    assert all(name in report for name in ("Accounting system", "CRM", "Paper archive"))

    # when the person asks for a correction of their phone number, and staff make it
    portal.submit_and_confirm(smtp, email, request_type="rectification", lang="en")
    rectification = DataSubjectRequest.objects.order_by("-pk").first()
    assert rectification is not None
    with portal.capture(execute=True):
        services.complete_rectification(
            actor=actor, request=rectification, note="Corrected.", changes={"phone": "987 65 432"}
        )
    # then the accounting database and the CRM hold the new number at once, and the paper
    # archive has a task naming the correction; once it is closed, the register has it too
    assert _phone(engine, email) == "+4798765432"
    assert [contact["phone"] for contact in demo_crm.find(email)] == ["+4798765432"]
    task = ManualTask.objects.get(request=rectification)
    with portal.capture(execute=True):
        services.manual.close_task(actor=actor, task=task, outcome=ManualTaskStatus.DONE)
    rectification.refresh_from_db()
    assert rectification.status == RequestStatus.DONE
    assert set(rectification.source_states) == SOURCES
    assert Person.objects.get(email=email).phone == "+4798765432"
    assert "- CRM: 1 record corrected." in smtp.body(smtp.last_to(email))

    # when the person then asks for erasure
    portal.submit_and_confirm(smtp, email, request_type="erasure", lang="en")
    erasure = DataSubjectRequest.objects.order_by("-pk").first()
    assert erasure is not None
    # then the accounting database and the CRM are done; the register waits for the archive
    states = {key: state["status"] for key, state in erasure.source_states.items()}
    assert states == {"sql:accounting": SourceStatus.DONE, "http:crm": SourceStatus.DONE}
    assert erasure.status == RequestStatus.IN_PROGRESS
    assert demo_crm.find(email) == [] and _customers(engine, email) == 0
    assert Person.objects.filter(email=email).exists()
    # when customer service has shredded what the archive held
    task = ManualTask.objects.get(request=erasure)
    with portal.capture(execute=True):
        services.manual.close_task(actor=actor, task=task, outcome=ManualTaskStatus.DONE)
    # then the erasure is done everywhere, and the reply names each system
    erasure.refresh_from_db()
    assert erasure.status == RequestStatus.DONE
    assert set(erasure.source_states) == SOURCES
    assert not Person.objects.filter(email=email).exists()
    reply = smtp.body(smtp.last_to(email))
    assert "- Accounting system: 6 records erased, some kept (listed above)." in reply
    assert "- CRM: 1 record erased." in reply
    assert "- Paper archive: handled by hand as our instructions say." in reply
    assert "Invoice: The Bookkeeping Act (bokføringsloven § 13)" in reply
    engine.dispose()
