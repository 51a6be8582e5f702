"""Bokmål labels for the choices the notice shows, until the project's bokmål catalogue is
translated: the notice must read as Norwegian today. Once ``locale/nb`` carries these msgids,
the nb notice can use the choices' own labels and this module can go."""

from __future__ import annotations

import re

import pycountry

from personvern.processing.choices import LegalBasis, TransferMechanism

from ..choices import CookieCategory

LEGAL_BASIS_NB: dict[str, str] = {
    LegalBasis.CONSENT: "Samtykke (art. 6 nr. 1 bokstav a)",
    LegalBasis.CONTRACT: "Avtale (art. 6 nr. 1 bokstav b)",
    LegalBasis.LEGAL_OBLIGATION: "Rettslig forpliktelse (art. 6 nr. 1 bokstav c)",
    LegalBasis.VITAL_INTERESTS: "Vitale interesser (art. 6 nr. 1 bokstav d)",
    LegalBasis.PUBLIC_TASK: "Allmennhetens interesse eller offentlig myndighet (art. 6 nr. 1 e)",
    LegalBasis.LEGITIMATE_INTEREST: "Berettiget interesse (art. 6 nr. 1 bokstav f)",
}

TRANSFER_NB: dict[str, str] = {
    TransferMechanism.EEA: "Innenfor EØS: ingen overføring",
    TransferMechanism.ADEQUACY: "Beslutning om tilstrekkelig beskyttelsesnivå (art. 45)",
    TransferMechanism.EU_US_DPF: (
        "EU-US Data Privacy Framework (beslutning om tilstrekkelig beskyttelsesnivå av "
        "10. juli 2023)"
    ),
    TransferMechanism.SCC: "EUs standard personvernbestemmelser (art. 46 nr. 2 bokstav c)",
    TransferMechanism.BCR: "Bindende virksomhetsregler (art. 47)",
}

COOKIE_CATEGORY_NB: dict[str, str] = {
    CookieCategory.NECESSARY: "Strengt nødvendig",
    CookieCategory.STATISTICS: "Statistikk",
    CookieCategory.MARKETING: "Markedsføring",
}

COUNTRY_NB = {
    "NO": "Norge",
    "SE": "Sverige",
    "DK": "Danmark",
    "FI": "Finland",
    "IS": "Island",
    "DE": "Tyskland",
    "NL": "Nederland",
    "IE": "Irland",
    "FR": "Frankrike",
    "BE": "Belgia",
    "US": "USA",
    "GB": "Storbritannia",
    "CH": "Sveits",
}

# Fideslang categories the demo and a typical Norwegian firm use.
DATA_CATEGORY_NB = {
    "user.name.first": "fornavn",
    "user.name.last": "etternavn",
    "user.name": "navn",
    "user.contact.email": "e-postadresse",
    "user.contact.phone_number": "telefonnummer",
    "user.contact.address": "postadresse",
    "user.contact.organization": "arbeidsgiver og dens kontaktinformasjon",
    "user.job_title": "stilling og rolle",
    "user.content.private": "henvendelser, kommentarer og dokumenter",
    "user.privacy_preferences": "samtykker og reservasjoner",
    "user.device": "opplysninger om enheten og nettleseren",
    "user.device.cookie_id": "ID i informasjonskapsler",
    "user.device.ip_address": "IP-adresse",
    "user.behavior.browsing_history": "sidevisninger og klikk på nettstedet",
    "user.financial.bank_account": "kontonummer",
}

# Fideslang keys of the special categories of Art. 9 and 10.
SPECIAL_CATEGORY_PARTS = (
    "health",
    "biometric",
    "genetic",
    "criminal",
    "political",
    "religious",
    "sexual",
    "racial",
    "ethnic",
    "union",
)


# Roles a Norwegian controller names as answerable for processing, in bokmål and English. The
# register holds one free-text role; a role listed here (recorded in either language, or as
# "bokmål (English)") is shown in the notice's language, anything else as recorded.
RESPONSIBLE_ROLES: tuple[tuple[str, str], ...] = (
    ("Daglig leder", "Managing director"),
    ("Styreleder", "Chair of the board"),
    ("Styret", "The board of directors"),
    ("Personvernombud", "Data protection officer"),
    ("Personvernansvarlig", "Privacy officer"),
)
_ROLE_INDEX = {name.casefold(): pair for pair in RESPONSIBLE_ROLES for name in pair}
_BOTH_LANGUAGES = re.compile(r"^(?P<first>[^()]+?)\s*\((?P<second>[^()]+)\)$")


def role_name(recorded: str, language: str) -> str:
    """The responsible role in ``language`` when it is a known role, else as recorded."""
    text = " ".join(recorded.split())
    both = _BOTH_LANGUAGES.match(text)
    names = (both["first"], both["second"]) if both else (text,)
    pairs = {_ROLE_INDEX.get(name.casefold()) for name in names}
    pair = pairs.pop() if len(pairs) == 1 else None
    if pair is None:
        return recorded
    return pair[0] if language == "nb" else pair[1]


def country_name(code: str, language: str) -> str:
    if language == "nb" and code in COUNTRY_NB:
        return COUNTRY_NB[code]
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code
