"""The portal in a real headless Chromium: submit, confirm by the mailed link, and see each
page in bokmål and English."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from personvern.rights.choices import RequestStatus
from personvern.rights.models import DataSubjectRequest
from tests.rights.conftest import LINK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_submits_and_confirms_an_access_request(
    browser, live_server, smtp, kari, settings
):
    settings.PERSONVERN = {**settings.PERSONVERN, "PORTAL_URL": "http://testserver"}
    browser.get(f"{live_server.url}/portal/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    browser.find_element(By.CSS_SELECTOR, "input[name=request_type][value=access]").click()
    browser.find_element(By.NAME, "email").send_keys("kari@example.com")
    browser.find_element(By.ID, "submit-request").click()
    assert browser.find_element(By.ID, "sent-message").is_displayed()
    # the link in the mail opens the confirmation page; confirming verifies the request
    found = LINK.search(smtp.body(smtp.last_to("kari@example.com")))
    assert found
    browser.get(f"{live_server.url}{found.group(1)}")
    browser.find_element(By.ID, "confirm-request").click()
    assert browser.find_element(By.ID, "verified-message").is_displayed()
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.DONE
    # the download page offers the package
    ready = LINK.search(smtp.body(smtp.last_to("kari@example.com")))
    assert ready and "/download/" in ready.group(1)
    browser.get(f"{live_server.url}{ready.group(1)}?lang=en")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.ID, "download-package").is_displayed()


def test_the_portal_switches_to_english_and_shows_form_errors(browser, live_server, controller):
    browser.get(f"{live_server.url}/portal/")
    browser.find_element(By.ID, "switch-language").click()
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "What do you want to do?" in browser.page_source
    browser.find_element(By.NAME, "email").send_keys("not-an-address")
    browser.find_element(By.ID, "submit-request").click()
    assert browser.find_elements(By.CSS_SELECTOR, ".errorlist")
    assert not DataSubjectRequest.objects.exists()
