from django.db import models
from django.utils.translation import gettext_lazy as _

from personvern.core.errors import ErrorCode


class CookieCategory(models.TextChoices):
    """The banner's categories. Only strictly necessary cookies are set without consent
    (ekomloven § 3-15); the others wait for the visitor's choice."""

    NECESSARY = "necessary", _("Strictly necessary")
    STATISTICS = "statistics", _("Statistics")
    MARKETING = "marketing", _("Marketing")

    @classmethod
    def optional(cls) -> list[str]:
        return [cls.STATISTICS, cls.MARKETING]


class LogSource(models.TextChoices):
    PERSONVERN = "personvern", _("Personvern's own pages")
    WEBSITE = "website", _("The organisation's website (ingest API)")


class NoticeFormat(models.TextChoices):
    HTML = "html", "HTML"
    MARKDOWN = "md", "Markdown"


# Methods by which a request can carry a form or other submitted data.
SUBMISSION_METHODS = frozenset({"POST", "PUT", "PATCH"})

COOKIE_POLICY_SLUG = "cookie-policy"
PRIVACY_NOTICE_SLUG = "privacy-notice"
NOTICE_LANGUAGES = ("nb", "en")


class WebsiteErrorCode(ErrorCode):
    INVALID_COOKIE_NAME = "invalid_cookie_name"
    INVALID_CATEGORY = "invalid_category"
    INVALID_COOKIE_PATH = "invalid_cookie_path"
    INVALID_LIFETIME = "invalid_lifetime"
    TOO_LONG = "too_long"
    UNKNOWN_FIELD = "unknown_field"
    DUPLICATE_COOKIE = "duplicate_cookie"
    PURPOSE_NOT_CONSENT = "purpose_not_consent"
    INVALID_ADDRESS = "invalid_address"
    INVALID_NETWORK = "invalid_network"
    NETWORK_TOO_BROAD = "network_too_broad"
    ALREADY_LIFTED = "already_lifted"
    ALREADY_BLOCKED = "already_blocked"
    ZONE_ID_NOT_ALLOWED = "zone_id_not_allowed"
    REVIEW_DATE_PAST = "review_date_past"
    NOT_A_SUBMISSION = "not_a_submission"
    UNKNOWN_PERSON = "unknown_person"
    NO_POLICY = "no_policy"
    UNKNOWN_POLICY_VERSION = "unknown_policy_version"
    POLICY_SUPERSEDED = "policy_superseded"
    CATEGORY_NOT_IN_POLICY = "category_not_in_policy"
    UNKNOWN_CATEGORY = "unknown_category"
    CONFLICTING_CHOICE = "conflicting_choice"
    NO_CONTROLLER = "no_controller"
    INVALID_LANGUAGE = "invalid_language"
    INVALID_FORMAT = "invalid_format"
