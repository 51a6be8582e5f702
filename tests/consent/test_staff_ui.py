from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from personvern.audit.models import AuditEntry
from personvern.consent.choices import Channel, ConsentMethod
from personvern.consent.models import ConsentState, ConsentText
from personvern.consent.services import Subject, record_consent
from tests.consent.conftest import EVIDENCE, SYSTEM
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_campaign_check_from_a_pasted_list_and_an_upload(sales_user, marketing, consent_text):
    consenting = PersonFactory()
    record_consent(
        actor=SYSTEM,
        subject=Subject(person=consenting),
        purpose=marketing,
        channel=Channel.EMAIL,
        granted=True,
        method=ConsentMethod.WEB_FORM,
        text=consent_text,
        evidence=EVIDENCE,
    )
    url = reverse("admin:consent_campaign_check")
    client = logged_in(sales_user)
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("list.csv", b"email,name\nnobody@example.com,X\n")
    response = client.post(
        url,
        {
            "purpose": marketing.pk,
            "channel": "email",
            "addresses": f"{consenting.email}\nbroken\n",
            "upload": upload,
        },
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(allowed, str(reason)) for _a, allowed, reason in rows][:2] == [
        (True, "The person consented"),
        (False, "Not a valid address for this channel"),
    ]
    assert response.context["allowed"] == 1
    assert len(rows) == 4  # two pasted, the header line and one address from the file
    # and the run is audited once, with the people it concerned and no address
    (entry,) = AuditEntry.objects.filter(action="view", detail__via="admin:campaign-check")
    assert (entry.actor, entry.detail["addresses"]) == (sales_user, 4)
    assert entry.detail["subject_ids"] == [consenting.pk]
    assert "@" not in str(entry.detail)


def test_campaign_check_needs_the_permission(auditor):
    assert logged_in(auditor).get(reverse("admin:consent_campaign_check")).status_code == 403


def test_person_consent_history_shows_exact_text_and_is_audited(
    customer_service, marketing, consent_text
):
    person = PersonFactory()
    record_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=marketing,
        channel=Channel.EMAIL,
        granted=True,
        method=ConsentMethod.WEB_FORM,
        text=consent_text,
        evidence=EVIDENCE,
    )
    client = logged_in(customer_service)
    page = client.get(reverse("admin:register_person_change", args=[person.pk]))
    history_url = reverse("admin:consent_person_history", args=[person.pk])
    assert history_url in page.content.decode()
    response = client.get(history_url)
    assert response.status_code == 200
    assert consent_text.sha256 in response.context["proof_html"]
    # the proof is embedded as an escaped srcdoc, so the frame shows it rather than breaking
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in response.content.decode()
    assert "Ja, jeg vil motta nyhetsbrev" in response.context["proof_html"]
    assert AuditEntry.objects.filter(
        action="view", subject_id=person.pk, detail={"via": "admin:consent"}
    ).exists()


def test_current_consents_and_the_ledger_show_people_by_id_not_by_name(
    privacy_officer, marketing, consent_text
):
    # given a person with a consent
    person = PersonFactory(first_name="Ingeborg", last_name="Kvalsund")
    event = record_consent(
        actor=SYSTEM,
        subject=Subject(person=person),
        purpose=marketing,
        channel=Channel.EMAIL,
        granted=True,
        method=ConsentMethod.WEB_FORM,
        text=consent_text,
        evidence=EVIDENCE,
    )
    client = logged_in(privacy_officer)
    state = ConsentState.objects.get(person=person)
    # when the lists and the read-only pages are opened, then the person is shown by id only
    for url in (
        reverse("admin:consent_consentstate_changelist"),
        reverse("admin:consent_consentstate_change", args=[state.pk]),
        reverse("admin:consent_consentevent_changelist"),
        reverse("admin:consent_consentevent_change", args=[event.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Kvalsund" not in page.content.decode(), url
    assert str(person.pk) in page.content.decode()


def test_texts_are_published_in_the_staff_ui_and_never_edited(privacy_officer):
    client = logged_in(privacy_officer)
    response = client.post(
        reverse("admin:consent_consenttext_add"),
        {
            "kind": "consent_text",
            "slug": "sms-offers",
            "language": "en",
            "title": "SMS offers",
            "text": "Yes, send me offers by SMS.",
            "effective_from_0": "2026-11-25",
            "effective_from_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    text = ConsentText.objects.get()
    assert text.version == 1
    change = reverse("admin:consent_consenttext_change", args=[text.pk])
    client.post(change, {"title": "Changed"})
    assert ConsentText.objects.get().title == "SMS offers"
