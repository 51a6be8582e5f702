"""Property tests of the register's services: whatever text a caller passes (the edge inputs
schemathesis found at the API: NUL, text longer than a column, odd Unicode, numbers as text),
a service either saves a valid record or raises a ``DomainError`` naming fields, and a refusal
writes nothing. Never another exception: on PostgreSQL a NUL or an over-long value used to be a
database error, a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personvern.audit.models import AuditEntry
from personvern.core.errors import DomainError
from personvern.register import services
from personvern.register.models import Company, Interaction, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# Text as clients send it: any Unicode (NUL and surrogates aside, JSON cannot carry those),
# NUL on its own, and long runs past every column.
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=40),
    st.just("Kari\x00Nordmann"),
    st.text(alphabet="abcæøå", min_size=250, max_size=600),
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _saved_or_refused(call, model):
    """Run ``call``; a refusal must name fields and leave no row and no audit entry behind."""
    rows, audited = model.objects.count(), AuditEntry.objects.count()
    try:
        return call()
    except DomainError as refused:
        assert refused.errors and all(e.field for e in refused.errors)
        assert (model.objects.count(), AuditEntry.objects.count()) == (rows, audited)
        return None


@SETTINGS
@given(first_name=TEXT, last_name=TEXT, email=TEXT, phone=TEXT, position=TEXT, category=TEXT)
def test_creating_a_person_saves_or_names_the_fields(
    officer_actor, first_name, last_name, email, phone, position, category
):
    values = services.PersonValues(category=category, first_name=first_name, last_name=last_name,
                                   email=email, phone=phone, position=position)  # fmt: skip
    person = _saved_or_refused(
        lambda: services.create_person(actor=officer_actor, values=values), Person
    )
    if person is not None:
        person.refresh_from_db()
        assert "\x00" not in person.first_name + person.last_name + person.position


@SETTINGS
@given(name=TEXT, city=TEXT, organisation_number=TEXT, website=TEXT, country=TEXT)
def test_creating_a_company_saves_or_names_the_fields(
    officer_actor, name, city, organisation_number, website, country
):
    values = services.CompanyValues(name=name, city=city, country=country, website=website,
                                    organisation_number=organisation_number)  # fmt: skip
    _saved_or_refused(lambda: services.create_company(actor=officer_actor, values=values), Company)


@SETTINGS
@given(channel=TEXT, summary=TEXT)
def test_recording_an_interaction_saves_or_names_the_fields(officer_actor, channel, summary):
    person = PersonFactory()
    _saved_or_refused(
        lambda: services.record_interaction(
            actor=officer_actor, person=person, channel=channel, summary=summary
        ),
        Interaction,
    )
