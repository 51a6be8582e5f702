"""The second step of staff sign-in and the staff member's own devices. Thin: the services do
the work and the audit; these views mark the session verified (``django_otp.login``)."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp_webauthn.models import WebAuthnCredential

from personvern.core.actors import Actor

from . import services
from .choices import AccountsErrorCode
from .forms import CodeForm
from .models import User
from .second_factor import Step, is_required, pending_step
from .services.second_factor import method_of

RECOVERY_CODES_SESSION_KEY = "accounts_recovery_codes"

ERROR_MESSAGES = {
    AccountsErrorCode.INVALID_CODE: gettext_lazy("The code is not valid. Try again."),
    AccountsErrorCode.TOO_MANY_ATTEMPTS: gettext_lazy(
        "Too many wrong codes. Wait a moment before you try again."
    ),
}


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _to(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    """The admin's look, without its navigation: the session is not signed in yet."""
    return {
        **admin.site.each_context(request),
        "has_permission": False,
        "available_apps": [],
        "next": _next_url(request),
        **extra,
    }


def _signed_in_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_active and user.is_staff else None


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Sign-in's second step: a code from the app, a recovery code, or a passkey."""
    user = _signed_in_user(request)
    if user is None:
        return redirect("admin:login")
    step = pending_step(user)
    if step is Step.ENROL:
        return _to("accounts:second_factor_enrol", _next_url(request))
    if step is Step.NONE:
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    error: AccountsErrorCode | None = None
    if request.method == "POST" and form.is_valid():
        result = services.verify_code(
            actor=Actor.from_request(request), code=form.cleaned_data["code"]
        )
        if result.device is not None:
            otp_login(request, result.device)
            return HttpResponseRedirect(_next_url(request))
        error = result.error or AccountsErrorCode.INVALID_CODE
        form.add_error("code", ERROR_MESSAGES[error])
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    return render(
        request,
        "accounts/second_factor/verify.html",
        _context(
            request, form=form, has_passkey=has_passkey, error=error, title=_("Second factor")
        ),
    )


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app (QR code drawn here, no outside service) or a passkey. A user
    who must have a second factor and has none is sent here before any staff page."""
    user = _signed_in_user(request)
    if user is None:
        return redirect("admin:login")
    if pending_step(user) is Step.VERIFY:
        return _to("accounts:second_factor_verify", _next_url(request))
    device = services.start_totp_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, codes = services.confirm_totp(
            actor=Actor.from_request(request), device=device, code=form.cleaned_data["code"]
        )
        if result.device is not None:
            if not request.user.is_verified():  # type: ignore[union-attr]
                otp_login(request, device)
            if codes:
                request.session[RECOVERY_CODES_SESSION_KEY] = codes
                return _to("accounts:second_factor_recovery_codes", _next_url(request))
            messages.success(request, _("The authenticator app was added."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", ERROR_MESSAGES[result.error or AccountsErrorCode.INVALID_CODE])
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000")
    return render(
        request,
        "accounts/second_factor/enrol.html",
        _context(
            request,
            form=form,
            qr_svg=mark_safe(qr_svg),  # noqa: S308 - segno's own SVG markup
            secret=base64.b32encode(device.bin_key).decode(),
            required=is_required(user),
            title=_("Set up a second factor"),
        ),
    )


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just issued, shown this once (they are kept only in the session
    until this page is shown)."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    user = _signed_in_user(request)
    if user is None or not codes or not request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/second_factor/recovery_codes.html",
        _context(request, codes=codes, title=_("Recovery codes")),
    )


@never_cache
@staff_member_required
def devices(request: HttpRequest) -> HttpResponse:
    """A staff member's own second factors: add, remove, new recovery codes."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_member_required
    rows = [
        {
            "device": device,
            "method": method_of(device),
            "codes_left": device.token_set.count() if hasattr(device, "token_set") else None,
        }
        for device in devices_for_user(user, confirmed=True)
    ]
    return render(
        request,
        "accounts/second_factor/devices.html",
        {
            **admin.site.each_context(request),
            "rows": rows,
            "required": is_required(user),
            "title": _("Sign-in second factor"),
        },
    )


@require_POST
@staff_member_required
def remove(request: HttpRequest) -> HttpResponse:
    device = Device.from_persistent_id(request.POST.get("device", ""))
    if device is None or device.user_id != request.user.pk:
        messages.error(request, _("No such device."))
    else:
        services.remove_device(actor=Actor.from_request(request), device=device)
        messages.success(request, _("The device was removed."))
    return redirect("accounts:second_factor_devices")


@require_POST
@staff_member_required
def regenerate(request: HttpRequest) -> HttpResponse:
    codes = services.regenerate_recovery_codes(actor=Actor.from_request(request))
    request.session[RECOVERY_CODES_SESSION_KEY] = codes
    return _to("accounts:second_factor_recovery_codes", reverse("accounts:second_factor_devices"))
