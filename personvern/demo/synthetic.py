"""Synthetic companies and people for the demo: a pure function of a fixed seed.

Everything is drawn before anything touches the database, in the same order on every run, so a
rerun plans exactly the same records and the loader can skip those that exist. Names come from
Faker (no_NO); e-mail addresses only on example domains, phone numbers in the Norwegian mobile
ranges, organisation numbers with a valid MOD11 check digit. None of it is a real person.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from faker import Faker
from stdnum.no import orgnr

from personvern.register.choices import (
    ApplicationStatus,
    InteractionChannel,
    Source,
    SubjectCategory,
)

from .content import CONTROLLER_ORGNR, PROCESSORS

SEED = 20_250_528
EXAMPLE_DOMAINS = ("example.no", "example.com")
HISTORY_DAYS = 3 * 365

# How many people of each category; together about 200, every category present.
CATEGORY_COUNTS: dict[SubjectCategory, int] = {
    SubjectCategory.CUSTOMER_CONTACT: 70,
    SubjectCategory.LEAD: 35,
    SubjectCategory.PARTNER_CONTACT: 20,
    SubjectCategory.SUPPLIER_CONTACT: 20,
    SubjectCategory.EMPLOYEE: 15,
    SubjectCategory.JOB_APPLICANT: 25,
    SubjectCategory.WEBSITE_VISITOR: 15,
}


class CompanyKind(StrEnum):
    CUSTOMER = "customer"
    PROSPECT = "prospect"
    PARTNER = "partner"
    SUPPLIER = "supplier"


COMPANY_COUNTS: dict[CompanyKind, int] = {
    CompanyKind.CUSTOMER: 36,
    CompanyKind.PROSPECT: 10,
    CompanyKind.PARTNER: 7,
    CompanyKind.SUPPLIER: 7,
}
COMPANY_OF_CATEGORY: dict[SubjectCategory, CompanyKind] = {
    SubjectCategory.CUSTOMER_CONTACT: CompanyKind.CUSTOMER,
    SubjectCategory.LEAD: CompanyKind.PROSPECT,
    SubjectCategory.PARTNER_CONTACT: CompanyKind.PARTNER,
    SubjectCategory.SUPPLIER_CONTACT: CompanyKind.SUPPLIER,
}

CONTACT_POSITIONS = (
    "Daglig leder",
    "Økonomisjef",
    "Regnskapsansvarlig",
    "Styreleder",
    "Innkjøpsansvarlig",
    "Salgssjef",
    "Kontorleder",
    "HR-ansvarlig",
    "Prosjektleder",
    "Controller",
)
CONTACT_ROLES = ("Beslutningstaker", "Fakturamottaker", "Kontaktperson", "Signaturberettiget")
STAFF_POSITIONS = (
    "Regnskapsfører",
    "Autorisert regnskapsfører",
    "Lønnsmedarbeider",
    "Rådgiver",
    "Teamleder regnskap",
)
VACANCIES = ("Regnskapsfører", "Lønnsmedarbeider", "Rådgiver økonomi", "Lærling regnskap")

SUMMARIES: dict[SubjectCategory, tuple[str, ...]] = {
    SubjectCategory.CUSTOMER_CONTACT: (
        "Spørsmål om årsoppgjøret.",
        "Avklaring av faktura.",
        "Ønsker endring i lønnskjøringen.",
        "Oppfølgingsmøte om rådgivningsavtalen.",
        "Spørsmål om mva-melding.",
        "",
    ),
    SubjectCategory.LEAD: (
        "Ba om tilbud på regnskapstjenester.",
        "Møte på bransjeseminar.",
        "Interessert i lønnstjenester.",
        "",
    ),
    SubjectCategory.PARTNER_CONTACT: (
        "Samarbeidsmøte.",
        "Avtalte felles kundearrangement.",
        "",
    ),
    SubjectCategory.SUPPLIER_CONTACT: (
        "Fornyelse av leverandøravtalen.",
        "Spørsmål om levering.",
        "",
    ),
    SubjectCategory.EMPLOYEE: ("Medarbeidersamtale.", "Oppdatert kontaktinformasjon.", ""),
    SubjectCategory.JOB_APPLICANT: (
        "Mottatt søknad og CV.",
        "Intervju.",
        "Spørsmål om stillingen.",
        "",
    ),
    SubjectCategory.WEBSITE_VISITOR: (
        "Kontaktskjema: spørsmål om priser.",
        "Kontaktskjema: ønsker å bli ringt opp.",
    ),
}
CHANNELS: dict[SubjectCategory, tuple[InteractionChannel, ...]] = {
    SubjectCategory.EMPLOYEE: (InteractionChannel.MEETING, InteractionChannel.EMAIL),
    SubjectCategory.JOB_APPLICANT: (
        InteractionChannel.EMAIL,
        InteractionChannel.MEETING,
        InteractionChannel.DOCUMENT,
    ),
    SubjectCategory.WEBSITE_VISITOR: (InteractionChannel.WEB_FORM,),
}
DEFAULT_CHANNELS = (
    InteractionChannel.MEETING,
    InteractionChannel.PHONE_CALL,
    InteractionChannel.EMAIL,
    InteractionChannel.DOCUMENT,
    InteractionChannel.SOCIAL_MEDIA,
)

RESERVED_ORGNRS = frozenset(
    {CONTROLLER_ORGNR} | {p.organisation_number for p in PROCESSORS if p.organisation_number}
)
THIRD_PARTY = "Demo Leadsbyrå AS"
PUBLIC_SOURCE = "Enhetsregisteret (Brønnøysundregistrene)"


@dataclass(frozen=True)
class CompanySpec:
    kind: CompanyKind
    name: str
    organisation_number: str
    street_address: str
    postal_code: str
    city: str
    email: str
    phone: str
    website: str
    source: str
    source_party: str
    source_reference: str


@dataclass(frozen=True)
class InteractionSpec:
    channel: str
    summary: str
    seconds_ago: int


@dataclass(frozen=True)
class ApplicationSpec:
    position: str
    status: str
    decided_days_ago: int | None


@dataclass(frozen=True)
class PersonSpec:
    category: str
    first_name: str
    last_name: str
    email: str
    phone: str
    position: str
    role: str
    company_orgnr: str | None
    source: str
    source_party: str
    source_reference: str
    interactions: tuple[InteractionSpec, ...]
    applications: tuple[ApplicationSpec, ...]


@dataclass(frozen=True)
class DemoPlan:
    companies: tuple[CompanySpec, ...]
    people: tuple[PersonSpec, ...]


def orgnr_check_digit(base: str) -> str:
    """The MOD11 check digit python-stdnum accepts for an 8-digit base, or "-" when none
    exists (remainder 10). The pinned python-stdnum only validates, so ask it for each digit."""
    return next((d for d in "0123456789" if orgnr.is_valid(base + d)), "-")


def _ascii(value: str) -> str:
    value = value.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")


def slug(value: str, sep: str = "-") -> str:
    return re.sub(r"[^a-z0-9]+", sep, _ascii(value)).strip(sep)


class _Generator:
    def __init__(self, seed: int, reserved_orgnrs: frozenset[str] = frozenset()) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("no_NO")
        self.fake.seed_instance(seed)
        # Never reuse the controller's or a processor's number for a register company.
        self.orgnrs: set[str] = set(reserved_orgnrs)
        self.phones: set[str] = set()
        self.emails: set[str] = set()

    def orgnr(self) -> str:
        while True:
            base = f"{self.rng.choice('89')}{self.rng.randrange(10**7):07d}"
            check = orgnr_check_digit(base)
            if check != "-" and base + check not in self.orgnrs:
                self.orgnrs.add(base + check)
                return base + check

    def mobile(self) -> str:
        """A Norwegian mobile number, as a person would type it (the service normalises)."""
        while True:
            digits = f"{self.rng.choice('49')}{self.rng.randrange(10**7):07d}"
            number = phonenumbers.parse(f"+47{digits}")
            mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
            if mobile and digits not in self.phones:
                self.phones.add(digits)
                return f"+47 {digits[:3]} {digits[3:5]} {digits[5:]}"

    def email(self, first_name: str, last_name: str) -> str:
        local = f"{slug(first_name, '.')}.{slug(last_name, '.')}"
        domain = self.rng.choice(EXAMPLE_DOMAINS)
        candidate, n = f"{local}@{domain}", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def company(self, kind: CompanyKind) -> CompanySpec:
        name = self.fake.company()
        if not name.endswith((" AS", " ASA", " BA", " ANS", " DA")):
            name = f"{name} AS"
        number = self.orgnr()
        # Prospects were found in the public register; the others told us themselves.
        public = kind == CompanyKind.PROSPECT
        return CompanySpec(
            kind=kind,
            name=name,
            organisation_number=number,
            street_address=self.fake.street_address(),
            postal_code=self.fake.postcode(),
            city=self.fake.city(),
            email=f"post.{slug(name, '.')}@example.com",
            phone=self.mobile(),
            website=f"https://{slug(name)}.example.com",
            source=Source.PUBLIC_SOURCE if public else Source.DATA_SUBJECT,
            source_party=PUBLIC_SOURCE if public else "",
            source_reference=f"Oppslag på orgnr. {number}" if public else "",
        )

    def interactions(self, category: SubjectCategory) -> tuple[InteractionSpec, ...]:
        days = 365 if category == SubjectCategory.JOB_APPLICANT else HISTORY_DAYS
        channels = CHANNELS.get(category, DEFAULT_CHANNELS)
        specs = [
            InteractionSpec(
                channel=self.rng.choice(channels),
                summary=self.rng.choice(SUMMARIES[category]),
                seconds_ago=self.rng.randrange(3600, days * 86_400),
            )
            for _ in range(self.rng.randint(1, 5))
        ]
        return tuple(sorted(specs, key=lambda s: -s.seconds_ago))

    def applications(self) -> tuple[ApplicationSpec, ...]:
        status = self.rng.choice(list(ApplicationStatus))
        decided = status in ApplicationStatus.decided()
        return (
            ApplicationSpec(
                position=self.rng.choice(VACANCIES),
                status=status,
                decided_days_ago=self.rng.randint(1, 300) if decided else None,
            ),
        )

    def source(
        self, category: SubjectCategory, index: int, company: str | None
    ) -> tuple[str, str, str]:
        """A few leads from a named third party (with its proof of consent), a few contacts
        found in the public register of company roles; the rest from the person."""
        if category == SubjectCategory.LEAD and index % 6 == 1:
            return (Source.THIRD_PARTY, THIRD_PARTY, f"Samtykkebevis LB-{2025_000 + index}")
        if category == SubjectCategory.CUSTOMER_CONTACT and index % 12 == 5 and company:
            return (Source.PUBLIC_SOURCE, PUBLIC_SOURCE, f"Roller for orgnr. {company}")
        if category == SubjectCategory.CUSTOMER_CONTACT and index % 4 == 3:
            return (Source.INTERACTION, "", "")
        return (Source.DATA_SUBJECT, "", "")

    def person(
        self, category: SubjectCategory, index: int, pools: dict[CompanyKind, list[CompanySpec]]
    ) -> PersonSpec:
        first_name, last_name = self.fake.first_name(), self.fake.last_name()
        company: str | None = None
        kind = COMPANY_OF_CATEGORY.get(category)
        position, role = "", ""
        if kind is not None:
            pool = pools[kind]
            # Every company gets a contact before any gets a second.
            chosen = pool[index] if index < len(pool) else self.rng.choice(pool)
            company = chosen.organisation_number
            position = self.rng.choice(CONTACT_POSITIONS)
            role = self.rng.choice(CONTACT_ROLES)
        elif category == SubjectCategory.EMPLOYEE:
            position = self.rng.choice(STAFF_POSITIONS)
        source, source_party, source_reference = self.source(category, index, company)
        return PersonSpec(
            category=category,
            first_name=first_name,
            last_name=last_name,
            email=self.email(first_name, last_name),
            phone=self.mobile(),
            position=position,
            role=role,
            company_orgnr=company,
            source=source,
            source_party=source_party,
            source_reference=source_reference,
            interactions=self.interactions(category),
            applications=self.applications() if category == SubjectCategory.JOB_APPLICANT else (),
        )


def build_plan(seed: int = SEED) -> DemoPlan:
    """The demo's companies and people; the same seed always gives the same plan."""
    generator = _Generator(seed, reserved_orgnrs=RESERVED_ORGNRS)
    companies = [
        generator.company(kind) for kind, count in COMPANY_COUNTS.items() for _ in range(count)
    ]
    pools: dict[CompanyKind, list[CompanySpec]] = {kind: [] for kind in CompanyKind}
    for company in companies:
        pools[company.kind].append(company)
    people = [
        generator.person(category, index, pools)
        for category, count in CATEGORY_COUNTS.items()
        for index in range(count)
    ]
    return DemoPlan(companies=tuple(companies), people=tuple(people))
