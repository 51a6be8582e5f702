"""What the privacy notice says, gathered from the register: the controller, each active
processing activity, the processors and their transfer mechanisms, the cookies, retention, the
deadline for requests and the supervisory authority. Rendering lives in ``render``."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from django.apps import apps
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from personvern.core.config import portal_url as configured_base_url
from personvern.core.errors import DomainError
from personvern.core.network import mask_ip
from personvern.core.translated import flagged
from personvern.core.validation import format_orgnr, format_phone
from personvern.organisation.models import Organisation, SupervisoryAuthority
from personvern.organisation.roles import role_name
from personvern.organisation.selectors import get_controller
from personvern.pii.selectors import special_category_statement_facts
from personvern.processing.categories import category_name, is_special
from personvern.processing.choices import ActivityStatus, LegalBasis, TransferMechanism
from personvern.processing.models import ProcessingActivity, Processor
from personvern.processing.transfers import in_force
from personvern.retention.choices import TargetRecord
from personvern.retention.periods import describe
from personvern.retention.selectors import retention_days, strictest_rule

from ..choices import CookieCategory, WebsiteErrorCode
from ..models import Cookie

PORTAL_PATH = "/portal/"


@dataclass(frozen=True)
class NoticeProcessor:
    name: str
    country: str
    services: str
    transfer: str
    transfer_valid: bool
    outside_eea: bool
    has_agreement: bool


@dataclass(frozen=True)
class NoticeActivity:
    name: str
    purpose: str
    description: str
    legal_basis: str
    legal_basis_label: str
    legal_basis_detail: str
    data_categories: list[str]
    sources: str
    recipients: str
    processors: list[str]
    retention: str
    retention_rules: list[str]

    @property
    def required_by_law(self) -> bool:
        return self.legal_basis == LegalBasis.LEGAL_OBLIGATION


@dataclass(frozen=True)
class LegalDisclosure:
    """Recipients an activity discloses to because the law requires it (Art. 6(1)(c)): the
    auditor, the tax authority, reports under hvitvaskingsloven. The notice names them as
    such, so that "not without your consent" never contradicts the recipients listed."""

    activity: str
    recipients: str
    statute: str


@dataclass(frozen=True)
class NoticeCookie:
    name: str
    provider: str
    description: str
    category: str
    category_label: str
    lifetime_days: int
    domain: str
    path: str


@dataclass
class Notice:
    language: str
    controller: Organisation
    orgnr: str
    authority: SupervisoryAuthority
    authority_phone: str
    activities: list[NoticeActivity]
    processors: list[NoticeProcessor]
    cookies: list[NoticeCookie]
    security_measures: list[str]
    portal_url: str
    ip_log_days: int | None  # from the IP log's retention rule; None while there is none
    special_categories: bool
    responsible_role: str  # the controller's responsible role in the notice's language
    # Bits of an address statistics keep, from the masking itself (IPv4 /24, IPv6 /48).
    ipv4_mask_bits: int
    ipv6_mask_bits: int
    # Legal holds keep data past its rule while a request, claim or complaint is handled.
    legal_holds: bool
    bases: set[str] = field(default_factory=set)
    # From the consent-evidence retention rule ("3 years"); None while there is none.
    consent_evidence_period: str | None = None

    @property
    def legal_disclosures(self) -> list[LegalDisclosure]:
        return [
            LegalDisclosure(a.name, a.recipients, a.legal_basis_detail)
            for a in self.activities
            if a.required_by_law and a.recipients
        ]

    @property
    def uses_consent(self) -> bool:
        return LegalBasis.CONSENT in self.bases

    @property
    def uses_legitimate_interest(self) -> bool:
        return LegalBasis.LEGITIMATE_INTEREST in self.bases

    @property
    def all_processors_have_agreements(self) -> bool:
        """The notice may say "we have a data-processing agreement with each of them" only
        when it is true of each."""
        return all(p.has_agreement for p in self.processors)

    @property
    def google_analytics(self) -> bool:
        """Google Analytics' cookies are registered: the notice says their expiry is set."""
        return any(c.name == "_ga" or c.name.startswith("_ga_") for c in self.cookies)

    @property
    def within_limit(self) -> bool:
        """Every cookie lives no longer than the organisation's limit: the notice may say so."""
        limit = self.controller.cookie_lifetime_limit_days
        return all(c.lifetime_days <= limit for c in self.cookies)


def _transfer(processor: Processor) -> str:
    """The transfer mechanism in the active language (the catalogue's label)."""
    if not processor.transfer_is_valid:
        # Privacy Shield and the like may be recorded, never presented as a lawful basis.
        return str(
            _(
                "Not valid: the EU-US Privacy Shield was invalidated on 16 July 2020; "
                "the transfer must rest on another mechanism"
            )
        )
    return str(TransferMechanism(processor.transfer_mechanism).label)


def country_name(code: str, language: str) -> str:
    """The country's name in ``language`` from CLDR (Babel), or the code if unknown."""
    return str(Locale.parse(language).territories.get(code, code))


