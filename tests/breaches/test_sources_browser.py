"""The breach's search of the SQL sources in Chromium: the privacy officer goes from the
breach's page to the search, ticks a table, searches in the breach's window and sees the
person found in the register, with no Content-Security-Policy refusal on the way."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from personvern.accounts.choices import Role
from tests.breaches.test_sources_page import breach  # noqa: F401
from tests.browser.conftest import browser, chromium  # noqa: F401
from tests.browser.pages import csp_errors, screenshot
from tests.conftest import user_with_role
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("external", ["sqlite"], indirect=True),
]


@pytest.fixture
def categories(db):
    """An earlier transactional test's flush removed the data categories a migration seeds
    (the dataset names them): seed them again, as the migration does."""
    importlib.import_module("personvern.processing.migrations.0002_fideslang_data_categories").load(
        apps, None
    )


@pytest.fixture
def privacy_officer(categories):
    return user_with_role(Role.PRIVACY_OFFICER, username="personvern")


def test_the_officer_searches_the_sources_from_the_breach(
    chromium,  # noqa: F811
    live_server,
    settings,
    privacy_officer,
    breach,  # noqa: F811
):
    settings.PERSONVERN_2FA_REQUIRED_ROLES = []
    PersonFactory(first_name="Kari", last_name="Kunde", email="kunde1@example.com")
    driver = chromium(closed=True)
    driver.get(f"{live_server.url}/admin/login/")
    driver.find_element(By.NAME, "username").send_keys("personvern")
    driver.find_element(By.NAME, "password").send_keys("correct horse battery staple")
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/login/" not in d.current_url)
    # when the officer opens the breach and follows the link to the search
    driver.get(f"{live_server.url}/admin/breaches/breach/{breach.pk}/change/")
    driver.find_element(By.CSS_SELECTOR, f"a[href$='/breach/{breach.pk}/sources/']").click()
    # then the window is the breach's, and the time entries can be ticked and searched
    assert driver.find_element(By.NAME, "began_at_0").get_attribute("value") == "2024-03-01"
    driver.find_element(By.NAME, "table_4").click()
    driver.find_element(By.NAME, "column_4").send_keys("worked_on")
    driver.find_element(By.NAME, "search").click()
    # and the person in the register is listed, linked to their page
    link = driver.find_element(By.CSS_SELECTOR, "#sources-people a")
    assert link.text == "Kari Kunde" and "/admin/register/person/" in link.get_attribute("href")
    assert "2" in driver.find_element(By.ID, "sources-found").text
    assert csp_errors(driver) == []
    driver.set_window_size(1280, 1400)
    assert screenshot(driver, "breach-sources").stat().st_size > 10_000
