"""The portal per right: a first step that chooses the right, then that right's fields only;
links in letters that keep the person's language; a status page behind the link in every
letter."""

from __future__ import annotations

import re

import pytest

from personvern.rights.choices import RequestStatus, RequestType
from personvern.rights.models import DataSubjectRequest
from personvern.rights.portal.forms import RIGHT_FIELDS

pytestmark = pytest.mark.django_db

OPTIONAL_FIELDS = {"details", "destination_url", "objection_scopes", "consent_purposes"}
STATUS_LINK = re.compile(r"http://testserver(/portal/status/[A-Za-z0-9_\-]+/)\?lang=(nb|en)")


def _field_names(html: str) -> set[str]:
    return set(re.findall(r'name="([a-z_]+)"', html)) & (OPTIONAL_FIELDS | {"email"})


@pytest.mark.parametrize("right", RequestType.values)
def test_a_chosen_right_shows_its_own_fields_only(client, controller, activities, right):
    # when a person chooses the right in the first step (a GET form: no JavaScript needed)
    page = client.get("/portal/", {"right": right, "lang": "en"})
    # then the page asks for the address and that right's fields, none of another right's
    assert page.status_code == 200
    assert _field_names(page.content.decode()) == {"email", *RIGHT_FIELDS[right]}
    assert f'name="request_type" value="{right}"' in page.content.decode()


def test_the_first_step_lists_every_right_with_a_continue_button(client, controller):
    page = client.get("/portal/?lang=en").content.decode()
    for right in RequestType.values:
        assert f'name="right" value="{right}"' in page
        # every right's form is on the page for portal.js, hidden until chosen
        assert (
            f'<section class="right-form" id="right-{right}" data-right="{right}" hidden>' in page
        )
    assert 'id="choose-continue"' in page
    assert "<script>" not in page and "onclick" not in page


def test_an_unknown_right_asks_again(client, controller):
    page = client.get("/portal/", {"right": "everything", "lang": "en"})
    assert page.status_code == 200
    assert "Choose one of the rights below." in page.content.decode()


def test_another_rights_fields_are_not_taken(portal, smtp, controller):
    # given an access request posted with a portability destination and details
    response = portal.submit(
        email="kari@example.com",
        request_type="access",
        details="Please hurry",
        destination_url="https://other.example/import",
    )
    # then it is received as an access request without them
    assert response.status_code == 302
    request = DataSubjectRequest.objects.get()
    assert (request.request_type, request.details, request.destination_url) == ("access", "", "")


def test_a_form_error_keeps_the_right_and_its_fields(client, controller):
    page = client.post(
        "/portal/?lang=en", {"request_type": "portability", "email": "nope", "lang": "en"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="errorlist' in html and 'aria-invalid="true"' in html
    assert _field_names(html) == {"email", "destination_url"}
    # the language switch keeps the right
    assert 'href="?lang=nb&amp;right=portability"' in html


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_links_in_letters_keep_the_persons_language(portal, smtp, kari, lang):
    # when Kari asks in one language and her browser asks for the other
    portal.submit(email="kari@example.com", request_type="access", lang=lang)
    body = smtp.body(smtp.last_to("kari@example.com"))
    # then every portal link in the letter names her language
    links = re.findall(r"http://testserver/portal/\S+", body)
    assert links and all(link.endswith(f"?lang={lang}") for link in links)
    other = "en" if lang == "nb" else "nb"
    path = links[0].removeprefix("http://testserver")
    page = portal.client.get(path, HTTP_ACCEPT_LANGUAGE=other)
    assert page.status_code == 200 and page["Content-Language"] == lang


def test_the_status_page_follows_the_request(portal, smtp, kari):
    # given a request, and the status link in its acknowledgement
    portal.submit(email="kari@example.com", request_type="access", lang="en")
    request = DataSubjectRequest.objects.get()
    found = STATUS_LINK.search(smtp.body(smtp.last_to("kari@example.com")))
    assert found and found.group(2) == "en"
    path = found.group(1)
    # when Kari opens it, she sees the request awaiting her confirmation, with its deadline
    page = portal.client.get(f"{path}?lang=en").content.decode()
    assert request.reference in page
    assert 'data-status="awaiting_verification"' in page
    assert "We received the request" in page and 'id="request-deadline"' in page
    # and nothing personal: no address, no name
    assert "kari@example.com" not in page and "Nordmann" not in page
    # once confirmed and answered, the same link (it is not single-use) shows it done
    portal.confirm(
        re.search(
            r"http://testserver(/portal/verify/\S+/)", smtp.body(smtp.to("kari@example.com")[0])
        ).group(1)
    )
    assert DataSubjectRequest.objects.get().status == RequestStatus.DONE
    page = portal.client.get(f"{path}?lang=en").content.decode()
    assert 'data-status="done"' in page
    assert "You confirmed the request" in page and "The request was completed" in page
    assert 'id="request-deadline"' not in page
    assert page.count("<li>") == 4  # received, confirmed, started, completed


def test_an_unknown_status_link_gets_the_invalid_link_page(client, controller):
    response = client.get("/portal/status/not-a-token/")
    assert response.status_code == 404
    assert 'id="invalid-message"' in response.content.decode()


def test_a_verification_link_does_not_open_the_status_page(portal, smtp, kari):
    portal.submit(email="kari@example.com", request_type="access")
    verify = re.search(
        r"/portal/verify/([A-Za-z0-9_\-]+)/", smtp.body(smtp.last_to("kari@example.com"))
    ).group(1)
    assert portal.client.get(f"/portal/status/{verify}/").status_code == 404


def test_every_letter_to_the_person_links_to_the_status_page(portal, smtp, kari):
    portal.submit(email="kari@example.com", request_type="access", lang="en")
    portal.confirm(
        re.search(r"http://testserver(/portal/verify/\S+/)", smtp.body(
            smtp.last_to("kari@example.com"))).group(1)
    )
    letters = smtp.to("kari@example.com")
    assert len(letters) >= 3  # acknowledged, verified, package ready
    for letter in letters:
        assert STATUS_LINK.search(smtp.body(letter)), letter["Subject"]
