"""Every page under the Content-Security-Policy, in Chromium with the network to the outside
closed: staff pages (signed in), the portal, the privacy notice, the banner's demo page and
the API docs. Each page must ask no other host for anything and leave no CSP error in the
console."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from selenium.webdriver.common.by import By

from personvern.accounts.choices import Role
from personvern.core.actors import Actor
from personvern.rights import tokens
from personvern.rights.choices import RequestType, TokenPurpose
from personvern.rights.models import DataSubjectRequest
from personvern.rights.services import submit_request
from tests.browser.pages import console_errors, csp_errors, outside, requested_urls
from tests.conftest import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_pages() -> list[str]:
    """The admin's index, and every registered model's list, add form and first object."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        for view in ("changelist", "add"):
            try:
                pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}"))
            except NoReverseMatch:
                continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            try:
                pages.append(
                    reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
                )
            except NoReverseMatch:
                continue
    return pages + custom_staff_pages()


def custom_staff_pages() -> list[str]:
    """The admin's own pages beyond list, add and change: consent history (an iframe of the
    proof), campaign check, cookie policy and notice publishing, a request's action page."""
    from personvern.consent.models import ConsentEvent

    pages = [
        reverse("admin:consent_campaign_check"),
        reverse("admin:website_cookie_publish_policy"),
        reverse("admin:website_notice_publish"),
        reverse("admin:audit_auditentry_export"),
    ]
    event = ConsentEvent.objects.exclude(person=None).order_by("pk").first()
    if event is not None:
        pages.append(reverse("admin:consent_person_history", args=[event.person_id]))
    request = DataSubjectRequest.objects.order_by("pk").first()
    if request is not None:
        pages.append(reverse("admin:rights_datasubjectrequest_action", args=[request.pk, "extend"]))
    return pages


def public_pages() -> list[str]:
    request = submit_request(
        actor=Actor.for_system("tests"), request_type=RequestType.ACCESS, email="a@example.com"
    )
    status = tokens.issue(request=request, purpose=TokenPurpose.STATUS, hours=1)
    return [
        "/portal/",
        "/portal/?lang=en",
        *[f"/portal/?right={right}" for right in RequestType.values],
        "/portal/sent/",
        f"/portal/status/{status}/",
        "/portal/status/not-a-token/",
        "/personvern",
        "/personvern?lang=en",
        "/website/demo/",
        "/api/docs",
    ]


def check(browser, url: str) -> list[str]:
    browser.get(url)
    # let scripts that fetch (Swagger UI reads the OpenAPI document) finish
    browser.find_element(By.TAG_NAME, "body")
    problems = [f"CSP: {m}" for m in csp_errors(browser)]
    problems += [f"left the machine: {u}" for u in outside(requested_urls(browser))]
    return [f"{url}: {p}" for p in problems]


def test_every_page_stays_on_this_machine_with_a_clean_console(chromium, live_server, settings):
    # given the demo organisation and a privacy officer signed in (no second factor here)
    settings.PERSONVERN_2FA_REQUIRED_ROLES = []
    # (a transactional test before this one may have flushed the migration's categories)
    import_module("personvern.processing.migrations.0002_fideslang_data_categories").load(
        django_apps, None
    )
    call_command("demo", verbosity=0)
    user_with_role(Role.PRIVACY_OFFICER, username="csp-officer")
    browser = chromium(closed=True)
    problems: list[str] = []
    # the public pages, signed out
    for path in public_pages():
        problems += check(browser, f"{live_server.url}{path}")
    # the API docs draw the operations from the OpenAPI document, all from this machine
    browser.get(f"{live_server.url}/api/docs")
    assert browser.find_elements(By.CSS_SELECTOR, ".opblock"), "Swagger UI did not render"
    problems += check(browser, f"{live_server.url}/api/docs")
    # the staff pages, signed in
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("csp-officer")
    browser.find_element(By.NAME, "password").send_keys("correct horse battery staple")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#content-main")
    pages = staff_pages()
    assert len(pages) > 20
    for path in pages:
        problems += check(browser, f"{live_server.url}{path}")
    problems += check(browser, f"{live_server.url}/personvern?preview=1")
    for path in ("/admin/second-factor/devices/", "/admin/second-factor/enrol/"):
        problems += check(browser, f"{live_server.url}{path}")
    assert not problems, "\n".join(problems)


def test_a_page_that_asks_another_host_is_caught(chromium, live_server):
    """The check itself: an outside request and a CSP refusal are both seen."""
    browser = chromium(closed=True)
    browser.get(f"{live_server.url}/portal/")
    browser.execute_script(
        "var s = document.createElement('script'); s.src = 'https://cdn.example.net/x.js';"
        "document.head.appendChild(s);"
        "var i = document.createElement('img'); i.src = 'https://tracker.example.org/p.gif';"
        "document.body.appendChild(i);"
    )
    browser.find_element(By.TAG_NAME, "body")
    errors = console_errors(browser)
    assert any(re.search(r"Content Security Policy", e) for e in errors), errors
    # and a request to another host (from a page without our policy) is recorded
    browser.get("data:text/html,<img src='https://tracker.example.org/p.gif'>")
    browser.find_element(By.TAG_NAME, "img")
    assert "https://tracker.example.org/p.gif" in outside(requested_urls(browser))
