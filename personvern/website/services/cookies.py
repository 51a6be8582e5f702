"""The cookie register, the cookie policy versions, and the banner's decisions in the ledger.

A banner decision is one batch in the consent ledger against the anonymous visitor id, with
the cookie policy version the visitor saw; refusals are recorded like consents, and unticking
a category that was granted records a withdrawal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.consent import services as consent
from personvern.consent.choices import ConsentAction, ConsentMethod, TextKind
from personvern.consent.models import ConsentEvent, ConsentState, ConsentText
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.records import (
    apply_changes,
    locked,
    model_errors,
    reject_unknown,
    save_unique,
)
from personvern.core.translated import in_default_language, stored
from personvern.processing.choices import LegalBasis
from personvern.processing.models import ProcessingActivity

from ..choices import COOKIE_POLICY_SLUG, NOTICE_LANGUAGES, CookieCategory, WebsiteErrorCode
from ..models import Cookie, CookiePolicyVersion
from ..notice.cookie_policy import categories_in_text, cookie_policy_text, offered_categories


@dataclass(frozen=True, kw_only=True)
class CookieValues:
    """A cookie as staff, the API or the demo give it; ``clean_cookie`` checks it. The fields
    are in the order the staff form shows them."""

    name: str
    provider: str
    category: str
    purpose: ProcessingActivity | None = None
    description: str
    description_en: str = ""  # in English; ``description`` is bokmål (``core.translated``)
    lifetime_days: int
    domain: str
    path: str = "/"

    @classmethod
    def of(cls, cookie: Cookie) -> CookieValues:
        with in_default_language():
            values = {name: getattr(cookie, name) for name in COOKIE_FIELDS}
        return cls(**{**values, "description_en": values["description_en"] or ""})


class CookieChanges(TypedDict, total=False):
    """The fields an update sets; the others keep what the row holds when it is locked."""

    name: str
    provider: str
    category: str
    purpose: ProcessingActivity | None
    description: str
    description_en: str
    lifetime_days: int
    domain: str
    path: str


COOKIE_FIELDS = tuple(field.name for field in fields(CookieValues))
COOKIE_TEXT_FIELDS = (
    "name",
    "provider",
    "category",
    "description",
    "description_en",
    "domain",
    "path",
)
# The website's codes for the model's own checks that fail other than as missing or too long.
COOKIE_INVALID = {
    "category": WebsiteErrorCode.INVALID_CATEGORY,
    "lifetime_days": WebsiteErrorCode.INVALID_LIFETIME,
    "purpose": CoreErrorCode.NOT_FOUND,
}
# RFC 6265 cookie-name: an HTTP token.
COOKIE_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,100}$")


def clean_cookie(values: CookieValues) -> CookieValues:
    """The cookie's text trimmed (the path ``/`` when none is given), then checked against
    what the model cannot say (an RFC 6265 name, a path, a consent-based purpose for a
    statistics or marketing cookie) and the model's own rules (required, column length,
    category, a lifetime of no fewer than 0 days); raises with every field error."""
    cleaned = {name: getattr(values, name) for name in COOKIE_FIELDS}
    for name in COOKIE_TEXT_FIELDS:
        cleaned[name] = str(cleaned[name] or "").strip()
    cleaned["path"] = cleaned["path"] or "/"
    errors: list[FieldError] = []
    if cleaned["name"] and not COOKIE_NAME.match(cleaned["name"]):
        message = _("A cookie name is letters, digits and !#$%&'*+-.^_`|~.")
        errors.append(FieldError("name", WebsiteErrorCode.INVALID_COOKIE_NAME, message))
    purpose: ProcessingActivity | None = cleaned["purpose"]
    if cleaned["category"] in CookieCategory.optional() and (
        purpose is None or purpose.legal_basis != LegalBasis.CONSENT
    ):
        errors.append(
            FieldError(
                "purpose",
                WebsiteErrorCode.PURPOSE_NOT_CONSENT,
                _(
                    "A statistics or marketing cookie needs consent: choose the consent-based "
                    "processing activity it serves."
                ),
            )
        )
    if not cleaned["path"].startswith("/"):
        errors.append(
            FieldError(
                "path", WebsiteErrorCode.INVALID_COOKIE_PATH, _("A cookie path starts with /.")
            )
        )
    errors = (
        model_errors(
            _unsaved(cleaned),
            too_long=WebsiteErrorCode.TOO_LONG,
            invalid=COOKIE_INVALID,
            exclude=[error.field for error in errors],
        )
        + errors
    )
    collect(errors)
    return CookieValues(**cleaned)


def _unsaved(values: dict[str, Any]) -> Cookie:
    with in_default_language():
        return Cookie(**stored(Cookie, values))


def _save(cookie: Cookie) -> None:
    save_unique(
        cookie,
        code=WebsiteErrorCode.DUPLICATE_COOKIE,
        message=_("This cookie (name, domain and path) is already in the register."),
        field="name",
    )


@transaction.atomic
def create_cookie(*, actor: Actor, values: CookieValues) -> Cookie:
    cleaned = clean_cookie(values)
    cookie = _unsaved({name: getattr(cleaned, name) for name in COOKIE_FIELDS})
    _save(cookie)
    record(actor=actor, event=AuditEventType.COOKIE_ADDED, obj=cookie, fields=COOKIE_FIELDS)
    return cookie


@transaction.atomic
def update_cookie(*, actor: Actor, cookie: Cookie, changes: CookieChanges) -> Cookie:
    cookie = locked(cookie)
    reject_unknown(changes, COOKIE_FIELDS, WebsiteErrorCode.UNKNOWN_FIELD)
    cleaned = clean_cookie(replace(CookieValues.of(cookie), **changes))
    with in_default_language():
        changed = apply_changes(
            cookie, stored(Cookie, {name: getattr(cleaned, name) for name in COOKIE_FIELDS})
        )
    if changed:
        cookie.updated_at = timezone.now()
        _save(cookie)
        record(actor=actor, event=AuditEventType.COOKIE_CHANGED, obj=cookie, fields=changed)
    return cookie


@transaction.atomic
def delete_cookie(*, actor: Actor, cookie: Cookie) -> None:
    record(actor=actor, event=AuditEventType.COOKIE_REMOVED, obj=cookie)
    cookie.delete()


def current_policy(language: str = "nb") -> ConsentText | None:
    return (
        ConsentText.objects.filter(
            kind=TextKind.COOKIE_POLICY, slug=COOKIE_POLICY_SLUG, language=language
        )
        .order_by("-version")
        .first()
    )


@transaction.atomic
def publish_cookie_policy(*, actor: Actor) -> list[ConsentText]:
    """Publish the cookie policy, in bokmål and English, from the register as it is now. The
    bokmål version number is the banner's revision: a new version makes the banner ask again.
    Both languages are published together so their version numbers stay in step."""
    published = []
    categories = offered_categories()
    for language in NOTICE_LANGUAGES:
        title, text = cookie_policy_text(language)
        published.append(
            consent.publish_text(
                actor=actor,
                kind=TextKind.COOKIE_POLICY,
                slug=COOKIE_POLICY_SLUG,
                language=language,
                title=title,
                text=text,
            )
        )
    CookiePolicyVersion.objects.get_or_create(
        version=published[0].version, defaults={"categories": categories}
    )
    return published


@dataclass(frozen=True)
class BannerDecision:
    """What the banner sent: the categories accepted and rejected under one policy version."""

    visitor_id: str
    policy_version: int
    language: str
    accepted: Sequence[str]
    rejected: Sequence[str]
    gpc: bool = False


def _policy_text(decision: BannerDecision) -> ConsentText:
    texts = ConsentText.objects.filter(
        kind=TextKind.COOKIE_POLICY, slug=COOKIE_POLICY_SLUG, version=decision.policy_version
    )
    text: ConsentText | None = (
        texts.filter(language=decision.language).first() or texts.filter(language="nb").first()
    )
    if text is None:
        raise DomainError(
            code=WebsiteErrorCode.UNKNOWN_POLICY_VERSION,
            message=_("There is no cookie policy with this version."),
            field="policy_version",
        )
    return text


def _check_fields(decision: BannerDecision) -> tuple[set[str], set[str]]:
    accepted, rejected = set(decision.accepted), set(decision.rejected)
    errors: list[FieldError] = []
    for name, chosen in (("accepted", accepted), ("rejected", rejected)):
        if chosen - set(CookieCategory.values):
            errors.append(
                FieldError(name, WebsiteErrorCode.UNKNOWN_CATEGORY, _("Unknown cookie category."))
            )
    if accepted & rejected:
        errors.append(
            FieldError(
                "rejected",
                WebsiteErrorCode.CONFLICTING_CHOICE,
                _("A category is either accepted or rejected."),
            )
        )
    if CookieCategory.NECESSARY in rejected:
        errors.append(
            FieldError(
                "rejected",
                WebsiteErrorCode.CONFLICTING_CHOICE,
                _("Strictly necessary cookies cannot be rejected."),
            )
        )
    if decision.language not in NOTICE_LANGUAGES:
        errors.append(FieldError("language", WebsiteErrorCode.INVALID_LANGUAGE, _("Use nb or en.")))
    collect(errors)
    return accepted, rejected


def _offered_in(text: ConsentText) -> set[str]:
    recorded = (
        CookiePolicyVersion.objects.filter(version=text.version)
        .values_list("categories", flat=True)
        .first()
    )
    return set(recorded if recorded is not None else categories_in_text(text.text, text.language))


def _check_against_policy(
    decision: BannerDecision, text: ConsentText, accepted: set[str], rejected: set[str]
) -> None:
    """A consent is given to the policy the visitor was shown, and only the current one can
    be consented to: a grant against a superseded version is refused with
    ``policy_superseded`` (409) and the banner asks again, as consent-management platforms do
    when the policy changes. Refusals and withdrawals against it are recorded: saying no is
    never refused (GDPR Art. 7(3)). Either way only the categories that version offered."""
    current = current_policy()
    optional = set(CookieCategory.optional())
    if current is not None and text.version != current.version and accepted & optional:
        raise DomainError(
            code=WebsiteErrorCode.POLICY_SUPERSEDED,
            status=409,
            field="policy_version",
            message=_(
                "The cookie policy has changed since the banner was shown (version "
                "%(current)s is current): ask the visitor again."
            )
            % {"current": current.version},
        )
    offered = _offered_in(text)
    errors = [
        FieldError(
            name,
            WebsiteErrorCode.CATEGORY_NOT_IN_POLICY,
            _("Cookie policy version %(version)s has no category %(categories)s.")
            % {"version": text.version, "categories": ", ".join(sorted(chosen - offered))},
        )
        for name, chosen in (("accepted", accepted), ("rejected", rejected))
        if chosen - offered
    ]
    collect(errors)


def _apply_gpc(decision: BannerDecision, accepted: set[str], rejected: set[str]) -> None:
    """Global Privacy Control is a refusal of sale and sharing: marketing stays off."""
    if decision.gpc and CookieCategory.MARKETING in accepted:
        accepted.discard(CookieCategory.MARKETING)
        rejected.add(CookieCategory.MARKETING)


def _purposes_by_category() -> dict[str, list[ProcessingActivity]]:
    purposes: dict[str, list[ProcessingActivity]] = {}
    cookies = Cookie.objects.filter(
        category__in=CookieCategory.optional(), purpose__isnull=False
    ).select_related("purpose")
    for cookie in cookies.order_by("purpose_id"):
        assert cookie.purpose is not None  # noqa: S101 - filtered above
        bucket = purposes.setdefault(cookie.category, [])
        if cookie.purpose not in bucket:
            bucket.append(cookie.purpose)
    return purposes


@transaction.atomic
def record_banner_decision(
    *, actor: Actor, decision: BannerDecision, evidence: consent.Evidence
) -> list[ConsentEvent]:
    """Record a banner decision in the consent ledger: a consent or refusal per purpose of each
    category chosen, or a withdrawal where a granted category is now rejected."""
    accepted, rejected = _check_fields(decision)
    text = _policy_text(decision)
    if decision.gpc and CookieCategory.MARKETING not in _offered_in(text):
        # An older banner adds marketing to a GPC browser's refusals even when the version
        # offered none: there is nothing to refuse.
        rejected.discard(CookieCategory.MARKETING)
    _check_against_policy(decision, text, accepted, rejected)
    _apply_gpc(decision, accepted, rejected)
    subject = consent.Subject(visitor_id=decision.visitor_id)
    purposes = _purposes_by_category()
    states = dict(
        ConsentState.objects.filter(**subject.state_filter(), channel="").values_list(
            "purpose_id", "action"
        )
    )
    choices: list[consent.Choice] = []
    withdrawals: list[ProcessingActivity] = []
    for category in sorted(accepted | rejected):
        for purpose in purposes.get(category, []):
            granted = category in accepted
            if not granted and states.get(purpose.pk) == ConsentAction.GRANTED:
                withdrawals.append(purpose)
            else:
                choices.append(
                    consent.Choice(purpose=purpose, channel="", granted=granted, text=text)
                )
    events = (
        consent.record_consents(
            actor=actor,
            subject=subject,
            choices=choices,
            method=ConsentMethod.COOKIE_BANNER,
            evidence=evidence,
        )
        if choices
        else []
    )
    for purpose in withdrawals:
        events.append(
            consent.withdraw_consent(
                actor=actor,
                subject=subject,
                purpose=purpose,
                channel="",
                method=ConsentMethod.COOKIE_BANNER,
                evidence=evidence,
            )
        )
    return events


def require_policy() -> ConsentText:
    policy = current_policy()
    if policy is None:
        raise DomainError(
            code=WebsiteErrorCode.NO_POLICY,
            message=_("No cookie policy has been published yet."),
            field="policy_version",
            status=409,
        )
    return policy
