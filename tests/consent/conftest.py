from __future__ import annotations

import pytest

from personvern.consent.choices import TextKind
from personvern.consent.services import Evidence, publish_text
from personvern.core.actors import Actor
from personvern.processing.choices import ActivityStatus, CommunicationKind, LegalBasis
from tests.factories import PersonFactory, ProcessingActivityFactory

SYSTEM = Actor.for_system("test")
EVIDENCE = Evidence(ip_address="203.0.113.77", user_agent="Mozilla/5.0 test", form_id="signup")


@pytest.fixture
def marketing(db):
    """Direct marketing on consent, active."""
    return ProcessingActivityFactory(
        name="Newsletter",
        legal_basis=LegalBasis.CONSENT,
        communication=CommunicationKind.DIRECT_MARKETING,
        status=ActivityStatus.ACTIVE,
    )


@pytest.fixture
def own_services_marketing(db):
    """Marketing of own similar services to existing customers (legitimate interest)."""
    return ProcessingActivityFactory(
        name="Customer offers",
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        communication=CommunicationKind.DIRECT_MARKETING,
        existing_customer_exception=True,
        status=ActivityStatus.ACTIVE,
    )


@pytest.fixture
def invoicing(db):
    return ProcessingActivityFactory(
        name="Invoicing",
        legal_basis=LegalBasis.CONTRACT,
        communication=CommunicationKind.SERVICE_MESSAGES,
        status=ActivityStatus.ACTIVE,
    )


@pytest.fixture
def consent_text(db):
    return publish_text(
        actor=SYSTEM,
        kind=TextKind.CONSENT_TEXT,
        slug="newsletter-email",
        language="nb",
        title="Nyhetsbrev",
        text="Ja, jeg vil motta nyhetsbrev på e-post fra Numeri AS. Du kan trekke samtykket.",
    )


@pytest.fixture
def person(db):
    return PersonFactory()
