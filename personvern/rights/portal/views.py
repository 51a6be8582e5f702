"""The public self-service portal: submit a request, confirm it, download the package, and
correct one's own profile. Norwegian bokmål unless ``?lang=en`` or the browser asks for
English. Views only translate between HTTP and the services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from personvern.core.actors import Actor, client_ip
from personvern.core.admin import add_domain_errors
from personvern.core.errors import DomainError
from personvern.core.submissions import person_submitted
from personvern.core.throttle import within_rate

from .. import config, services, tokens
from ..choices import ReceivedChannel, RequestStatus, RequestType, TokenPurpose
from ..models import DataSubjectRequest
from ..selectors import public_milestones
from .forms import RIGHT_SUMMARIES, ProfileForm, RequestForm

PROFILE_SESSION_KEY = "rights_profile_request"
View = Callable[..., HttpResponse]


def portal_actor(request: HttpRequest) -> Actor:
    return Actor(system="portal", ip_address=client_ip(request))


def language_of(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang") or request.LANGUAGE_CODE or "nb"
    return "en" if asked.lower().startswith("en") else "nb"


def in_portal_language(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = language_of(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapper


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    language = request.LANGUAGE_CODE
    other = "en" if language == "nb" else "nb"
    # The other language keeps the chosen right (the first step's choice is in the address).
    switch = {"lang": other}
    if right := _chosen_right(request):
        switch["right"] = right
    return render(
        request,
        f"rights/portal/{template}",
        {**context, "lang": language, "other_lang": other, "switch_query": urlencode(switch)},
        status=status,
    )


def _chosen_right(request: HttpRequest) -> str | None:
    """The right chosen in the first step (``?right=``) or posted with the form."""
    chosen = request.POST.get("request_type") or request.GET.get("right") or ""
    return chosen if chosen in RequestType.values else None


@never_cache
@require_http_methods(["GET", "POST"])
@in_portal_language
def submit(request: HttpRequest) -> HttpResponse:
    """Two steps that work without JavaScript: choose the right (a GET form), then fill in
    that right's fields only. With JavaScript (``portal.js``) the first step shows the chosen
    right's form in place: every right's form is on the page, all but the chosen one hidden."""
    right = _chosen_right(request)
    context: dict[str, Any] = {"deadline_days": config.deadline_days()}
    if right is None:
        rights = [
            {"value": value, "label": label, "summary": RIGHT_SUMMARIES[value]}
            for value, label in RequestType.choices
        ]
        return _page(
            request,
            "choose.html",
            {
                **context,
                "rights": rights,
                # ``?right=`` given but naming no right: say so rather than start again silently.
                "choose_error": "right" in request.GET,
                "forms": [RequestForm(right=value) for value in RequestType.values],
            },
        )
    form = RequestForm(request.POST or None, right=right)
    context |= {"form": form}
    if request.method == "POST" and not within_rate("portal-submit", client_ip(request)):
        return _page(request, "submit.html", {**context, "throttled": True}, 429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_request(
                actor=portal_actor(request),
                request_type=right,
                email=data["email"],
                language=request.LANGUAGE_CODE,
                channel=ReceivedChannel.PORTAL,
                details=data.get("details", ""),
                destination_url=data.get("destination_url", ""),
                objection_scopes=data.get("objection_scopes", []),
                consent_purposes=data.get("consent_purposes", []),
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            # The same answer for every address: nothing here says whether it is known.
            return HttpResponseRedirect(
                f"{reverse('rights_portal:sent')}?lang={request.LANGUAGE_CODE}"
            )
    return _page(request, "submit.html", context)


@never_cache
@in_portal_language
def sent(request: HttpRequest) -> HttpResponse:
    return _page(request, "sent.html", {})


@never_cache
@require_http_methods(["GET", "POST"])
@in_portal_language
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST uses the link up (mail scanners follow links)."""
    try:
        if request.method == "GET":
            found = tokens.peek(token, purpose=TokenPurpose.VERIFY).request
            return _page(request, "verify.html", {"token": token, "dsr": found})
        verified = services.verify_by_token(token=token, actor=portal_actor(request))
    except DomainError as exc:
        return _page(request, "invalid.html", {"message": exc.message}, status=exc.status)
    if verified.request_type == RequestType.RECTIFICATION:
        request.session[PROFILE_SESSION_KEY] = verified.pk
    return _page(request, "verified.html", {"dsr": verified})


def _profile_request(request: HttpRequest) -> DataSubjectRequest | None:
    pk = request.session.get(PROFILE_SESSION_KEY)
    found = (
        DataSubjectRequest.objects.select_related("person")
        .filter(
            pk=pk,
            request_type=RequestType.RECTIFICATION,
            status__in=(RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS),
        )
        .first()
        if pk
        else None
    )
    return found if found is not None and found.person is not None else None


@never_cache
@require_http_methods(["GET", "POST"])
@in_portal_language
def profile(request: HttpRequest) -> HttpResponse:
    """The verified person's own profile (the customer centre's self-service)."""
    dsr = _profile_request(request)
    if dsr is None or dsr.person is None:
        return _page(request, "invalid.html", {"message": tokens.invalid_link().message}, 403)
    person = dsr.person
    initial = {name: getattr(person, name) for name in services.SELF_SERVICE_FIELDS}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        try:
            services.rectify_self_service(request=dsr, changes=changes)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            # This request carried the person's own data: its IP log entry names them.
            person_submitted(actor=portal_actor(request), request=request, person=person)
            request.session.pop(PROFILE_SESSION_KEY, None)
            return _page(request, "profile_saved.html", {"dsr": dsr})
    return _page(request, "profile.html", {"form": form, "dsr": dsr})


@never_cache
@require_http_methods(["GET", "POST"])
@in_portal_language
def download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "GET":
            found = tokens.peek(token, purpose=TokenPurpose.DOWNLOAD).request
            return _page(request, "download.html", {"token": token, "dsr": found})
        dsr, content = services.open_download(token=token)
    except DomainError as exc:
        return _page(request, "invalid.html", {"message": exc.message}, status=exc.status)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{dsr.reference}.zip"'
    return response


@never_cache
@require_GET
@in_portal_language
def status(request: HttpRequest, token: str) -> HttpResponse:
    """Where the request stands, from the link in every letter: the reference, the right, the
    state, the deadline and the milestones. Nothing else: no address, no name, no words."""
    try:
        dsr = tokens.peek(token, purpose=TokenPurpose.STATUS).request
    except DomainError as exc:
        return _page(request, "invalid.html", {"message": exc.message}, status=exc.status)
    return _page(request, "status.html", {"dsr": dsr, "milestones": public_milestones(dsr)})
