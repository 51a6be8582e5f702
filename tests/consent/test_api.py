"""The consent API: round trip, clear answers for bad input, checks and imports."""

from __future__ import annotations

import json

import pytest

from personvern.audit.models import AuditEntry
from personvern.consent.models import ConsentEvent
from tests.api.conftest import assert_problem, session_client, token_client
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def consent_body(person, purpose, text, **overrides):
    return {
        "person_id": person.pk,
        "purpose_id": purpose.pk,
        "channel": "email",
        "granted": True,
        "method": "web_form",
        "text_id": text.pk,
        "evidence": {
            "ip_address": "2001:db8:1234:5678::1",
            "user_agent": "UA/1",
            "form_id": "newsletter",
        },
        **overrides,
    }


def test_record_check_withdraw_through_the_api(customer_service, person, marketing, consent_text):
    api = token_client(customer_service)
    # when a consent is recorded, then it is stored with masked evidence
    response = api.post("/api/consent/events", consent_body(person, marketing, consent_text))
    assert response.status_code == 201, response.content
    event = response.json()
    assert event["evidence"]["masked_ip"] == "2001:db8:1234::"
    check = {"person_id": person.pk, "purpose_id": marketing.pk, "channel": "email"}
    assert api.post("/api/consent/check", check).json()["reason"] == "consent"
    # when withdrawn, then the next check answers no with the reason
    withdrawal = api.post(
        "/api/consent/withdrawals",
        {
            "person_id": person.pk,
            "purpose_id": marketing.pk,
            "channel": "email",
            "method": "web_form",
        },
    )
    assert withdrawal.status_code == 201
    answer = api.post("/api/consent/check", check).json()
    assert (answer["allowed"], answer["reason"]) == (False, "opted_out")
    assert answer["reason_text"]
    # and a second withdrawal is answered clearly, as a problem, not an error page
    again = api.post(
        "/api/consent/withdrawals",
        {
            "person_id": person.pk,
            "purpose_id": marketing.pk,
            "channel": "email",
            "method": "web_form",
        },
    )
    assert_problem(again, 409, field="purpose_id", code="no_consent_to_withdraw")


def test_ledger_of_a_person_has_the_exact_texts_and_is_audited(
    privacy_officer, person, marketing, consent_text
):
    api = session_client(privacy_officer)
    api.post("/api/consent/events", consent_body(person, marketing, consent_text))
    other = PersonFactory()
    api.post("/api/consent/events", consent_body(other, marketing, consent_text))
    ledger = api.get(f"/api/consent/people/{person.pk}/ledger").json()
    assert len(ledger) == 1
    assert ledger[0]["text"]["text"] == consent_text.text
    assert ledger[0]["text"]["sha256"] == consent_text.sha256
    assert AuditEntry.objects.filter(action="view", subject_id=person.pk).exists()
    state = api.get(f"/api/consent/people/{person.pk}/state").json()
    assert [(s["channel"], s["action"]) for s in state] == [("email", "granted")]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"channel": "pigeon"}, "channel", "invalid_channel"),
        ({"method": "telepathy"}, "method", "invalid_method"),
        ({"text_id": 999_999}, "text_id", "not_found"),
        ({"purpose_id": 999_999}, "purpose_id", "not_found"),
        ({"person_id": None}, "person_id", "subject_required"),
        ({"granted": "maybe"}, "granted", "bool_type"),
        ({"granted": 1}, "granted", "bool_type"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    customer_service, person, marketing, consent_text, overrides, field, code
):
    response = token_client(customer_service).post(
        "/api/consent/events", consent_body(person, marketing, consent_text, **overrides)
    )
    assert_problem(response, 422, field=field, code=code)
    assert not ConsentEvent.objects.exists()


def test_bulk_check_answers_by_index_with_counts(sales_user, marketing, consent_text):
    consenting = PersonFactory()
    session_client(sales_user).post(
        "/api/consent/events", consent_body(consenting, marketing, consent_text)
    )
    response = token_client(sales_user).post(
        "/api/consent/bulk-check",
        {
            "purpose_id": marketing.pk,
            "channel": "email",
            "addresses": [consenting.email, "nobody@example.com", "broken"],
        },
    )
    body = response.json()
    assert (body["allowed"], body["refused"]) == (1, 2)
    assert body["by_reason"] == {"consent": 1, "unknown_person": 1, "invalid_address": 1}
    assert [r["index"] for r in body["results"]] == [0, 1, 2]


