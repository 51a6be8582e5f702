"""The staff UI and the CSV export name each audit entry's event in the reader's language
(bokmål by default, English when the browser asks for it), and filter by domain and type."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:audit_auditentry_changelist")
EXPORT = reverse("admin:audit_auditentry_export")
# (language asked for, the name of a hold being set, the name of a person being viewed)
LANGUAGES = [
    ("nb", "Bevaringspålegg satt", "Person vist"),
    ("en", "Legal hold set", "Person viewed"),
]


def named(page: bytes) -> list[str]:
    """The event column of the list's rows."""
    return re.findall(r'<td class="field-event_type">([^<]*)</td>', page.decode())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def entries():
    system = Actor.for_system("test")
    record(actor=system, event=AuditEventType.HOLD_SET, object_type="retention.legalhold",
           object_id=7, fields=["reason"])  # fmt: skip
    record(actor=system, event=AuditEventType.PERSON_VIEWED, object_type="register.person",
           object_id=8, subject_id=8, detail={"via": "admin"})  # fmt: skip


@pytest.mark.parametrize(("language", "hold_set", "viewed"), LANGUAGES)
def test_the_audit_log_names_events_in_the_readers_language(
    auditor, entries, language, hold_set, viewed
):
    page = client_for(auditor).get(LIST, HTTP_ACCEPT_LANGUAGE=language).content
    assert named(page) == [viewed, hold_set]


@pytest.mark.parametrize(("language", "hold_set", "viewed"), LANGUAGES)
def test_the_export_names_events_in_the_readers_language_and_by_type(
    privacy_officer, entries, language, hold_set, viewed
):
    response = client_for(privacy_officer).get(EXPORT, HTTP_ACCEPT_LANGUAGE=language)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["event_type"], row["event"]) for row in rows] == [
        (AuditEventType.HOLD_SET.value, hold_set),
        (AuditEventType.PERSON_VIEWED.value, viewed),
    ]


def test_the_log_filters_by_domain_and_by_type(auditor, entries):
    client = client_for(auditor)
    retention = client.get(LIST, {"domain": "retention"}, HTTP_ACCEPT_LANGUAGE="en")
    assert named(retention.content) == ["Legal hold set"]
    viewed = client.get(LIST, {"event_type": AuditEventType.PERSON_VIEWED.value},
                        HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert named(viewed.content) == ["Person viewed"]


def test_an_objects_history_shows_its_events_by_name(privacy_officer):
    person = PersonFactory()
    client = client_for(privacy_officer)
    client.get(reverse("admin:register_person_change", args=[person.pk]))
    history = client.get(reverse("admin:register_person_history", args=[person.pk]))
    page = client.get(history["Location"], HTTP_ACCEPT_LANGUAGE="en").content
    assert named(page) == ["Person viewed"]
