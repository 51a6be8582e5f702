"""The controller, its supervisory authority and its processors."""

from __future__ import annotations

from dataclasses import dataclass

from personvern.organisation.services import AuthorityValues, OrganisationChanges
from personvern.processing.choices import (
    TransferMechanism,
)

ACTOR_NAME = "demo"

DATATILSYNET = AuthorityValues(
    name="Datatilsynet",
    country="NO",
    website="https://www.datatilsynet.no",
    email="postkasse@datatilsynet.no",
    phone="+47 22 39 69 00",
    postal_address="Postboks 8177 Dep.\n0034 Oslo",
)

CONTROLLER_NAME = "Numeri AS"
# Synthetic: a valid MOD11 organisation number that is not the real firm's.
CONTROLLER_ORGNR = "934567897"

# What the demo sets; a website or postal address staff have added stays when it runs again.
CONTROLLER: OrganisationChanges = {
    "legal_name": CONTROLLER_NAME,
    "organisation_number": CONTROLLER_ORGNR,
    "responsible_role": "Daglig leder (managing director)",
    "privacy_contact_email": "post@numeri.no",
    "request_deadline_days": 30,
    "cookie_lifetime_limit_days": 30,
}

# --- Processors ------------------------------------------------------------------------------

GOOGLE = "Google LLC"
ACCOUNTING_SYSTEM = "Regnskapssystemet Demo AS"


@dataclass(frozen=True)
class ProcessorSpec:
    name: str
    country: str
    services: str
    transfer_mechanism: str
    data_categories: tuple[str, ...]
    organisation_number: str = ""
    # Agreement dates relative to the load: signed this many days ago, reviewed every N days.
    agreement_signed_days_ago: int = 400
    agreement_review_days: int = 730


PROCESSORS: tuple[ProcessorSpec, ...] = (
    ProcessorSpec(
        name=GOOGLE,
        country="US",
        services=(
            "Google Analytics: nettstatistikk for numeri.no. Opplysningene lagres i USA eller "
            "Europa. Google avidentifiserer IP-adresser ved å maskere siste del før lagring."
        ),
        transfer_mechanism=TransferMechanism.EU_US_DPF,
        data_categories=(
            "user.device.cookie_id",
            "user.device.ip_address",
            "user.device",
            "user.behavior.browsing_history",
        ),
    ),
    ProcessorSpec(
        name=ACCOUNTING_SYSTEM,
        country="NO",
        # Synthetic, valid MOD11.
        organisation_number="923456783",
        services=(
            "Skybasert regnskaps-, fakturerings- og lønnssystem: bokføring, fakturaer, "
            "purringer og lønnskjøring. Data lagres i Norge."
        ),
        transfer_mechanism=TransferMechanism.EEA,
        data_categories=(
            "user.name.first",
            "user.name.last",
            "user.contact.email",
            "user.contact.phone_number",
            "user.contact.organization",
        ),
        agreement_signed_days_ago=900,
        agreement_review_days=1095,
    ),
)
