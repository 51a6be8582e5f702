"""The staff UI in a real browser: sign in, find a person, see the view audited."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from personvern.audit.models import AuditEntry
from tests.conftest import user_with_role
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, live_server, username: str) -> None:
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys("correct horse battery staple")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()


def test_customer_service_signs_in_and_opens_a_person(browser, live_server):
    from personvern.accounts.choices import Role

    user_with_role(Role.CUSTOMER_SERVICE, username="kundeservice")
    person = PersonFactory(first_name="Synnøve", last_name="Testesen")
    # when staff sign in and open the register
    sign_in(browser, live_server, "kundeservice")
    browser.find_element(By.CSS_SELECTOR, "a[href='/admin/register/person/']").click()
    browser.find_element(By.LINK_TEXT, "Synnøve Testesen").click()
    # then the person's page is shown in Norwegian and the view is in the audit log
    assert browser.find_element(By.NAME, "first_name").get_attribute("value") == "Synnøve"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    entry = AuditEntry.objects.get(action="view")
    assert entry.subject_id == person.pk and entry.actor_label == "kundeservice"


def test_a_non_staff_account_cannot_sign_in(browser, live_server):
    UserFactory(username="ikke-ansatt", is_staff=False)
    sign_in(browser, live_server, "ikke-ansatt")
    assert "/admin/login/" in browser.current_url
    assert browser.find_elements(By.CSS_SELECTOR, ".errornote")
