"""The portal never tells whether an address is in the register: the same page and the same
acknowledgement whoever asks; only after proving control of the address does a reply say
whether we hold data. Links are single-use, and every bad link gets the same answer."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest, RequestToken
from tests.rights.conftest import link_in

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"PV-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _normalised(text: str) -> str:
    tokens = r"/portal/(verify|status)/[A-Za-z0-9_\-]+/"
    return re.sub(tokens, r"/portal/\1/<token>/", REFERENCE.sub("<ref>", text))


def test_known_and_unknown_addresses_get_the_same_page_and_mail(portal, smtp, kari):
    known = portal.submit(email="kari@example.com", request_type="access")
    unknown = portal.submit(email="nobody@example.com", request_type="access")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert (
        portal.client.get(known["Location"]).content
        == portal.client.get(unknown["Location"]).content
    )
    mine, theirs = smtp.last_to("kari@example.com"), smtp.last_to("nobody@example.com")
    assert _normalised(str(mine["Subject"])) == _normalised(str(theirs["Subject"]))
    assert _normalised(smtp.body(mine)) == _normalised(smtp.body(theirs))
    # nothing is matched before verification
    assert not DataSubjectRequest.objects.filter(person__isnull=False).exists()


def test_an_unknown_address_learns_there_is_no_data_only_after_verification(portal, smtp, kari):
    portal.submit_and_confirm(smtp, "nobody@example.com", request_type="access", lang="en")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE and request.person is None
    assert "we hold no personal data about you" in smtp.body(smtp.last_to("nobody@example.com"))
    assert not smtp.to("kari@example.com")


def test_used_expired_and_unknown_links_get_the_same_answer(portal, smtp, kari):
    portal.submit(email="kari@example.com", request_type="access")
    path = link_in(smtp.body(smtp.last_to("kari@example.com")))
    portal.confirm(path)
    used = portal.client.post(path)
    unknown = portal.client.post("/portal/verify/not-a-token/")
    portal.submit(email="kari@example.com", request_type="erasure")
    expiring = link_in(smtp.body(smtp.last_to("kari@example.com")))
    RequestToken.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = portal.client.get(expiring)
    assert used.status_code == unknown.status_code == expired.status_code == 404
    assert used.content == unknown.content == expired.content
    # the token itself is never stored
    assert path.split("/")[3] not in str(
        list(RequestToken.objects.values_list("digest", flat=True))
    )


def test_references_are_random(kari):
    from personvern.rights.services.common import new_reference

    references = {new_reference() for _ in range(200)}
    assert len(references) == 200 and all(REFERENCE.fullmatch(r) for r in references)


def test_the_portal_is_bokmal_by_default_and_english_on_request(client, controller):
    nb = client.get("/portal/")
    assert nb["Content-Language"] == "nb" and b'<html lang="nb">' in nb.content
    en = client.get("/portal/?lang=en")
    assert en["Content-Language"] == "en" and b"What do you want to do?" in en.content
    browser_en = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert browser_en["Content-Language"] == "en"


def test_forms_are_csrf_protected(controller):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/portal/", {"email": "kari@example.com", "request_type": "access"})
    assert response.status_code == 403
