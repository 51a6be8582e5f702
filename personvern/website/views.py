"""Public pages served by Personvern: the privacy notice, the banner's script and stylesheet
(the vendored library, its configuration and the first-party script in one file each), and
a demo page that embeds the banner."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from personvern.core.errors import DomainError

from .choices import NOTICE_LANGUAGES, CookieCategory
from .models import Cookie
from .notice.builder import build_notice
from .notice.render import notice_html
from .selectors import lifetime_limit
from .services.cookies import current_policy

VENDOR_JS = "website/vendor/cookieconsent.umd.js"
VENDOR_CSS = "website/vendor/cookieconsent.css"
BANNER_JS = "website/banner.js"
BANNER_CSS = "website/banner.css"
DEFAULT_CONSENT_DAYS = 30


@functools.cache
def _static_text(name: str) -> str:
    found = finders.find(name)
    if not found:
        raise Http404(name)
    return Path(str(found)).read_text(encoding="utf-8")


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang") or translation.get_language() or "nb"
    return wanted if wanted in NOTICE_LANGUAGES else "nb"


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The organisation's privacy notice, generated from the register (``?lang=en``)."""
    language = _language(request)
    try:
        notice = build_notice(language=language, base_url=request.build_absolute_uri("/")[:-1])
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    return render(
        request,
        "website/privacy_notice.html",
        {
            "body": notice_html(notice),
            "language": language,
            "other": "en" if language == "nb" else "nb",
        },
    )


def banner_config(request: HttpRequest) -> dict[str, object]:
    """What the banner needs from the register: the policy revision, the cookies per category
    (to list them and to clear them on withdrawal) and where to send decisions."""
    policy = current_policy()
    categories: dict[str, list[dict[str, object]]] = {CookieCategory.NECESSARY: []}
    for cookie in Cookie.objects.order_by("category", "name"):
        categories.setdefault(cookie.category, []).append(
            {
                "name": cookie.name,
                "provider": cookie.provider,
                "description": cookie.description,
                "lifetime_days": cookie.lifetime_days,
                "domain": cookie.domain,
            }
        )
    return {
        "endpoint": request.build_absolute_uri(reverse("api:record_banner_decision")),
        "policyUrl": request.build_absolute_uri(reverse("website:privacy_notice")),
        "revision": policy.version if policy else 0,
        "categories": categories,
        # The consent cookie lives no longer than the organisation allows any cookie to.
        "consentDays": lifetime_limit() or DEFAULT_CONSENT_DAYS,
    }


@require_GET
@cache_control(public=True, max_age=300)
def banner_script(request: HttpRequest) -> HttpResponse:
    """One script to embed: vanilla-cookieconsent (MIT), the configuration, the first-party
    glue. Cached for five minutes, so a new policy version reaches visitors quickly."""
    config = json.dumps(banner_config(request)).replace("<", "\\u003c")
    body = "\n".join(
        [
            _static_text(VENDOR_JS),
            f"window.PERSONVERN_BANNER = {config};",
            _static_text(BANNER_JS),
        ]
    )
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=3600)
def banner_stylesheet(request: HttpRequest) -> HttpResponse:
    body = _static_text(VENDOR_CSS) + "\n" + _static_text(BANNER_CSS)
    return HttpResponse(body, content_type="text/css; charset=utf-8")


@require_GET
def demo_page(request: HttpRequest) -> HttpResponse:
    """A stand-in for the firm's website: the banner embedded as documented, and a local
    stand-in for Google Analytics that loads only after consent to statistics."""
    return render(request, "website/demo.html", {"language": _language(request)})
