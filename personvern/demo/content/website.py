"""The cookies the notice lists."""

from __future__ import annotations

from dataclasses import dataclass

from .activities import WEB_STATISTICS
from .organisation import CONTROLLER_NAME

# --- The website: the cookies of the notice ------------------------------------------------
# _ga, _gid and _gat as the notice lists them, scoped to the site and within the 30-day limit;
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
    CookieSpec(
        "_ga", GOOGLE_ANALYTICS, "statistics", "For å identifisere en bruker.", 30, WEB_STATISTICS
    ),
    CookieSpec(
        "_gid", GOOGLE_ANALYTICS, "statistics", "For å skille på brukere.", 1, WEB_STATISTICS
    ),
    CookieSpec(
        "_gat",
        GOOGLE_ANALYTICS,
        "statistics",
        "For å begrense antall meldinger som logges (ett minutt).",
        0,
        WEB_STATISTICS,
    ),
)
