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


def offered_categories() -> list[str]:
    """The categories the banner offers with the register as it is now: strictly necessary
    always, statistics and marketing when a cookie of theirs is registered."""
    present = set(Cookie.objects.values_list("category", flat=True).distinct())
    return [c.value for c in CookieCategory if c == CookieCategory.NECESSARY or c in present]


def categories_in_text(text: str, language: str) -> list[str]:
    """The categories a stored policy text lists, read from its headings (``cookie_policy_text``
    writes one ``<label>:`` line per category with cookies). Only for versions published
    before the categories were recorded with each version."""
    lines = set(text.splitlines())
    with translation.override(language):
        listed = {c.value for c in CookieCategory if f"{c.label}:" in lines}
    return [c.value for c in CookieCategory if c == CookieCategory.NECESSARY or c in listed]
