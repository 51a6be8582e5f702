"""Until the second factor is done, a staff session reaches nothing but the second-factor pages.

Every admin page redirects to the step still owed (verify or enrol); everywhere else — file
downloads, the API's session authentication, staff previews — the request is anonymous. API
bearer tokens do not use the session and are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from .models import User
from .second_factor import Step, pending_step

# The pages a session may reach while its second factor is still owed.
OPEN_VIEWS = frozenset(
    {
        "accounts:second_factor_verify",
        "accounts:second_factor_enrol",
        "accounts:second_factor_recovery_codes",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
        "admin:logout",
    }
)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only a session with a signed-in user costs a look-up; the portal's visitors do not.
        if SESSION_KEY in request.session and isinstance(request.user, User):
            step = pending_step(request.user)
            if step is not Step.NONE and not _is_open(request):
                if request.path.startswith(reverse("admin:index")):
                    return _redirect_to(step, request)
                request.user = AnonymousUser()
        return self.get_response(request)


def _is_open(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in OPEN_VIEWS


def _redirect_to(step: Step, request: HttpRequest) -> HttpResponseRedirect:
    name = f"accounts:second_factor_{'verify' if step is Step.VERIFY else 'enrol'}"
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return HttpResponseRedirect(reverse(name) + (f"?{query}" if query else ""))
