"""The second factor of staff sign-in: enrolling devices, checking codes, recovery codes.

Devices are django-otp's (TOTP, static recovery codes) and django-otp-webauthn's (passkeys).
Every enrolment, removal, regeneration of recovery codes and failed attempt is audited; the
audit entry names the method and the device, never a key, code or credential.
Marking the *session* as verified (``django_otp.login``) is the view's part: it is not stored
state of the user but of the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError

from ..choices import AccountsErrorCode, SecondFactorMethod
from ..models import User

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class VerifyResult:
    """The device that accepted a code, or why none did."""

    device: Device | None
    error: AccountsErrorCode | None = None

    @property
    def error_code(self) -> str:
        return (self.error or AccountsErrorCode.INVALID_CODE).value


def method_of(device: Device) -> SecondFactorMethod:
    if isinstance(device, TOTPDevice):
        return SecondFactorMethod.TOTP
    if isinstance(device, StaticDevice):
        return SecondFactorMethod.RECOVERY_CODE
    return SecondFactorMethod.PASSKEY


def _audit(
    *,
    actor: Actor,
    event: AuditEventType,
    device: Device | None = None,
    method: SecondFactorMethod | None = None,
    **extra: Any,
) -> None:
    detail: dict[str, Any] = {**extra}
    if device is not None:
        method = method or method_of(device)
    if method is not None:
        detail["method"] = method.value
    if device is not None:
        record(actor=actor, event=event, obj=device, detail=detail)
    else:
        record(
            actor=actor,
            event=event,
            object_type="accounts.user",
            object_id=actor.user.pk if actor.user else "",
            detail=detail,
        )


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator-app device whose key the user scans; nothing counts until
    :func:`confirm_totp`. Reloading the page reuses the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def _ensure_recovery_codes(*, actor: Actor, user: User) -> list[str]:
    """Recovery codes for a user's first device; an existing set is left alone (empty list)."""
    device, created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    if not created and device.token_set.exists():
        return []
    codes = _new_recovery_codes(device)
    _audit(actor=actor, event=AuditEventType.RECOVERY_CODES_ISSUED, device=device, count=len(codes))
    return codes


@transaction.atomic
def confirm_totp(*, actor: Actor, device: TOTPDevice, code: str) -> tuple[VerifyResult, list[str]]:
    """Confirm an authenticator app with a code it shows. Returns the result and, for a first
    device, the recovery codes (to be shown once)."""
    user = device.user
    if device.confirmed or device.user_id != (actor.user.pk if actor.user else None):
        raise ValueError("Only the user's own unconfirmed device is confirmed.")
    result = _check(device, _normalise(code))
    if result.device is None:
        _audit(
            actor=actor,
            event=AuditEventType.SECOND_FACTOR_FAILED,
            device=device,
            stage="enrolment",
            code=result.error_code,
        )
        return result, []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit(actor=actor, event=AuditEventType.SECOND_FACTOR_ENROLLED, device=device)
    return result, _ensure_recovery_codes(actor=actor, user=user)


@transaction.atomic
def complete_passkey_registration(
    *, actor: Actor, request: HttpRequest, state: dict[str, Any], data: dict[str, Any]
) -> tuple[WebAuthnCredential, list[str]]:
    """Store a passkey the browser created (django-otp-webauthn checks the attestation).
    Returns it and, for a first device, the recovery codes."""
    assert actor.user is not None  # noqa: S101 - only signed-in staff register passkeys
    helper = WebAuthnCredential.get_webauthn_helper(request=request)
    device: WebAuthnCredential = helper.register_complete(user=actor.user, state=state, data=data)
    _audit(actor=actor, event=AuditEventType.SECOND_FACTOR_ENROLLED, device=device)
    return device, _ensure_recovery_codes(actor=actor, user=actor.user)


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _check(device: Device, code: str) -> VerifyResult:
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return VerifyResult(device=None, error=AccountsErrorCode.TOO_MANY_ATTEMPTS)
    if device.verify_token(code):
        return VerifyResult(device=device)
    return VerifyResult(device=None, error=AccountsErrorCode.INVALID_CODE)


@transaction.atomic
def verify_code(*, actor: Actor, code: str) -> VerifyResult:
    """Check a code from the authenticator app (six digits) or a recovery code (used up).
    Each device throttles itself (django-otp: 1, 2, 4, 8 … seconds after each failure)."""
    assert actor.user is not None  # noqa: S101 - only signed-in staff verify
    code = _normalise(code)
    model = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    devices = [d for d in devices_for_user(actor.user, confirmed=True) if isinstance(d, model)]
    result = VerifyResult(device=None, error=AccountsErrorCode.INVALID_CODE)
    for device in devices:
        result = _check(device, code)
        if result.device is not None:
            break
    method = SecondFactorMethod.TOTP if model is TOTPDevice else SecondFactorMethod.RECOVERY_CODE
    if result.device is None:
        _audit(
            actor=actor,
            event=AuditEventType.SECOND_FACTOR_FAILED,
            method=method,
            code=result.error_code,
        )
    else:
        extra = {}
        if isinstance(result.device, StaticDevice):
            extra["recovery_codes_left"] = result.device.token_set.count()
        _audit(
            actor=actor, event=AuditEventType.SECOND_FACTOR_VERIFIED, device=result.device, **extra
        )
    return result


@transaction.atomic
def record_passkey_verified(*, actor: Actor, device: Device) -> None:
    _audit(actor=actor, event=AuditEventType.SECOND_FACTOR_VERIFIED, device=device)


@transaction.atomic
def record_passkey_failure(*, actor: Actor, stage: str, code: str) -> None:
    """A passkey ceremony the server refused (the library's error code, never its data)."""
    _audit(
        actor=actor,
        event=AuditEventType.SECOND_FACTOR_FAILED,
        method=SecondFactorMethod.PASSKEY,
        stage=stage,
        code=code,
    )


@transaction.atomic
def regenerate_recovery_codes(*, actor: Actor) -> list[str]:
    """A fresh set of recovery codes for the acting user; the old ones stop working."""
    assert actor.user is not None  # noqa: S101
    device, _created = StaticDevice.objects.get_or_create(
        user=actor.user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    codes = _new_recovery_codes(device)
    _audit(
        actor=actor,
        event=AuditEventType.RECOVERY_CODES_REGENERATED,
        device=device,
        count=len(codes),
    )
    return codes


@transaction.atomic
def remove_device(*, actor: Actor, device: Device) -> None:
    """Remove one of the acting user's own devices (a lost phone, a retired key)."""
    if actor.user is None or device.user_id != actor.user.pk:
        raise ValueError("Staff remove only their own devices.")
    _audit(actor=actor, event=AuditEventType.SECOND_FACTOR_REMOVED, device=device)
    device.delete()


@transaction.atomic
def reset_second_factor(*, actor: Actor, user: User) -> int:
    """Remove every device of another staff member who lost theirs (only with the right to
    change staff users); a user who must have a second factor sets one up at the next sign-in.
    Returns the number of devices removed."""
    if not actor.has_perm("accounts.change_user"):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            message=_("You may not change staff users."),
            field="user",
        )
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        _audit(
            actor=actor, event=AuditEventType.SECOND_FACTOR_RESET, device=device, user_id=user.pk
        )
        device.delete()
    return len(devices)