def organisation_text(instance: Any, name: str, language: str) -> str:
    """A text the organisation wrote, in ``language``, a fallback flagged (``core.translated``)."""
    return flagged(instance, name, language)


def _mask_bits(all_ones: str) -> int:
    """How many leading bits ``mask_ip`` keeps of an address: the notice states what the
    masking does, not what someone once wrote about it."""
    return bin(int(ipaddress.ip_address(mask_ip(all_ones)))).count("1")


def _retention_rules(activity: ProcessingActivity) -> list[str]:
    if not hasattr(activity, "notice_rules"):
        return []
    language = translation.get_language() or "nb"
    return [organisation_text(rule, "name", language) for rule in activity.notice_rules]


def _activities() -> list[ProcessingActivity]:
    queryset = ProcessingActivity.objects.filter(status=ActivityStatus.ACTIVE).prefetch_related(
        "data_categories",
        Prefetch("processors", queryset=Processor.objects.prefetch_related("agreements")),
    )
    if apps.is_installed("personvern.retention"):
        rule_model = apps.get_model("retention", "RetentionRule")
        queryset = queryset.prefetch_related(
            Prefetch(
                "retention_rules",
                queryset=rule_model.objects.filter(active=True).order_by("name"),
                to_attr="notice_rules",
            )
        )
    return list(queryset.order_by("name"))


def build_notice(*, language: str, base_url: str | None = None) -> Notice:
    """The notice's content in ``language`` (nb or en). Links to the portal start with
    ``base_url``: by default the configured public address (``PERSONVERN_PORTAL_URL``), so
    what is published and previewed carries absolute links; ``""`` leaves them relative."""
    if base_url is None:
        base_url = configured_base_url()
    controller = get_controller()
    if controller is None:
        raise DomainError(
            code=WebsiteErrorCode.NO_CONTROLLER,
            message=_("Register the organisation (the controller) before generating its notice."),
        )
    with translation.override(language):
        activities = []
        processors: dict[str, NoticeProcessor] = {}
        measures: list[str] = []
        special = False
        for activity in _activities():
            basis = LegalBasis(activity.legal_basis)
            categories = list(activity.data_categories.all())
            special = special or any(is_special(c) for c in categories)
            for processor in activity.processors.all():
                processors.setdefault(
                    processor.name,
                    NoticeProcessor(
                        name=processor.name,
                        country=country_name(processor.country, language),
                        services=organisation_text(processor, "services", language),
                        transfer=_transfer(processor),
                        transfer_valid=processor.transfer_is_valid,
                        outside_eea=processor.transfer_mechanism != TransferMechanism.EEA,
                        has_agreement=any(map(in_force, processor.agreements.all())),
                    ),
                )
            measure = organisation_text(activity, "security_measures", language)
            if measure and measure not in measures:
                measures.append(measure)
            activities.append(
                NoticeActivity(
                    name=organisation_text(activity, "name", language),
                    purpose=organisation_text(activity, "purpose", language),
                    description=organisation_text(activity, "description", language),
                    legal_basis=basis.value,
                    legal_basis_label=str(basis.label),
                    legal_basis_detail=organisation_text(activity, "legal_basis_detail", language),
                    data_categories=[category_name(c) for c in categories],
                    sources=organisation_text(activity, "sources", language),
                    recipients=organisation_text(activity, "recipients", language),
                    processors=[p.name for p in activity.processors.all()],
                    retention=organisation_text(activity, "retention", language),
                    retention_rules=_retention_rules(activity),
                )
            )
        evidence_rule = strictest_rule(TargetRecord.CONSENT_EVIDENCE)
        evidence_period = describe(evidence_rule.period) if evidence_rule else None
        cookies = [
            NoticeCookie(
                name=c.name,
                provider=c.provider,
                description=organisation_text(c, "description", language),
                category=c.category,
                category_label=str(CookieCategory(c.category).label),
                lifetime_days=c.lifetime_days,
                domain=c.domain,
                path=c.path,
            )
            for c in Cookie.objects.order_by("category", "name")
        ]
    authority = controller.supervisory_authority
    return Notice(
        language=language,
        controller=controller,
        orgnr=format_orgnr(controller.organisation_number),
        authority=authority,
        authority_phone=format_phone(authority.phone),
        activities=activities,
        processors=sorted(processors.values(), key=lambda p: p.name),
        cookies=cookies,
        security_measures=measures,
        portal_url=f"{base_url}{PORTAL_PATH}",
        ip_log_days=retention_days(TargetRecord.IP_LOG_ENTRIES),
        # Declared, found unreviewed or kept: the notice never promises "none" blindly.
        special_categories=not special_category_statement_facts(declared=special).may_state_none,
        responsible_role=role_name(controller.responsible_role, language),
        ipv4_mask_bits=_mask_bits("255.255.255.255"),
        ipv6_mask_bits=_mask_bits("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        legal_holds=apps.is_installed("personvern.retention"),
        bases={a.legal_basis for a in activities},
        consent_evidence_period=evidence_period,
    )
