"""The staff home page in Chromium: each demo role signs in and sees its own items and charts;
a search keeps the address clean. Screenshots of the home page go to docs/screenshots/ when
PERSONVERN_SCREENSHOTS=1 (the README shows them), else to a temporary directory."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from personvern.demo import content
from personvern.register.models import Person
from tests.browser import pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# username -> (item keys shown, item key prefixes never shown, charts at least)
ROLES = {
    "personvern": ({"rights.overdue", "rights.due_soon", "retention.last_sweep",
                    "consent.verification", "accounts.staff"}, (), 6),
    "kundeservice": ({"rights.overdue"}, ("retention.", "accounts.", "consent."), 4),
    "salg": (set(), ("rights.", "retention.", "accounts.", "consent."), 2),
    "revisor": ({"rights.overdue", "retention.last_sweep", "consent.verification"},
                ("accounts.",), 6),
    "sikkerhet": (set(), ("rights.", "retention.", "accounts.", "consent."), 0),
}


def sign_in(browser, live_server, username: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(content.DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: "/login/" not in driver.current_url)


def screenshot(browser, name: str) -> Path:
    """The whole home page (up to 4,000 pixels high), then the window as it was."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(int(height), 4000))
    path = pages.screenshot(browser, name)
    browser.set_window_size(1280, 900)
    return path


def test_each_role_sees_its_home_page_and_searches_stay_out_of_addresses(
    browser, live_server, settings
):
    # The demo's logins skip the second factor only in development; here no role needs one.
    settings.PERSONVERN_2FA_REQUIRED_ROLES = []
    # An earlier transactional test's flush removed the data categories a migration seeds
    # (the demo's activities name them): seed them again, as the migration does.
    seed = importlib.import_module(
        "personvern.processing.migrations.0002_fideslang_data_categories"
    )
    seed.load(apps, None)
    call_command("demo", verbosity=0)
    for username, (shown, hidden, charts) in ROLES.items():
        sign_in(browser, live_server, username)
        assert browser.current_url == f"{live_server.url}/admin/", username
        keys = {row.get_attribute("data-key")
                for row in browser.find_elements(By.CSS_SELECTOR, "tr.workplace-item")}
        assert shown <= keys, (username, keys)
        assert not any(key.startswith(hidden) for key in keys if hidden), (username, keys)
        svgs = browser.find_elements(By.CSS_SELECTOR, "svg.workplace-chart")
        assert len(svgs) >= charts, username
        for svg in svgs:  # drawn: laid out with a size, with something to show
            assert svg.size["width"] > 100 and svg.size["height"] > 50
        if charts:
            assert browser.find_elements(By.CSS_SELECTOR, "svg.workplace-chart [data-value]")
        assert screenshot(browser, f"home-{username}").stat().st_size > 10_000

    # One demo load serves every check (a transactional test's flush empties the data
    # categories the migrations seed, so the demo cannot be loaded twice in one module).
    the_overdue_count_opens_the_overdue_requests(browser, live_server)
    a_search_by_e_mail_never_reaches_the_address_bar(browser, live_server)
    the_autocomplete_finds_a_person_by_post(browser, live_server)


def the_overdue_count_opens_the_overdue_requests(browser, live_server) -> None:
    sign_in(browser, live_server, "personvern")
    link = browser.find_element(By.CSS_SELECTOR, "tr[data-key='rights.overdue'] td a")
    count = int(link.get_attribute("data-count"))
    link.click()
    WebDriverWait(browser, 10).until(lambda driver: "due=overdue" in driver.current_url)
    assert "due=overdue" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == count == 1


def a_search_by_e_mail_never_reaches_the_address_bar(browser, live_server) -> None:
    person = Person.objects.exclude(email="").order_by("email_key").first()
    assert person is not None
    sign_in(browser, live_server, "kundeservice")
    browser.get(f"{live_server.url}/admin/register/person/")
    box = browser.find_element(By.ID, "searchbar")
    box.send_keys(person.email)
    browser.find_element(By.CSS_SELECTOR, "#changelist-search input[name=_search]").click()
    # the search is posted and answered with a redirect: wait for the new page, not the old one
    WebDriverWait(browser, 10).until(expected_conditions.staleness_of(box))
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: driver.find_element(By.ID, "searchbar").get_attribute("value")
    )
    assert browser.current_url == f"{live_server.url}/admin/register/person/"
    assert browser.find_element(By.ID, "searchbar").get_attribute("value") == person.email
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == 1 and person.last_name in rows[0].text


def the_autocomplete_finds_a_person_by_post(browser, live_server) -> None:
    person = Person.objects.exclude(last_name="").order_by("email_key").first()
    assert person is not None
    browser.get(f"{live_server.url}/admin/register/interaction/add/")
    browser.find_element(By.CSS_SELECTOR, ".field-person .select2-selection").click()
    browser.find_element(By.CSS_SELECTOR, ".select2-search__field").send_keys(person.last_name)
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda driver: any(
            person.last_name in option.text
            for option in driver.find_elements(By.CSS_SELECTOR, ".select2-results__option")
        )
    )
