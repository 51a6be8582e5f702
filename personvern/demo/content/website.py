"""The cookies the notice lists."""

from __future__ import annotations

from dataclasses import dataclass

from .activities import WEB_STATISTICS
from .organisation import CONTROLLER_NAME

# --- The website: the cookies of the notice ------------------------------------------------
# GA4's _ga and _ga_<container-id>, scoped to the site and within the 30-day limit;
# cc_cookie is the banner's own (the choice and the anonymous visitor id).


@dataclass(frozen=True)
class CookieSpec:
    name: str
    provider: str
    category: str
    description: str
    lifetime_days: int
    purpose: str = ""
    domain: str = "numeri.no"
    path: str = "/"


GOOGLE_ANALYTICS = "Google LLC (Google Analytics)"
COOKIES: tuple[CookieSpec, ...] = (
    CookieSpec(
        "cc_cookie",
        CONTROLLER_NAME,
        "necessary",
        "Husker valget ditt om informasjonskapsler og en tilfeldig besøks-ID.",
        30,
    ),
    # GA4 sets _ga and _ga_<container-id> (two years by default); the banner sets GA's
    # cookie_expires to the organisation's 30 days. _gid and _gat were Universal Analytics'.
    CookieSpec(
        "_ga",
        GOOGLE_ANALYTICS,
        "statistics",
        "Skiller besøkende fra hverandre (Google Analytics 4).",
        30,
        WEB_STATISTICS,
    ),
    CookieSpec(
        "_ga_*",
        GOOGLE_ANALYTICS,
        "statistics",
        "_ga_<container-ID>: husker økten for målingen på nettstedet (Google Analytics 4).",
        30,
        WEB_STATISTICS,
    ),
)