def test_reading_state_and_checking_a_person_are_audited_per_person(
    sales_user, privacy_officer, person, marketing, consent_text
):
    # given a person with a consent
    session_client(privacy_officer).post(
        "/api/consent/events", consent_body(person, marketing, consent_text)
    )
    views = AuditEntry.objects.filter(action="view", subject_id=person.pk)
    # when their current consents are read, then that is one view of the person
    state = session_client(privacy_officer).get(f"/api/consent/people/{person.pk}/state")
    assert state.status_code == 200
    assert views.get().detail == {"via": "api:consent-state"}
    # when sales checks whether they may be contacted, then so is that
    check = {"person_id": person.pk, "purpose_id": marketing.pk, "channel": "email"}
    assert token_client(sales_user).post("/api/consent/check", check).json()["allowed"]
    assert views.filter(detail__via="api:consent-check", actor=sales_user).count() == 1


def test_a_bulk_check_is_one_audit_entry_with_the_people_it_concerned(
    sales_user, marketing, consent_text
):
    # given two people in the register, one of them with a consent
    consenting, silent = PersonFactory(), PersonFactory()
    session_client(sales_user).post(
        "/api/consent/events", consent_body(consenting, marketing, consent_text)
    )
    # when a campaign list with them and a stranger is checked
    addresses = [consenting.email, "stranger@example.com", silent.email.upper()]
    response = token_client(sales_user).post(
        "/api/consent/bulk-check",
        {"purpose_id": marketing.pk, "channel": "email", "addresses": addresses},
    )
    assert response.status_code == 200, response.content
    # then one audit entry names the count and the people, never an address
    (entry,) = AuditEntry.objects.filter(action="view", object_type="consent.consentstate")
    assert entry.actor == sales_user
    assert entry.detail == {
        "via": "api:consent-bulk-check",
        "purpose_id": marketing.pk,
        "channel": "email",
        "addresses": 3,
        "subjects": 2,
        "subject_ids": sorted([consenting.pk, silent.pk]),
    }
    assert "@" not in str(entry.detail)


def test_a_campaign_list_of_100_000_addresses_can_be_sent(sales_user, marketing):
    # given the largest campaign list the check takes, about 4 MB of JSON
    addresses = [
        f"campaign.recipient.{n:06d}@customer-{n % 97:02d}.example.no" for n in range(100_000)
    ]
    body = {"purpose_id": marketing.pk, "channel": "email", "addresses": addresses}
    assert len(json.dumps(body)) > 4_000_000
    # when it is posted, then every address is answered
    response = token_client(sales_user).post("/api/consent/bulk-check", body)
    assert response.status_code == 200, response.content[:500]
    assert response.json()["by_reason"] == {"unknown_person": 100_000}


def test_a_body_over_the_limit_is_a_413_problem(sales_user, marketing, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"purpose_id": marketing.pk, "channel": "email", "addresses": ["a@example.com"] * 100}
    response = token_client(sales_user).post("/api/consent/bulk-check", body)
    problem = assert_problem(response, 413, code="request_too_large")
    assert "1000 byte" in problem["detail"]  # in the request's language (bokmål here)


def test_lead_import_reports_refused_rows(sales_user):
    response = token_client(sales_user).post(
        "/api/consent/leads/import",
        {
            "source_party": "Leadbroker AS",
            "rows": [
                {"first_name": "A", "email": "a@example.com", "consent_reference": "X-1"},
                {"first_name": "B", "email": "b@example.com"},
            ],
        },
    )
    body = response.json()
    assert len(body["accepted"]) == 1
    assert body["refused"][0]["row"] == 2
    assert body["refused"][0]["code"] == "consent_proof_required"


def test_auditor_cannot_record_and_sales_cannot_publish_texts(
    auditor, sales_user, person, marketing, consent_text
):
    response = token_client(auditor).post(
        "/api/consent/events", consent_body(person, marketing, consent_text)
    )
    assert_problem(response, 403, code="permission_denied")
    response = token_client(sales_user).post(
        "/api/consent/texts",
        {"kind": "consent_text", "slug": "x", "language": "nb", "title": "T", "text": "T"},
    )
    assert_problem(response, 403, code="permission_denied")


