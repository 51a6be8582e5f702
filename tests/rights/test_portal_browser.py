"""The portal in a real headless Chromium: each right's flow, with JavaScript and without,
on a desktop and on a phone, checked with axe-core (WCAG 2.1 AA: no serious or critical
violation on any page of the flow). The screenshots in docs/screenshots come from here."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from personvern.rights.choices import RequestStatus, RequestType
from personvern.rights.models import DataSubjectRequest
from personvern.rights.portal.forms import RIGHT_FIELDS
from tests.browser.pages import axe_violations, screenshot
from tests.rights.conftest import LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUS = re.compile(r"http://testserver(/portal/status/[A-Za-z0-9_\-]+/\?lang=(?:nb|en))")
OPTIONAL = ("details", "destination_url", "objection_scopes", "consent_purposes")


def visible_fields(browser, right: str) -> set[str]:
    section = browser.find_element(By.ID, f"right-{right}")
    names = {
        element.get_attribute("name")
        for element in section.find_elements(By.CSS_SELECTOR, "input, textarea")
        if element.is_displayed()
    }
    return names & {"email", *OPTIONAL}


def assert_accessible(browser, page: str) -> None:
    found = axe_violations(browser)
    assert not found, f"{page}: {found}"


@pytest.mark.parametrize("right", RequestType.values)
def test_each_rights_flow_passes_axe(browser, live_server, smtp, kari, settings, right):
    settings.PERSONVERN = {**settings.PERSONVERN, "PORTAL_URL": "http://testserver"}
    # given the first step, every right listed and no form shown
    browser.get(f"{live_server.url}/portal/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    assert not any(s.is_displayed() for s in browser.find_elements(By.CSS_SELECTOR, "section"))
    assert_accessible(browser, "choose")
    # when the person chooses the right, its form appears in place with its own fields only
    browser.find_element(By.ID, f"right-{right}-choice").click()
    assert visible_fields(browser, right) == {"email", *RIGHT_FIELDS[right]}
    assert not browser.find_element(By.ID, "choose-continue").is_displayed()
    assert_accessible(browser, "form")
    browser.find_element(By.ID, f"id_{right}_email").send_keys("kari@example.com")
    browser.find_element(By.ID, f"submit-{right}").click()
    assert browser.find_element(By.ID, "sent-message").is_displayed()
    assert_accessible(browser, "sent")
    request = DataSubjectRequest.objects.get()
    assert request.request_type == right
    # the status page from the mail, then the confirmation
    mail = smtp.body(smtp.last_to("kari@example.com"))
    status = STATUS.search(mail)
    assert status
    browser.get(f"{live_server.url}{status.group(1)}")
    assert browser.find_element(By.ID, "request-status").get_attribute("data-status") == (
        "awaiting_verification"
    )
    assert_accessible(browser, "status")
    verify = LINK.search(mail)
    assert verify
    browser.get(f"{live_server.url}{verify.group(1)}")
    assert_accessible(browser, "verify")
    browser.find_element(By.ID, "confirm-request").click()
    assert browser.find_element(By.ID, "verified-message").is_displayed()
    assert_accessible(browser, "verified")
    request.refresh_from_db()
    assert request.status != RequestStatus.AWAITING_VERIFICATION
    # and the pages that follow for some rights: the profile, the download
    if right == RequestType.RECTIFICATION:
        browser.find_element(By.ID, "profile-link").click()
        assert browser.find_element(By.ID, "save-profile").is_displayed()
        assert_accessible(browser, "profile")
    if right in (RequestType.ACCESS, RequestType.PORTABILITY):
        # (the job is queued before the "verified" letter goes: either may arrive first)
        links = [LINK.search(smtp.body(m)) for m in smtp.to("kari@example.com")]
        ready = next((m for m in links if m and "/download/" in m.group(1)), None)
        assert ready
        browser.get(f"{live_server.url}{ready.group(1)}")
        assert browser.find_element(By.ID, "download-package").is_displayed()
        assert_accessible(browser, "download")


def test_without_javascript_a_first_step_fetches_the_rights_form(
    chromium, live_server, smtp, kari, settings
):
    settings.PERSONVERN = {**settings.PERSONVERN, "PORTAL_URL": "http://testserver"}
    browser = chromium(javascript=False)
    browser.get(f"{live_server.url}/portal/?lang=en")
    # the forms on the page stay hidden; "Continue" asks the server for the chosen one
    assert browser.find_element(By.ID, "choose-continue").is_displayed()
    browser.find_element(By.ID, "right-portability-choice").click()
    assert not browser.find_element(By.ID, "right-portability").is_displayed()
    browser.find_element(By.ID, "choose-continue").click()
    WebDriverWait(browser, 10).until(lambda b: "right=portability" in b.current_url)
    assert visible_fields(browser, "portability") == {"email", "destination_url"}
    # a mistake is shown next to its field, and the right is kept
    browser.find_element(By.ID, "id_portability_email").send_keys("not-an-address")
    browser.find_element(By.ID, "submit-request").click()
    assert browser.find_elements(By.CSS_SELECTOR, ".errorlist")
    assert visible_fields(browser, "portability") == {"email", "destination_url"}
    email = browser.find_element(By.ID, "id_portability_email")
    email.clear()
    email.send_keys("kari@example.com")
    browser.find_element(By.ID, "submit-request").click()
    assert browser.find_element(By.ID, "sent-message").is_displayed()
    assert DataSubjectRequest.objects.get().request_type == RequestType.PORTABILITY


def test_the_portal_on_a_phone(chromium, live_server, smtp, kari, settings):
    settings.PERSONVERN = {**settings.PERSONVERN, "PORTAL_URL": "http://testserver"}
    phone = chromium(size=(390, 844))
    phone.get(f"{live_server.url}/portal/?lang=en")
    phone.find_element(By.ID, "right-objection-choice").click()
    # nothing wider than the screen, and the button is a comfortable target
    assert phone.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )
    button = phone.find_element(By.ID, "submit-objection")
    assert button.size["height"] >= 44
    assert_accessible(phone, "phone form")
    phone.execute_script("arguments[0].scrollIntoView({block: 'start'})",
                         phone.find_element(By.ID, "right-objection"))
    screenshot(phone, "portal-phone")


def test_screenshots_of_the_portal(chromium, live_server, smtp, kari, settings):
    settings.PERSONVERN = {**settings.PERSONVERN, "PORTAL_URL": "http://testserver"}
    desktop = chromium(size=(1100, 1400))
    desktop.get(f"{live_server.url}/portal/?lang=en")
    screenshot(desktop, "portal-choose")
    desktop.find_element(By.ID, "right-rectification-choice").click()
    desktop.find_element(By.ID, "id_rectification_email").send_keys("kari@example.com")
    desktop.execute_script(
        "arguments[0].scrollIntoView({block: 'start'})",
        desktop.find_element(By.ID, "right-rectification"),
    )
    screenshot(desktop, "portal-form")
    desktop.find_element(By.ID, "submit-rectification").click()
    assert desktop.find_element(By.ID, "sent-message").is_displayed()
    status = STATUS.search(smtp.body(smtp.last_to("kari@example.com")))
    assert status
    desktop.set_window_size(1100, 700)
    desktop.get(f"{live_server.url}{status.group(1)}")
    screenshot(desktop, "portal-status")


def test_the_portal_switches_to_english_and_keeps_the_right(browser, live_server, controller):
    browser.get(f"{live_server.url}/portal/?right=erasure")
    browser.find_element(By.ID, "switch-language").click()
    WebDriverWait(browser, 10).until(lambda b: "lang=en" in b.current_url)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "right=erasure" in browser.current_url
    assert "Erasure of my data" in browser.page_source
    # a mistake is announced next to its field, and the page still passes axe
    browser.find_element(By.ID, "id_erasure_email").send_keys("not-an-address")
    browser.find_element(By.ID, "submit-request").click()
    assert browser.find_elements(By.CSS_SELECTOR, ".errorlist")
    assert browser.find_element(By.ID, "id_erasure_email").get_attribute("aria-invalid") == "true"
    assert_accessible(browser, "form with errors")
