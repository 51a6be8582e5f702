"""The banner in a real headless Chromium on the demo page: no statistics cookie before
consent, one after "accept statistics", none after withdrawal, and the ledger holds each event."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as visible
from selenium.webdriver.support.ui import WebDriverWait

from personvern.consent.models import ConsentEvent
from personvern.website.choices import CookieCategory
from personvern.website.services import publish_cookie_policy
from tests.factories import OrganisationFactory
from tests.website.conftest import SYSTEM, cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def eventually(check: Callable[[], Any], timeout: float = 10) -> Any:
    """Poll until ``check`` returns something truthy (the banner posts asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


def toggle_statistics(browser, on: bool) -> None:
    toggle = WebDriverWait(browser, 10).until(
        visible.presence_of_element_located(
            (By.CSS_SELECTOR, "#cc-main input.section__toggle[value='statistics']")
        )
    )
    WebDriverWait(browser, 10).until(
        visible.visibility_of_element_located((By.CSS_SELECTOR, "#cc-main .pm"))
    )
    if toggle.is_selected() != on:
        browser.execute_script("arguments[0].click();", toggle)
    browser.find_element(By.CSS_SELECTOR, "#cc-main .pm button[data-role='save']").click()


def test_statistics_cookies_follow_consent_and_the_ledger_holds_each_event(
    browser, live_server, statistics_purpose
):
    # given the register of the notice and a published cookie policy
    OrganisationFactory(cookie_lifetime_limit_days=30)
    cookie("cc_cookie", CookieCategory.NECESSARY)
    cookie("_ga", CookieCategory.STATISTICS, statistics_purpose)
    cookie("_ga_*", CookieCategory.STATISTICS, statistics_purpose)  # _ga_<container-id>
    publish_cookie_policy(actor=SYSTEM)

    # (the library hides itself from automated browsers, as from crawlers: look like a person)
    browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "Object.defineProperty(navigator, 'webdriver', {get: () => false});"},
    )

    # when a visitor opens the demo page, the banner asks and no statistics cookie exists
    browser.get(f"{live_server.url}/website/demo/")
    WebDriverWait(browser, 10).until(
        visible.visibility_of_element_located((By.CSS_SELECTOR, "#cc-main .cm"))
    )
    buttons = browser.find_elements(By.CSS_SELECTOR, "#cc-main .cm button")
    assert {b.get_attribute("data-role") for b in buttons} >= {"all", "necessary", "show"}
    assert browser.get_cookie("_ga") is None and browser.get_cookie("_ga_DEMO1234") is None
    assert not browser.execute_script("return window.personvernDemoAnalytics === true")
    # and no marketing is mentioned: the register has no marketing cookie
    banner_text = browser.find_element(By.CSS_SELECTOR, "#cc-main .cm").text
    assert "markedsføring" not in banner_text and "statistikk" in banner_text

    # and accepts statistics in the per-category choice
    browser.find_element(By.CSS_SELECTOR, "#cc-main .cm button[data-role='show']").click()
    toggle_statistics(browser, on=True)

    # then the analytics stand-in ran and set its cookies, Consent Mode was updated
    eventually(lambda: browser.get_cookie("_ga"))
    container = browser.get_cookie("_ga_DEMO1234")
    assert container is not None
    # GA's cookie_expires was set by the banner: 30 days, not GA4's default of two years
    for name in ("_ga", "_ga_DEMO1234"):
        lifetime = browser.get_cookie(name)["expiry"] - time.time()
        assert 29 * 86400 < lifetime <= 30 * 86400, name
    updates = browser.execute_script(
        "return window.dataLayer.filter(e => e[0] === 'consent').map(e => [e[1], e[2]]);"
    )
    assert updates[0] == [
        "default",
        {
            "ad_personalization": "denied",
            "ad_storage": "denied",
            "ad_user_data": "denied",
            "analytics_storage": "denied",
            "wait_for_update": 500,
        },
    ]
    assert updates[-1][1]["analytics_storage"] == "granted"
    consent_cookie = json.loads(unquote(browser.get_cookie("cc_cookie")["value"]))
    visitor = consent_cookie["data"]["visitor"]
    assert consent_cookie["revision"] == 1
    events = ConsentEvent.objects.filter(visitor_id=visitor)
    eventually(lambda: events.filter(action="granted").exists())

    # when the visitor reopens the settings from the link and unticks statistics
    browser.find_element(By.ID, "cookie-settings").click()
    toggle_statistics(browser, on=False)

    # then the statistics cookies are gone, and the ledger holds the grant and the withdrawal
    # (the pattern _ga_* deletes _ga_DEMO1234 too)
    eventually(
        lambda: browser.get_cookie("_ga") is None and browser.get_cookie("_ga_DEMO1234") is None
    )
    eventually(lambda: events.count() == 2)
    assert list(events.order_by("sequence").values_list("purpose", "action", "text__version")) == [
        (statistics_purpose.pk, "granted", 1),
        (statistics_purpose.pk, "withdrawn", None),
    ]


def test_a_choice_made_under_a_superseded_policy_is_not_recorded_and_asked_again(
    browser, live_server, statistics_purpose
):
    # given a visitor whose page loaded the banner under cookie policy version 1
    OrganisationFactory(cookie_lifetime_limit_days=30)
    cookie("cc_cookie", CookieCategory.NECESSARY)
    cookie("_ga", CookieCategory.STATISTICS, statistics_purpose)
    publish_cookie_policy(actor=SYSTEM)
    browser.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "Object.defineProperty(navigator, 'webdriver', {get: () => false});"},
    )
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/website/demo/")
    WebDriverWait(browser, 10).until(
        visible.visibility_of_element_located((By.CSS_SELECTOR, "#cc-main .cm"))
    )
    # when version 2 is published before the visitor accepts all
    publish_cookie_policy(actor=SYSTEM)
    browser.find_element(By.CSS_SELECTOR, "#cc-main .cm button[data-role='all']").click()
    # then the server refused the stale consent, and the banner forgot the choice (so the
    # next page asks again under the current policy)
    status = "return window.personvernBannerLastDecision.then(r => r && r.status)"
    assert eventually(lambda: browser.execute_script(status)) == 409
    eventually(lambda: browser.get_cookie("cc_cookie") is None)
    assert not ConsentEvent.objects.exists()
