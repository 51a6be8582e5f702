"""Retention rules for the demo's activities, each naming its legal source."""

from __future__ import annotations

from dataclasses import dataclass

from personvern.register.choices import SubjectCategory

from .activities import (
    BOOKKEEPING,
    CONTRACT_FULFILMENT,
    CUSTOMER_DUE_DILIGENCE,
    CUSTOMER_RELATIONSHIP,
    CUSTOMER_SERVICE,
    DIRECT_MARKETING,
    PERSONNEL,
    RECRUITMENT,
    SALES_AND_MARKETING,
    SECURITY_LOG,
    WEB_STATISTICS,
)

# --- Retention rules -------------------------------------------------------------------------
# One or more per activity, each naming its legal source. The security log (IP addresses) gets
# its rule when the log itself is built; until then there is nothing in Personvern to sweep.


@dataclass(frozen=True)
class RetentionRuleSpec:
    name: str
    activity: str
    target: str
    trigger: str
    action: str
    legal_source: str
    years: int = 0
    months: int = 0
    days: int = 0
    subject_category: str = ""
    bookkeeping_kind: str = ""


GDPR_STORAGE_LIMITATION = "Personvernforordningen art. 5(1)(e) (lagringsbegrensning)"

RETENTION_RULES: tuple[RetentionRuleSpec, ...] = (
    RetentionRuleSpec(
        name="IP-sikkerhetslogg: slettes etter 90 dager",
        activity=SECURITY_LOG,
        target="ip_log_entries",
        trigger="created",
        action="delete",
        days=90,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; art. 32 (sikkerhet); personvernerklæringen: IP-adresser "
            "lagres over en periode som gjør det mulig å opprettholde god funksjonalitet og "
            "sikkerhet."
        ),
    ),
    RetentionRuleSpec(
        name="Kundekontakter: slettes tre år etter siste samhandling",
        activity=CUSTOMER_RELATIONSHIP,
        target="people",
        trigger="last_interaction",
        action="delete",
        years=3,
        subject_category=SubjectCategory.CUSTOMER_CONTACT,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; personvernerklæringen: en rimelig periode etter siste "
            "samhandling; foreldelsesloven § 2 (tre års foreldelsesfrist)."
        ),
    ),
    RetentionRuleSpec(
        name="Kundetiltak: slettes fem år etter at kundeforholdet er avsluttet",
        activity=CUSTOMER_DUE_DILIGENCE,
        target="due_diligence_records",
        trigger="relationship_ended",
        action="delete",
        years=5,
        legal_source=(
            "Hvitvaskingsloven § 30: dokumenter og opplysninger fra kundetiltak oppbevares i fem "
            "år etter at kundeforholdet er avsluttet."
        ),
    ),
    RetentionRuleSpec(
        name="Leads: slettes to år etter siste samhandling",
        activity=SALES_AND_MARKETING,
        target="people",
        trigger="last_interaction",
        action="delete",
        years=2,
        subject_category=SubjectCategory.LEAD,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; interesseavveiningen for salg (art. 6(1)(f)).",
    ),
    RetentionRuleSpec(
        name="Partnerkontakter: anonymiseres to år etter siste samhandling",
        activity=SALES_AND_MARKETING,
        target="people",
        trigger="last_interaction",
        action="anonymise",
        years=2,
        subject_category=SubjectCategory.PARTNER_CONTACT,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; statistikk beholdes bare anonymisert.",
    ),
    RetentionRuleSpec(
        name="Leads som har trukket samtykket: slettes etter 30 dager",
        activity=DIRECT_MARKETING,
        target="people",
        trigger="consent_withdrawn",
        action="delete",
        days=30,
        subject_category=SubjectCategory.LEAD,
        legal_source=(
            "Personvernforordningen art. 7(3) og 17(1)(b). Beviset for samtykket og "
            "tilbaketrekningen blir i samtykkeloggen (art. 7(1))."
        ),
    ),
    RetentionRuleSpec(
        name="Samtykkebevis: IP-adresse og nettleser fjernes tre år etter at samtykket opphørte",
        activity=DIRECT_MARKETING,
        target="consent_evidence",
        trigger="consent_ended",
        action="anonymise",
        years=3,
        legal_source=(
            "Personvernforordningen art. 7(1) (bevis for samtykket) og art. 5(1)(e); "
            "foreldelsesloven § 2 (tre års foreldelsesfrist for krav om samtykket)."
        ),
    ),
    RetentionRuleSpec(
        name="Kundeservicehenvendelser: slettes tre år etter at de fant sted",
        activity=CUSTOMER_SERVICE,
        target="interactions",
        trigger="created",
        action="delete",
        years=3,
        subject_category=SubjectCategory.CUSTOMER_CONTACT,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; foreldelsesloven § 2.",
    ),
    RetentionRuleSpec(
        name="Leverandørkontakter: slettes tre år etter at leverandørforholdet ble avsluttet",
        activity=CONTRACT_FULFILMENT,
        target="people",
        trigger="relationship_ended",
        action="delete",
        years=3,
        subject_category=SubjectCategory.SUPPLIER_CONTACT,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; foreldelsesloven § 2.",
    ),
    RetentionRuleSpec(
        name="Avtaler og vesentlig korrespondanse: 3 år og 6 måneder etter regnskapsårets slutt",
        activity=CONTRACT_FULFILMENT,
        target="bookkeeping_records",
        trigger="fiscal_year_end",
        action="delete",
        years=3,
        months=6,
        bookkeeping_kind="agreements",
        legal_source=(
            "Bokføringsloven § 13: avtaler og vesentlig korrespondanse oppbevares i 3 år og 6 "
            "måneder etter regnskapsårets slutt."
        ),
    ),
    RetentionRuleSpec(
        name="Regnskap og bilag: fem år etter regnskapsårets slutt",
        activity=BOOKKEEPING,
        target="bookkeeping_records",
        trigger="fiscal_year_end",
        action="delete",
        years=5,
        bookkeeping_kind="primary",
        legal_source=(
            "Bokføringsloven § 13: regnskap, spesifikasjoner og dokumentasjon av posteringer "
            "oppbevares i fem år etter regnskapsårets slutt."
        ),
    ),
    RetentionRuleSpec(
        name="Jobbsøknader: slettes seks måneder etter at ansettelsen er avgjort",
        activity=RECRUITMENT,
        target="job_applications",
        trigger="application_decided",
        action="delete",
        months=6,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; seks måneder dekker krav etter likestillings- og "
            "diskrimineringsloven. Lenger lagring bare med samtykke."
        ),
    ),
    RetentionRuleSpec(
        # The applicant's own record goes with the applications: the notice promises six
        # months after the decision for what the applicant gave us, the person record included.
        name="Søkere: slettes seks måneder etter at ansettelsen er avgjort",
        activity=RECRUITMENT,
        target="people",
        trigger="application_decided",
        action="delete",
        months=6,
        subject_category=SubjectCategory.JOB_APPLICANT,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; seks måneder dekker krav etter likestillings- og "
            "diskrimineringsloven. Lenger lagring bare med samtykke."
        ),
    ),
    RetentionRuleSpec(
        name="Nettstedsbesøkende: anonymiseres 30 dager etter siste besøk",
        activity=WEB_STATISTICS,
        target="people",
        trigger="last_interaction",
        action="anonymise",
        days=30,
        subject_category=SubjectCategory.WEBSITE_VISITOR,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; løftet i personvernerklæringen og samtykket: "
            "informasjonskapslene lever høyst 30 dager; statistikk beholdes bare anonymisert."
        ),
    ),
    RetentionRuleSpec(
        name="Tidligere ansatte: gjennomgås tre år etter at arbeidsforholdet ble avsluttet",
        activity=PERSONNEL,
        target="people",
        trigger="relationship_ended",
        action="flag",
        years=3,
        subject_category=SubjectCategory.EMPLOYEE,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; foreldelsesloven § 2. Lønnsbilag følger "
            "bokføringsloven § 13."
        ),
    ),
    RetentionRuleSpec(
        # The record of an answered request is kept as proof that it was handled (Art. 5(2));
        # a claim that a request was mishandled is time-barred after three years. The erasure
        # reply names this period (rights.letters).
        name="Besvarte forespørsler om rettigheter: slettes tre år etter at de ble besvart",
        activity=CUSTOMER_SERVICE,
        target="data_subject_requests",
        trigger="request_closed",
        action="delete",
        years=3,
        legal_source=(
            "Personvernforordningen art. 5 nr. 2 (ansvar: dokumentere at forespørselen ble "
            "behandlet); foreldelsesloven § 2 (tre års foreldelsesfrist)."
        ),
    ),
)
