"""A real passkey in a real Chromium: its virtual authenticator (WebDriver's WebAuthn API)
registers a passkey at enrolment and signs the privacy officer in with it the next time."""

from __future__ import annotations

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import (
    Protocol,
    Transport,
    VirtualAuthenticatorOptions,
)
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from personvern.accounts.choices import Role
from personvern.audit.models import AuditEntry
from tests.conftest import user_with_role

from .test_staff_ui import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_path(browser, path: str) -> None:
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.split("?")[0].endswith(path))


def test_a_privacy_officer_enrols_a_passkey_and_signs_in_with_it(browser, live_server, settings):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    assert live_server.url.startswith("http://localhost:")
    officer = user_with_role(Role.PRIVACY_OFFICER, username="ombud")
    browser.add_virtual_authenticator(
        VirtualAuthenticatorOptions(
            protocol=Protocol.CTAP2,
            transport=Transport.INTERNAL,
            has_resident_key=True,
            has_user_verification=True,
            is_user_verified=True,
        )
    )
    # given the password, the officer is sent to set up a second factor before anything else
    sign_in(browser, live_server, "ombud")
    wait_for_path(browser, "/admin/second-factor/enrol/")
    # when the officer adds a passkey
    WebDriverWait(browser, 10).until(
        expected_conditions.element_to_be_clickable((By.ID, "passkey-register-button"))
    ).click()
    # then the recovery codes are shown once, and the staff UI opens
    wait_for_path(browser, "/admin/second-factor/recovery-codes/")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#recovery-codes li")) == 10
    browser.find_element(By.ID, "continue").click()
    wait_for_path(browser, "/admin/")
    assert WebAuthnCredential.objects.filter(user=officer, confirmed=True).count() == 1
    # when the officer signs in again, the passkey is the second factor
    browser.delete_all_cookies()
    sign_in(browser, live_server, "ombud")
    wait_for_path(browser, "/admin/second-factor/")
    WebDriverWait(browser, 10).until(
        expected_conditions.element_to_be_clickable((By.ID, "passkey-verification-button"))
    ).click()
    wait_for_path(browser, "/admin/")
    assert browser.find_elements(By.CSS_SELECTOR, "#content-main")
    events = [
        (e.event_type.removeprefix("accounts."), e.detail.get("method"))
        for e in AuditEntry.objects.filter(actor=officer).order_by("pk")
    ]
    assert events == [
        ("second_factor_enrolled", "passkey"),
        ("recovery_codes_issued", "recovery_code"),
        ("second_factor_verified", "passkey"),
    ]
