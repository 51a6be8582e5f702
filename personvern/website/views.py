"""Public pages served by Personvern: the published privacy notice (and a live preview for
staff), the banner's script and stylesheet (the vendored library, its configuration and the
first-party script in one file each), and a demo page that embeds the banner."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from personvern.core.errors import DomainError
from personvern.organisation.selectors import get_controller

from .choices import NOTICE_LANGUAGES, CookieCategory, NoticeFormat
from .models import Cookie
from .notice.builder import build_notice
from .notice.render import markdown_to_html, notice_html
from .selectors import lifetime_limit
from .services.cookies import current_policy
from .services.notice import latest_notice, published_notice

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


def _notice_staff(request: HttpRequest) -> bool:
    """Staff who may see the notice as the register generates it now (every staff role may read
    the published versions; the preview shows nothing more)."""
    user = request.user
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm("website.view_publishednotice")
    )


def _requested_version(request: HttpRequest) -> int | None:
    wanted = request.GET.get("version", "")
    if not wanted:
        return None
    if not wanted.isdigit():
        raise Http404("no such version")
    return int(wanted)


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The organisation's privacy notice as published (``?lang=en``): the latest version, with
    its number, date and SHA-256, so what a visitor read is a stored version. ``?version=N``
    shows an earlier one; ``?format=md`` gives the stored text the SHA-256 covers.

    Staff also see the notice as the register generates it now (``?preview=1``), marked as a
    preview. Until a version is published the public page says so and only staff see the
    preview: an unpublished text is not shown to visitors, because no version would record it."""
    language = _language(request)
    version = _requested_version(request)
    staff = _notice_staff(request)
    context: dict[str, object] = {
        "language": language,
        "other": "en" if language == "nb" else "nb",
        "staff": staff,
    }
    if not (staff and request.GET.get("preview") == "1"):
        published = published_notice(language=language, version=version)
        if published is not None:
            if request.GET.get("format") == NoticeFormat.MARKDOWN:
                return HttpResponse(published.text, content_type="text/markdown; charset=utf-8")
            latest = latest_notice(language)
            context |= {
                "body": markdown_to_html(published.text),
                "published": published,
                "latest": latest if latest is not None and latest.pk != published.pk else None,
            }
            return _notice_page(request, context)
        if version is not None or not staff:
            controller = get_controller()
            context["contact"] = controller.privacy_contact_email if controller else ""
            return _notice_page(request, context, status=404)
    try:
        notice = build_notice(language=language)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    context |= {"body": notice_html(notice), "preview": True}
    response = _notice_page(request, context)
    add_never_cache_headers(response)
    return response


def _notice_page(
    request: HttpRequest, context: dict[str, object], status: int = 200
) -> HttpResponse:
    with translation.override(str(context["language"])):
        return render(request, "website/privacy_notice.html", context, status=status)


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
        # Google Analytics' cookie_expires (seconds): _ga and _ga_<id> live no longer either.
        "analyticsCookieSeconds": (lifetime_limit() or DEFAULT_CONSENT_DAYS) * 24 * 60 * 60,
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
