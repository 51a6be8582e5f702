"""After a refused call nothing is half-written: one refused write per endpoint family, each
built so that part of it is valid (the first of several items, the first of several fields),
and every table in the database holds exactly the rows it held before, with the same values.

The snapshot counts and fingerprints the rows of every model (audit log, ledger, outbox and job
tables included), so a write that slipped through anywhere fails the test, whatever table the
refused operation might have touched."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.apps import apps
from django.core import serializers
from django.utils import timezone

from personvern.accounts.choices import Role
from personvern.retention.services import set_hold
from tests.api.conftest import assert_problem, token_client
from tests.conftest import user_with_role
from tests.consent.conftest import SYSTEM
from tests.factories import (
    CompanyFactory,
    PersonFactory,
    ProcessingActivityFactory,
    ProcessorFactory,
)

pytestmark = pytest.mark.django_db

# Tables a refused request may still touch by design: sessions, sign-in throttling, the
# per-address rate-limit counters, the IP security log (which records refused requests) and
# the API token's "last used" time.
TOUCHED_BY_DESIGN = {"sessions", "axes", "core", "website.iplogentry", "accounts.apitoken"}


def snapshot() -> dict[str, tuple[int, str]]:
    """Per model: how many rows and a digest of their serialised values."""
    state: dict[str, tuple[int, str]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in TOUCHED_BY_DESIGN or label in TOUCHED_BY_DESIGN:
            continue
        rows = model._base_manager.order_by("pk")
        digest = hashlib.sha256(serializers.serialize("json", rows).encode()).hexdigest()
        state[label] = (rows.count(), digest)
    return state


PERSON, ACTIVITY, TEXT = "<person>", "<activity>", "<text>"
REVIEW_ON = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
ENTRY = {"at": "2026-01-05T10:00:00+01:00", "method": "GET", "path": "/", "status": 200}
CHOICE = {"purpose_id": ACTIVITY, "channel": "email", "granted": True, "text_id": TEXT}

# name: (method, path, body, status[, role, the privacy officer's by default]); PERSON, ACTIVITY
# and TEXT stand for the given objects' ids
CALLS = {
    "person created with a bad phone": (
        "post", "/api/people", {"category": "customer_contact", "first_name": "Kari",
                                "last_name": "Nordmann", "phone": "12"}, 422),
    "person corrected with a bad e-mail": (
        "patch", f"/api/people/{PERSON}", {"first_name": "Ola", "email": "nei"}, 422),
    "company with a bad organisation number": (
        "post", "/api/companies", {"name": "Fjord AS", "organisation_number": "123"}, 422),
    "interaction on an unknown channel": (
        "post", "/api/interactions", {"person_id": PERSON, "channel": "pigeon"}, 422),
    "activity with an unknown data category": (
        "post", "/api/activities", {"name": "Nyhetsbrev", "purpose": "Markedsføring",
                                    "legal_basis": "consent",
                                    "data_categories": ["user.contact.email", "no.such"]}, 422),
    "activity changed with a bad legal basis": (
        "patch", f"/api/activities/{ACTIVITY}", {"name": "Nytt navn", "legal_basis": "whim"},
        422),
    "processor with an unknown data category": (
        "post", "/api/processors", {"name": "Lønn AS", "country": "NO", "services": "Lønn",
                                    "data_categories": ["no.such"]}, 422),
    "consent choices, the second one bad": (
        "post", "/api/consent/choices",
        {"person_id": PERSON, "method": "web_form",
         "choices": [CHOICE, {**CHOICE, "channel": "pigeon"}]}, 422),
    "request to a bad portability address": (
        "post", "/api/requests", {"request_type": "portability", "email": "kari@example.org",
                                  "received_channel": "phone", "verification_note": "Ringte",
                                  "destination_url": "https://example.org:99999/x"}, 422),
    "cookie with an illegal name": (
        "post", "/api/website/cookies", {"name": "a b", "provider": "Oss",
                                         "category": "necessary", "description": "x",
                                         "lifetime_days": 1, "domain": "example.org"}, 422),
    "block of something that is no network": (
        "post", "/api/website/blocklist", {"network": "10.0.0.0/33", "reason": "x",
                                           "review_on": REVIEW_ON}, 422),
    "IP-log batch, the second entry bad": (
        "post", "/api/website/ip-log",
        {"entries": [{**ENTRY, "ip_address": "2001:db8::7"},
                     {**ENTRY, "ip_address": "fe80::1%eth0"}]}, 422, Role.SECURITY),
    "person deleted under a legal hold": ("delete", f"/api/people/{PERSON}", None, 409),
}  # fmt: skip


def resolve(value, ids):
    """The call with the placeholders replaced by the given objects' ids."""
    if isinstance(value, str):
        for placeholder, pk in ids.items():
            if value == placeholder:
                return pk
            value = value.replace(placeholder, str(pk))
        return value
    if isinstance(value, list | tuple):
        return type(value)(resolve(v, ids) for v in value)
    if isinstance(value, dict):
        return {k: resolve(v, ids) for k, v in value.items()}
    return value


@pytest.fixture
def ids(officer_actor):
    """A person under a legal hold, a consent-based activity and its consent text."""
    from personvern.consent.choices import TextKind
    from personvern.consent.services import publish_text

    person = PersonFactory(company=CompanyFactory())
    activity = ProcessingActivityFactory(legal_basis="consent", status="active")
    activity.processors.set([ProcessorFactory()])
    text = publish_text(actor=SYSTEM, kind=TextKind.CONSENT_TEXT, slug="nyhetsbrev",
                        language="nb", title="Nyhetsbrev", text="Ja takk.")  # fmt: skip
    set_hold(actor=officer_actor, record_type="person", record_id=person.pk, reason="Tvist")
    return {PERSON: person.pk, ACTIVITY: activity.pk, TEXT: text.pk}


@pytest.mark.parametrize("case", CALLS)
def test_a_refused_write_leaves_every_table_as_it_was(privacy_officer, ids, case):
    method, path, body, status, *role = resolve(CALLS[case], ids)
    api = token_client(user_with_role(Role(role[0])) if role else privacy_officer)
    before = snapshot()
    # when the write is refused
    call = getattr(api, method)
    response = call(path) if body is None else call(path, body)
    # then it says so, and nothing anywhere changed
    assert_problem(response, status)
    assert snapshot() == before
