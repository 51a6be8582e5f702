"""The cookie policy text, generated from the cookie register: what a visitor consents to.
Each published version is kept with its hash; banner decisions point at the version shown."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..choices import CookieCategory
from ..models import Cookie


def cookie_policy_text(language: str) -> tuple[str, str]:
    """(title, text) in ``language``: one line per cookie, grouped by category."""
    lines: list[str] = []
    with translation.override(language):
        title = _("Cookies")
        lines.append(
            _(
                "Strictly necessary cookies are always set. Statistics and marketing cookies are "
                "set only if you consent, and you can change your choice at any time."
            )
        )
        for category in CookieCategory:
            cookies = list(Cookie.objects.filter(category=category).order_by("name"))
            if not cookies:
                continue
            lines.append("")
            lines.append(f"{category.label}:")
            for cookie in cookies:
                days = ngettext("%(days)s day", "%(days)s days", cookie.lifetime_days) % {
                    "days": cookie.lifetime_days
                }
                lines.append(
                    f"- {cookie.name} ({cookie.provider}; {cookie.domain}{cookie.path}; "
                    f"{days}): {cookie.description}"
                )
    return title, "\n".join(lines) + "\n"
