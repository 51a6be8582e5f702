"""Helpers for the request tests: a real SMTP server (aiosmtpd) on 127.0.0.1 that collects
every letter, the demo-like controller, and the steps a person takes in the portal."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from personvern.consent.choices import ConsentMethod, TextKind
from personvern.consent.services import Evidence, Subject, publish_text, record_consent
from personvern.core.actors import Actor
from personvern.processing.choices import ActivityStatus, CommunicationKind, LegalBasis
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person
from tests.browser.conftest import browser, chromium  # noqa: F401 - the portal browser tests
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ProcessingActivityFactory,
    ProcessorFactory,
    SupervisoryAuthorityFactory,
)

PORTAL = "http://testserver"
SYSTEM = Actor.for_system("tests")


@dataclass
class Mailbox:
    """What the SMTP server received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def last_to(self, address: str) -> EmailMessage:
        received = self.to(address)
        assert received, f"no mail to {address}; got {[m['Subject'] for m in self.messages]}"
        return received[-1]

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    def subjects(self, address: str) -> list[str]:
        # A long non-ASCII subject arrives folded: read it as one line.
        return [" ".join(str(m["Subject"]).split()) for m in self.to(address)]


class _Collector:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.mailbox.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    """A local SMTP server; Django's SMTP backend sends every letter to it."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(_Collector(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "personvern@numeri.example"
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def portal_settings(settings) -> None:
    settings.PERSONVERN = {**settings.PERSONVERN, "PORTAL_URL": PORTAL}


@pytest.fixture
def controller(db):
    authority = SupervisoryAuthorityFactory(
        website="https://www.datatilsynet.no",
        phone="+4722396900",
        postal_address="Postboks 458 Sentrum, 0105 Oslo",
    )
    return OrganisationFactory(
        legal_name="Numeri AS",
        supervisory_authority=authority,
        privacy_contact_email="post@numeri.example",
    )


@pytest.fixture
def activities(db):
    """The record of processing: customer care on contract (with a US processor on SCCs),
    a newsletter on consent, and sales calls on legitimate interest."""
    crm = ProcessorFactory(name="CRM Cloud Inc.", country="US", transfer_mechanism="scc")
    customer = ProcessingActivityFactory(
        name="Customer relationship",
        purpose="Handle the customer relationship.",
        legal_basis=LegalBasis.CONTRACT,
        status=ActivityStatus.ACTIVE,
        recipients="Our auditor",
        retention="3 years after the relationship ends",
        sources="From you and your employer",
    )
    customer.processors.add(crm)
    newsletter = ProcessingActivityFactory(
        name="Newsletter",
        purpose="Send the newsletter.",
        legal_basis=LegalBasis.CONSENT,
        communication=CommunicationKind.DIRECT_MARKETING,
        status=ActivityStatus.ACTIVE,
    )
    sales = ProcessingActivityFactory(
        name="Sales follow-up",
        purpose="Offer our services.",
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        communication=CommunicationKind.DIRECT_MARKETING,
        status=ActivityStatus.ACTIVE,
    )
    return {"customer": customer, "newsletter": newsletter, "sales": sales}


def give_consent(person: Person, purpose: ProcessingActivity, channel: str = "email") -> None:
    text = publish_text(
        actor=SYSTEM,
        kind=TextKind.CONSENT_TEXT,
        slug=f"c-{purpose.pk}",
        language="nb",
        title="Samtykke",
        text=f"Ja til {purpose.name}.",
    )
    record_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=purpose,
        channel=channel,
        granted=True,
        method=ConsentMethod.WEB_FORM,
        text=text,
        evidence=Evidence(ip_address="198.51.100.7"),
    )


@pytest.fixture
def kari(db, controller, activities):
    """The person who asks, with a consent and an interaction."""
    person = PersonFactory(
        first_name="Kari",
        last_name="Nordmann",
        email="kari@example.com",
        phone="+4791234567",
        position="Controller",
    )
    give_consent(person, activities["newsletter"])
    return person


@pytest.fixture
def ola(db, controller, activities):
    """Someone else with similar data, who must never appear in Kari's answers."""
    person = PersonFactory(
        first_name="Ola",
        last_name="Nordmann",
        email="ola@example.com",
        phone="+4791234568",
        position="Controller",
    )
    give_consent(person, activities["newsletter"])
    return person


LINK = re.compile(r"http://testserver(/portal/(?:verify|download)/[A-Za-z0-9_\-]+/)")


def link_in(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return found.group(1)


class Portal:
    """The person's side: the portal in Django's test client, jobs run as they commit."""

    def __init__(self, client: Client, capture: Any) -> None:
        self.client = client
        self.capture = capture

    def submit(self, **data: Any) -> Any:
        data.setdefault("lang", "nb")
        with self.capture(execute=True):
            return self.client.post(f"/portal/?lang={data['lang']}", data)

    def confirm(self, path: str) -> Any:
        page = self.client.get(path)
        assert page.status_code == 200, page.content
        with self.capture(execute=True):
            return self.client.post(path)

    def submit_and_confirm(self, smtp: Mailbox, address: str, **data: Any) -> Any:
        response = self.submit(email=address, **data)
        assert response.status_code == 302, response.content
        return self.confirm(link_in(smtp.body(smtp.last_to(address))))


@pytest.fixture
def portal(client, django_capture_on_commit_callbacks) -> Portal:
    return Portal(client, django_capture_on_commit_callbacks)