def test_opt_out_and_objection_endpoints(customer_service, person, marketing, consent_text):
    api = token_client(customer_service)
    api.post("/api/consent/events", consent_body(person, marketing, consent_text))
    body = api.post("/api/consent/opt-outs", {"person_id": person.pk, "method": "web_form"})
    assert body.json()["withdrawn"] == 1
    check = {"person_id": person.pk, "purpose_id": marketing.pk, "channel": "sms"}
    assert api.post("/api/consent/check", check).json()["reason"] == "objection"


@pytest.mark.parametrize(
    ("method", "code"), [("bogus", "invalid_method"), ("x" * 21, "string_too_long")]
)
@pytest.mark.parametrize("path", ["/api/consent/objections", "/api/consent/opt-outs"])
def test_objection_and_opt_out_refuse_an_unknown_method(
    customer_service, person, path, method, code
):
    response = token_client(customer_service).post(path, {"person_id": person.pk, "method": method})
    assert_problem(response, 422, field="method", code=code)
    assert not ConsentEvent.objects.exists()


def test_reservation_import_counts(privacy_officer):
    body = (
        token_client(privacy_officer)
        .post(
            "/api/consent/reservations/import",
            {"numbers": ["41234567", "+47 412 34 567", "123"], "source": "registry"},
        )
        .json()
    )
    assert body == {"added": 1, "already": 0, "invalid": 1, "removed": 0}


def test_several_choices_are_one_batch_in_the_ledger(
    customer_service, person, marketing, consent_text
):
    body = {"person_id": person.pk, "method": "web_form",
            "evidence": {"ip_address": "192.0.2.44"},
            "choices": [
                {"purpose_id": marketing.pk, "channel": "email", "granted": True,
                 "text_id": consent_text.pk},
                {"purpose_id": marketing.pk, "channel": "sms", "granted": False,
                 "text_id": consent_text.pk},
            ]}  # fmt: skip
    response = token_client(customer_service).post("/api/consent/choices", body)
    assert response.status_code == 201, response.content
    events = response.json()
    assert [(e["channel"], e["action"]) for e in events] == [
        ("email", "granted"),
        ("sms", "refused"),
    ]
    assert events[1]["sequence"] == events[0]["sequence"] + 1
    bad = {**body, "choices": [{**body["choices"][0], "channel": "pigeon"}]}
    assert_problem(
        token_client(customer_service).post("/api/consent/choices", bad),
        422,
        field="channel",
        code="invalid_channel",
    )
    assert ConsentEvent.objects.count() == 2


def test_a_consent_to_a_text_names_the_notice_and_every_response_fits_its_schema(
    customer_service, person, marketing, consent_text
):
    # given a published privacy notice in effect in the consent text's language
    from personvern.consent.choices import TextKind
    from personvern.consent.services import publish_text
    from tests.consent.conftest import SYSTEM

    notice = publish_text(
        actor=SYSTEM, kind=TextKind.PRIVACY_NOTICE, slug="privacy-notice", language="nb",
        title="Personvernerklæring", text="Erklæringen.",
    )  # fmt: skip
    api = token_client(customer_service)

    # when a consent to the text is recorded, one at a time and as a batch of choices
    single = api.post("/api/consent/events", consent_body(person, marketing, consent_text))
    batch = api.post(
        "/api/consent/choices",
        {
            "person_id": person.pk,
            "method": "web_form",
            "choices": [
                {"purpose_id": marketing.pk, "channel": "sms", "granted": True,
                 "text_id": consent_text.pk},
            ],
        },
    )  # fmt: skip
    ledger = api.get(f"/api/consent/people/{person.pk}/ledger")

    # then each answer is a success that names the notice in effect (the schema check in
    # tests/api/schema_check.py validates every body), and each event was written once
    assert (single.status_code, batch.status_code, ledger.status_code) == (201, 201, 200)
    named = {"id": notice.pk, "version": notice.version, "sha256": notice.sha256}
    assert single.json()["evidence"]["privacy_notice"] == named
    assert batch.json()[0]["evidence"]["privacy_notice"] == named
    assert [e["evidence"]["privacy_notice"] for e in ledger.json()] == [named, named]
    assert ConsentEvent.objects.count() == 2
