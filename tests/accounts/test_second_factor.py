"""Staff sign-in's second factor, through HTTP: the login form, then the code or enrolment.

The sessions here sign in through the form (never ``force_login``, which the test suite treats
as a finished sign-in, second factor included)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.checks import registry
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from personvern.accounts import services
from personvern.accounts.checks import demo_skip_off
from personvern.accounts.choices import AccountsErrorCode, Role
from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from tests.conftest import user_with_role
from tests.factories import ProcessingActivityFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ADMIN = "/admin/"
VERIFY = "/admin/second-factor/"
ENROL = "/admin/second-factor/enrol/"


def sign_in(username: str) -> Client:
    """The first step only: the password, through the admin's login form."""
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return client


def code_of(device: TOTPDevice, *, at: float | None = None) -> str:
    """What the user's authenticator app shows now (RFC 6238, computed from the device key)."""
    kwargs = {"clock": int(at)} if at is not None else {}
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift,
        **kwargs,
    )
    return f"{value:0{device.digits}d}"


def enrolled_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def events(user) -> list[str]:
    entries = AuditEntry.objects.filter(actor=user).order_by("pk")
    return [e.event_type.removeprefix("accounts.") for e in entries]


def test_a_privacy_officer_with_the_password_only_reaches_nothing_of_the_staff_ui(
    privacy_officer,
):
    activity = ProcessingActivityFactory()
    client = sign_in("privacy_officer")
    # every admin page sends the officer to set up a second factor first
    for url in (
        ADMIN,
        "/admin/register/person/",
        reverse("admin:processing_processingactivity_change", args=[activity.pk]),
        reverse("admin:audit_auditentry_export"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    # a write is refused the same way and changes nothing
    response = client.post(
        reverse("admin:processing_processingactivity_change", args=[activity.pk]),
        {"name": "Renamed"},
    )
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    # file downloads and the API's session authentication see no one signed in
    response = client.get(reverse("download_agreement", args=[1]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/api/consent/texts").status_code == 401
    # the enrolment page shows a QR code drawn on the server and the key to type in
    page = client.get(ENROL)
    assert page.status_code == 200
    assert b"<svg" in page.content and page.context["secret"]


def test_enrolling_an_authenticator_app_lets_the_officer_in_with_recovery_codes_shown_once(
    privacy_officer,
):
    client = sign_in("privacy_officer")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=privacy_officer, confirmed=False)
    # a wrong code is refused and audited
    response = client.post(ENROL, {"code": "000000", "next": ADMIN})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # the user waits out the throttle
    device.save()
    # when the code the app shows is entered
    response = client.post(ENROL, {"code": code_of(device), "next": ADMIN})
    # then the recovery codes are shown, once
    assert response.status_code == 302
    page = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page.content.decode())
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert client.get(reverse("accounts:second_factor_recovery_codes")).status_code == 302
    # and the staff UI opens
    assert client.get(ADMIN).status_code == 200
    assert events(privacy_officer) == [
        "second_factor_failed",
        "second_factor_enrolled",
        "recovery_codes_issued",
    ]
    # no secret in the audit log
    for entry in AuditEntry.objects.all():
        assert not any(code in str(entry.detail) for code in codes)
        assert device.key not in str(entry.detail)


def test_an_officer_with_an_app_gets_in_with_its_code_and_not_without(privacy_officer):
    device = enrolled_totp(privacy_officer)
    client = sign_in("privacy_officer")
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    # a wrong code: refused, audited; the right one right after: throttled
    response = client.post(VERIFY, {"code": "123456", "next": ADMIN})
    assert response.status_code == 200
    response = client.post(VERIFY, {"code": code_of(device), "next": ADMIN})
    assert response.status_code == 200
    assert response.context["error"] == AccountsErrorCode.TOO_MANY_ATTEMPTS
    assert client.get(ADMIN).status_code == 302
    # once the throttle has passed, the right code lets the officer in
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )
    response = client.post(VERIFY, {"code": code_of(device), "next": ADMIN})
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    assert client.get("/admin/register/person/").status_code == 200
    assert events(privacy_officer) == [
        "second_factor_failed",
        "second_factor_failed",
        "second_factor_verified",
    ]
    failed = AuditEntry.objects.filter(event_type=AuditEventType.SECOND_FACTOR_FAILED).last()
    assert failed is not None and failed.detail == {"method": "totp", "code": "invalid_code"}


def test_the_same_app_code_does_not_work_twice(privacy_officer):
    device = enrolled_totp(privacy_officer)
    code = code_of(device)
    first = sign_in("privacy_officer")
    assert first.post(VERIFY, {"code": code, "next": ADMIN}).status_code == 302
    second = sign_in("privacy_officer")
    assert second.post(VERIFY, {"code": code, "next": ADMIN}).status_code == 200
    assert second.get(ADMIN).status_code == 302


def test_a_recovery_code_works_once(privacy_officer):
    enrolled_totp(privacy_officer)
    codes = services.regenerate_recovery_codes(actor=Actor(user=privacy_officer))
    first = sign_in("privacy_officer")
    response = first.post(VERIFY, {"code": codes[0].upper(), "next": ADMIN})
    assert response.status_code == 302
    assert first.get(ADMIN).status_code == 200
    second = sign_in("privacy_officer")
    assert second.post(VERIFY, {"code": codes[0], "next": ADMIN}).status_code == 200
    assert second.get(ADMIN).status_code == 302
    assert StaticToken.objects.count() == services.RECOVERY_CODE_COUNT - 1
    verified = AuditEntry.objects.get(event_type=AuditEventType.SECOND_FACTOR_VERIFIED)
    assert verified.detail["method"] == "recovery_code"
    assert verified.detail["recovery_codes_left"] == services.RECOVERY_CODE_COUNT - 1


def test_the_security_role_must_enrol_too():
    user_with_role(Role.SECURITY, username="sikker")
    response = sign_in("sikker").get("/admin/website/iplogentry/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_customer_service_is_not_required_unless_the_setting_says_so(customer_service):
    user_with_role(Role.PRIVACY_OFFICER, username="privacy_officer_free")
    assert sign_in("customer_service").get(ADMIN).status_code == 200
    with override_settings(PERSONVERN_2FA_REQUIRED_FOR_ALL=True):
        response = sign_in("customer_service").get(ADMIN)
        assert response.status_code == 302 and response["Location"].startswith(ENROL)
    with override_settings(PERSONVERN_2FA_REQUIRED_ROLES=["customer_service"]):
        assert sign_in("customer_service").get(ADMIN).status_code == 302
        assert sign_in("privacy_officer_free").get(ADMIN).status_code == 200


def test_someone_optional_who_has_enrolled_is_asked_for_the_code(customer_service):
    enrolled_totp(customer_service)
    response = sign_in("customer_service").get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


def test_a_superuser_must_enrol():
    from tests.factories import UserFactory

    UserFactory(username="root", is_superuser=True)
    response = sign_in("root").get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_api_bearer_tokens_are_unaffected(privacy_officer):
    _token, key = services.issue_token(
        actor=Actor(user=privacy_officer), user=privacy_officer, name="integration"
    )
    # the officer has no second factor, yet the token works, as it did
    response = Client().get("/api/consent/texts", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    # while the same officer's password-only session gets nothing from the API
    assert sign_in("privacy_officer").get("/api/consent/texts").status_code == 401


def test_the_demo_logins_skip_only_in_development(privacy_officer, monkeypatch):
    from personvern.accounts import second_factor

    # the demo app names its logins (make run's privacy officer is "personvern")
    assert "personvern" in second_factor._demo_usernames
    monkeypatch.setattr(second_factor, "_demo_usernames", {"privacy_officer"})
    with override_settings(DEBUG=True, PERSONVERN_2FA_DEMO_SKIP=True):
        assert sign_in("privacy_officer").get(ADMIN).status_code == 200
    with override_settings(DEBUG=False, PERSONVERN_2FA_DEMO_SKIP=True):
        assert sign_in("privacy_officer").get(ADMIN).status_code == 302
    with override_settings(DEBUG=True, PERSONVERN_2FA_DEMO_SKIP=False):
        assert sign_in("privacy_officer").get(ADMIN).status_code == 302


def test_the_demo_skip_outside_development_fails_the_deploy_check():
    with override_settings(DEBUG=False, PERSONVERN_2FA_DEMO_SKIP=True):
        (error,) = demo_skip_off()
    assert error.id == "accounts.E001"
    with override_settings(DEBUG=False, PERSONVERN_2FA_DEMO_SKIP=False):
        assert demo_skip_off() == []
    assert demo_skip_off in registry.registry.get_checks(include_deployment_checks=True)
    assert demo_skip_off not in registry.registry.get_checks(include_deployment_checks=False)


def test_own_devices_removed_and_recovery_codes_renewed_are_audited(privacy_officer):
    device = enrolled_totp(privacy_officer)
    old = services.regenerate_recovery_codes(actor=Actor(user=privacy_officer))
    client = sign_in("privacy_officer")
    client.post(VERIFY, {"code": code_of(device), "next": ADMIN})
    page = client.get(reverse("accounts:second_factor_devices"))
    assert page.status_code == 200 and len(page.context["rows"]) == 2
    # new recovery codes: the old ones stop working, the new ones are shown once
    response = client.post(reverse("accounts:second_factor_regenerate"))
    shown = client.get(response["Location"]).context["codes"]
    assert set(shown).isdisjoint(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(shown)
    # removing the app
    client.post(reverse("accounts:second_factor_remove"), {"device": device.persistent_id})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert events(privacy_officer)[-2:] == ["recovery_codes_regenerated", "second_factor_removed"]
    removed = AuditEntry.objects.get(event_type=AuditEventType.SECOND_FACTOR_REMOVED)
    assert (removed.action, removed.object_type) == ("delete", "otp_totp.totpdevice")
    # someone else's device cannot be removed
    other = enrolled_totp(user_with_role(Role.AUDITOR, username="other"))
    client.post(reverse("accounts:second_factor_remove"), {"device": other.persistent_id})
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_an_unverified_session_cannot_add_a_passkey_to_skip_the_code(privacy_officer):
    enrolled_totp(privacy_officer)
    client = sign_in("privacy_officer")
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 403
    assert events(privacy_officer) == ["second_factor_failed"]


def test_passkey_options_for_an_officer_enrolling(privacy_officer):
    # without an authenticator the ceremony's server side is checked here; the browser test
    # does a real registration and sign-in with Chromium's virtual authenticator
    client = sign_in("privacy_officer")
    response = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "Personvern", "id": "localhost"}
    assert options["user"]["name"] == "privacy_officer" and options["challenge"]
    # a made-up credential is refused and audited, and lets no one in
    response = client.post(
        reverse("otp_webauthn:credential-registration-complete"),
        data={"id": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert client.get(ADMIN).status_code == 302
    # a session that has not signed in gets no passkey options at all
    anonymous = Client().post(reverse("otp_webauthn:credential-authentication-begin"))
    assert anonymous.status_code == 403


def test_throttle_window_grows_after_each_failure(privacy_officer):
    device = enrolled_totp(privacy_officer)
    client = sign_in("privacy_officer")
    for _attempt in range(3):
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        )
        client.post(VERIFY, {"code": "999999", "next": ADMIN})
    device.refresh_from_db()
    assert device.throttling_failure_count == 3
    allowed, info = device.verify_is_allowed()
    assert not allowed and info["failure_count"] == 3


def test_a_superuser_resets_a_lost_second_factor_and_the_officer_enrols_again(privacy_officer):
    from tests.factories import UserFactory

    device = enrolled_totp(privacy_officer)
    services.regenerate_recovery_codes(actor=Actor(user=privacy_officer))
    root = UserFactory(username="root", is_superuser=True)
    admin_client = Client()
    admin_client.force_login(root)
    # django-otp's own device admin (unaudited, showing keys) is not offered
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    # when the superuser resets the officer's second factor
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [privacy_officer.pk]},
    )
    assert response.status_code == 302
    # then the devices are gone, each removal audited, and the officer must enrol again
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not StaticDevice.objects.filter(user=privacy_officer).exists()
    resets = AuditEntry.objects.filter(event_type=AuditEventType.SECOND_FACTOR_RESET, actor=root)
    assert {e.object_type for e in resets} == {"otp_totp.totpdevice", "otp_static.staticdevice"}
    response = sign_in("privacy_officer").get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_only_who_may_change_staff_users_resets_a_second_factor(privacy_officer, auditor):
    from personvern.core.errors import DomainError

    # The privacy officer manages staff (issue 15); an auditor may not reset anyone's factor.
    enrolled_totp(privacy_officer)
    with pytest.raises(DomainError) as refused:
        services.reset_second_factor(actor=Actor(user=auditor), user=privacy_officer)
    assert refused.value.code == "permission_denied"
    assert TOTPDevice.objects.filter(user=privacy_officer).exists()
    enrolled_totp(auditor)
    assert services.reset_second_factor(actor=Actor(user=privacy_officer), user=auditor) >= 1
    assert not TOTPDevice.objects.filter(user=auditor).exists()
