"""django-otp-webauthn's endpoints, with Personvern's audit: a passkey registered, used or
refused is recorded through the accounts services. The begin endpoints are the library's own.
Passkeys are a second factor here, never a sign-in without the password."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from personvern.core.actors import Actor

from . import services
from .views import RECOVERY_CODES_SESSION_KEY


def _actor(request: HttpRequest) -> Actor | None:
    return Actor.from_request(request) if request.user.is_authenticated else None


class AuditedRefusals:
    """A refused ceremony of a signed-in user is audited as a failed second-factor attempt."""

    stage = ""
    request: HttpRequest

    def handle_exception(self, exc: Exception) -> JsonResponse:
        actor = _actor(self.request)
        if actor is not None and isinstance(exc, exceptions.OTPWebAuthnApiError):
            services.record_passkey_failure(actor=actor, stage=self.stage, code=exc.code)
        return super().handle_exception(exc)  # type: ignore[misc, no-any-return]


class RegistrationBegin(AuditedRefusals, BeginCredentialRegistrationView):  # type: ignore[misc]
    stage = "registration"


class RegistrationComplete(AuditedRefusals, CompleteCredentialRegistrationView):  # type: ignore[misc]
    stage = "registration"

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        request = self.request
        state = self.get_state()
        actor = _actor(request)
        assert actor is not None  # noqa: S101 - the ceremony's initial() requires a user
        with rewrite_exceptions(logger=None):
            device, codes = services.complete_passkey_registration(
                actor=actor,
                request=request,
                state=state,
                data=request.data,  # type: ignore[attr-defined]
            )
        if not request.user.is_verified():  # type: ignore[union-attr]
            otp_login(request, device)
        if codes:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
        return JsonResponse({"id": device.pk})


class AuthenticationComplete(AuditedRefusals, CompleteCredentialAuthenticationView):  # type: ignore[misc]
    stage = "authentication"

    def complete_auth(self, device: Any) -> None:
        actor = _actor(self.request)
        if actor is None:  # passwordless sign-in is off: the library refuses it before this
            raise exceptions.NotAuthenticated()
        otp_login(self.request, device)
        services.record_passkey_verified(actor=actor, device=device)


app_name = "otp_webauthn"
urlpatterns = [
    path("registration/begin/", RegistrationBegin.as_view(), name="credential-registration-begin"),
    path(
        "registration/complete/",
        RegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        AuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
