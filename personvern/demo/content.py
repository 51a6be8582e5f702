"""What the demo organisation's privacy notice says, as data the services can load.

The source is the privacy notice of Numeri AS (``settings.PERSONVERN["SEED_DIR"]``). Where the
notice is out of date or loose, the demo does better while keeping its intent:

- Transfers to Google rest on the EU-US Data Privacy Framework, not "Privacy Shield" (invalid
  since 16 July 2020).
- The controller is named consistently as Numeri AS; the notice's stray template names (another
  firm, a CRM vendor) are left out.
- Contract fulfilment and bookkeeping are two activities, because they rest on two legal bases
  (the contract and bokføringsloven) with different retention.
- Web statistics rest on consent: Norwegian law requires consent for analytics cookies.
- The organisation number is synthetic (valid MOD11), not the real firm's.
"""

from __future__ import annotations

from dataclasses import dataclass

from personvern.accounts.choices import Role
from personvern.processing.choices import (
    AssessmentOutcome,
    CommunicationKind,
    LegalBasis,
    TransferMechanism,
)
from personvern.register.choices import SubjectCategory

ACTOR_NAME = "demo"

DATATILSYNET: dict[str, str] = {
    "name": "Datatilsynet",
    "country": "NO",
    "website": "https://www.datatilsynet.no",
    "email": "postkasse@datatilsynet.no",
    "phone": "+47 22 39 69 00",
    "postal_address": "Postboks 8177 Dep.\n0034 Oslo",
}

CONTROLLER_NAME = "Numeri AS"
# Synthetic: a valid MOD11 organisation number that is not the real firm's.
CONTROLLER_ORGNR = "934567897"

CONTROLLER: dict[str, object] = {
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
            "user.device.cookie_id", "user.device.ip_address", "user.behavior.browsing_history",
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
            "user.name.first", "user.name.last", "user.contact.email",
            "user.contact.phone_number", "user.contact.organization",
        ),
        agreement_signed_days_ago=900,
        agreement_review_days=1095,
    ),
)

# --- Processing activities -------------------------------------------------------------------

CONTACT_DATA = (
    "user.name.first", "user.name.last", "user.contact.email", "user.contact.phone_number",
    "user.job_title", "user.contact.organization",
)
SECURITY_BASELINE = (
    "Tilgang kun for ansatte i Numeri AS med en rolle som trenger det (rollebasert "
    "tilgangsstyring); alle endringer og oppslag logges i revisjonsloggen; kryptert "
    "kommunikasjon (HTTPS); databehandleravtaler med leverandørene; rutiner etter "
    "bransjenormen fra Regnskap Norge."
)
STAFF_ONLY = (
    "Ansatte i Numeri AS. Opplysningene deles, selges eller leies ikke ut til tredjeparter."
)


@dataclass(frozen=True)
class AssessmentSpec:
    purpose_test: str
    necessity_test: str
    balancing_test: str
    outcome: str = AssessmentOutcome.FAVOURABLE


@dataclass(frozen=True)
class ActivitySpec:
    name: str
    purpose: str
    description: str
    legal_basis: str
    legal_basis_detail: str
    subject_categories: tuple[str, ...]
    data_categories: tuple[str, ...]
    sources: str
    recipients: str
    retention: str
    security_measures: str = SECURITY_BASELINE
    processors: tuple[str, ...] = ()
    communication: str = CommunicationKind.NONE
    existing_customer_exception: bool = False
    assessment: AssessmentSpec | None = None


CUSTOMER_RELATIONSHIP = "Kundeforhold"
SALES_AND_MARKETING = "Salg og markedsføring"
DIRECT_MARKETING = "Markedsføring på e-post, SMS og telefon"
CUSTOMER_SERVICE = "Kundeservice"
CONTRACT_FULFILMENT = "Kontraktsoppfyllelse og fakturering"
BOOKKEEPING = "Bokføring og oppbevaring av regnskapsmateriale"
RECRUITMENT = "Rekruttering"
WEB_STATISTICS = "Nettstatistikk (Google Analytics)"
SECURITY_LOG = "Sikkerhetslogg med IP-adresser"
PERSONNEL = "Personaladministrasjon"

ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec(
        name=CUSTOMER_RELATIONSHIP,
        purpose="Håndtere kundeforholdet mellom kunden og Numeri AS.",
        description=(
            "Navn, telefonnummer, stilling, rolle og e-postadresse til kontaktpersoner hos "
            "kunder, og navnet på og kontaktinformasjonen til selskapet de jobber for."
        ),
        legal_basis=LegalBasis.CONTRACT,
        legal_basis_detail="Art. 6(1)(b): avtalen med kunden.",
        subject_categories=(SubjectCategory.CUSTOMER_CONTACT,),
        data_categories=CONTACT_DATA,
        sources="Fra den registrerte, og fra samhandling (møter, telefon, e-post, dokumenter).",
        recipients=STAFF_ONLY,
        retention="Slettes tre år etter siste samhandling, med mindre lov krever lengre lagring.",
    ),
    ActivitySpec(
        name=SALES_AND_MARKETING,
        communication=CommunicationKind.DIRECT_MARKETING,
        existing_customer_exception=True,
        purpose="Salgs- og markedsføringsarbeid overfor kunder, partnere og potensielle kunder.",
        description=(
            "Kontaktopplysninger og yrkesrolle brukes til å spisse kommunikasjon og "
            "tjenestetilbud. Den registrerte kan når som helst reservere seg."
        ),
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_detail="Art. 6(1)(f), etter dokumentert interesseavveining.",
        subject_categories=(
            SubjectCategory.CUSTOMER_CONTACT, SubjectCategory.PARTNER_CONTACT, SubjectCategory.LEAD,
        ),
        data_categories=CONTACT_DATA,
        sources=(
            "Fra den registrerte; fra tredjeparter som har den registrertes samtykke til å dele "
            "opplysningene; fra offentlige kilder (Enhetsregisteret)."
        ),
        recipients=STAFF_ONLY,
        retention="Slettes to år etter siste samhandling, og straks ved innsigelse.",
        assessment=AssessmentSpec(
            purpose_test=(
                "Numeri AS har en berettiget interesse i å tilby regnskapstjenester til "
                "eksisterende og potensielle bedriftskunder og samarbeidspartnere."
            ),
            necessity_test=(
                "Behandlingen er begrenset til navn, stilling, rolle og jobbkontaktopplysninger; "
                "uten dem kan vi ikke nå rett person i virksomheten."
            ),
            balancing_test=(
                "Opplysningene gjelder personer i deres yrkesrolle og er ikke særlige kategorier. "
                "Vurderingen etablerer en gjensidig interesse mellom den registrerte og Numeri AS. "
                "Den registrerte informeres og kan protestere når som helst (art. 21); innsigelse "
                "stanser direkte markedsføring."
            ),
        ),
    ),
    ActivitySpec(
        name=DIRECT_MARKETING,
        communication=CommunicationKind.DIRECT_MARKETING,
        purpose="Sende markedsføring på e-post, SMS og telefon til dem som har samtykket.",
        description=(
            "Elektronisk innhentet samtykke lagres og dokumenteres for hver enkelt. "
            "Samtykket kan trekkes tilbake når som helst."
        ),
        legal_basis=LegalBasis.CONSENT,
        legal_basis_detail=(
            "Art. 6(1)(a); markedsføringsloven § 15 for e-post og SMS. Reservasjonsregisteret "
            "respekteres ved telefonsalg."
        ),
        subject_categories=(SubjectCategory.CUSTOMER_CONTACT, SubjectCategory.LEAD),
        data_categories=(
            "user.name.first", "user.name.last", "user.contact.email",
            "user.contact.phone_number", "user.privacy_preferences",
        ),
        sources="Fra den registrerte (elektronisk samtykke).",
        recipients=STAFF_ONLY,
        retention=(
            "Til samtykket trekkes tilbake; dokumentasjonen av samtykket beholdes i tre år etter."
        ),
    ),
    ActivitySpec(
        name=CUSTOMER_SERVICE,
        communication=CommunicationKind.SERVICE_MESSAGES,
        purpose="Besvare spørsmål og følge opp tilbakemeldinger fra kunder.",
        description=(
            "Tilbakemeldinger, kommentarer og spørsmål fra servicerelatert kommunikasjon: møter, "
            "telefonsamtaler, dokumenter og e-post."
        ),
        legal_basis=LegalBasis.CONTRACT,
        legal_basis_detail="Art. 6(1)(b): oppfølging av avtalen med kunden.",
        subject_categories=(SubjectCategory.CUSTOMER_CONTACT,),
        data_categories=(*CONTACT_DATA, "user.content.private"),
        sources="Fra den registrerte og fra samhandling.",
        recipients=STAFF_ONLY,
        retention="Slettes tre år etter siste samhandling.",
    ),
    ActivitySpec(
        name=CONTRACT_FULFILMENT,
        communication=CommunicationKind.SERVICE_MESSAGES,
        purpose=(
            "Levere avtalte tjenester og oppfylle avtaler med kunder, partnere og leverandører."
        ),
        description=(
            "Ordrebekreftelser, lisensdetaljer, fakturaer, påminnelser, nødvendige oppgraderinger "
            "og viktige meldinger om kundens løsninger."
        ),
        legal_basis=LegalBasis.CONTRACT,
        legal_basis_detail="Art. 6(1)(b): avtalen med kunden, partneren eller leverandøren.",
        subject_categories=(
            SubjectCategory.CUSTOMER_CONTACT, SubjectCategory.PARTNER_CONTACT,
            SubjectCategory.SUPPLIER_CONTACT,
        ),
        data_categories=CONTACT_DATA,
        sources="Fra den registrerte og fra avtalen.",
        recipients=f"{STAFF_ONLY} Regnskapssystemet som databehandler.",
        retention="Så lenge avtalen varer, deretter etter bokføringsloven.",
        processors=(ACCOUNTING_SYSTEM,),
    ),
    ActivitySpec(
        name=BOOKKEEPING,
        purpose="Oppfylle bokføringsplikten for salg og innkjøp.",
        description="Fakturaer og bilag med navn og kontaktopplysninger til kontaktpersoner.",
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        legal_basis_detail=(
            "Art. 6(1)(c); bokføringsloven § 13: primærdokumentasjon oppbevares i fem år etter "
            "regnskapsårets slutt."
        ),
        subject_categories=(
            SubjectCategory.CUSTOMER_CONTACT, SubjectCategory.SUPPLIER_CONTACT,
        ),
        data_categories=(
            "user.name.first", "user.name.last", "user.contact.email",
            "user.contact.organization",
        ),
        sources="Fra fakturaer og bilag.",
        recipients=f"{STAFF_ONLY} Revisor og Skatteetaten ved kontroll.",
        retention="Fem år etter regnskapsårets slutt (bokføringsloven § 13).",
        processors=(ACCOUNTING_SYSTEM,),
    ),
    ActivitySpec(
        name=RECRUITMENT,
        purpose="Vurdere søkere til stillinger i Numeri AS.",
        description=(
            "Opplysningene søkeren gir i søknadsprosessen: søknad, CV og kontaktopplysninger."
        ),
        legal_basis=LegalBasis.CONTRACT,
        legal_basis_detail=(
            "Art. 6(1)(b): tiltak på søkerens anmodning før en arbeidsavtale inngås. Lagring i "
            "søkerbank etter prosessen bare med samtykke (art. 6(1)(a))."
        ),
        subject_categories=(SubjectCategory.JOB_APPLICANT,),
        data_categories=(
            "user.name.first", "user.name.last", "user.contact.email",
            "user.contact.phone_number", "user.job_title", "user.content.private",
        ),
        sources="Fra søkeren.",
        recipients="Ansatte i Numeri AS som deltar i ansettelsen.",
        retention="Slettes seks måneder etter at ansettelsen er avgjort, uten samtykke til mer.",
    ),
    ActivitySpec(
        name=WEB_STATISTICS,
        purpose="Forstå hvordan besøkende bruker nettstedet, for å forbedre brukeropplevelsen.",
        description=(
            "Hvilke sider som besøkes, hva det klikkes på, hvor besøkende kommer fra og tekniske "
            "opplysninger om enheten. Informasjonskapslene _ga, _gid og _gat. Vi kan ikke "
            "identifisere enkeltpersoner i datagrunnlaget."
        ),
        legal_basis=LegalBasis.CONSENT,
        legal_basis_detail=(
            "Art. 6(1)(a): samtykke til analyse-informasjonskapsler, som ekomloven krever."
        ),
        subject_categories=(SubjectCategory.WEBSITE_VISITOR,),
        data_categories=(
            "user.device.cookie_id", "user.device.ip_address", "user.behavior.browsing_history",
        ),
        sources="Informasjonskapsler på nettstedet.",
        recipients="Google LLC som databehandler.",
        retention=(
            "Informasjonskapslene lever høyst 30 dager og er avgrenset til nettstedet; "
            "statistikk beholdes bare anonymisert."
        ),
        security_measures=(
            "Google maskerer siste del av IP-adressen før lagring; databehandleravtale med "
            "Google; overføring til USA på EU-US Data Privacy Framework."
        ),
        processors=(GOOGLE,),
    ),
    ActivitySpec(
        name=SECURITY_LOG,
        purpose="Ivareta sikkerheten på nettstedet, finne feilkilder og styre tilgang.",
        description=(
            "IP-adressen til alle som besøker nettstedet logges. IP-adresser knyttes bare til "
            "personer som selv oppgir personopplysninger."
        ),
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_detail="Art. 6(1)(f): informasjonssikkerhet, etter interesseavveining.",
        subject_categories=(SubjectCategory.WEBSITE_VISITOR,),
        data_categories=("user.device.ip_address", "user.behavior.browsing_history"),
        sources="Serverloggene til nettstedet.",
        recipients="Teknisk ansvarlig, ved behov for feilsøking og feilretting.",
        retention=(
            "90 dager. IP-adresser som er blokkert etter et sikkerhetsbrudd beholdes så lenge "
            "det er nødvendig for å hindre nye brudd."
        ),
        security_measures=(
            "Kryptert kommunikasjon (HTTPS); loggen er bare tilgjengelig for teknisk ansvarlig."
        ),
        assessment=AssessmentSpec(
            purpose_test=(
                "Numeri AS har en berettiget interesse i å beskytte nettstedet og dem som bruker "
                "det mot angrep og misbruk (fortale 49)."
            ),
            necessity_test=(
                "IP-adressen er nødvendig for å oppdage og blokkere angrep; loggen begrenses til "
                "adresse, tidspunkt og forespurt side."
            ),
            balancing_test=(
                "Besøkende forventer at et nettsted logger for sikkerhet. Kort lagringstid, "
                "ingen kobling til personer som ikke selv oppgir opplysninger, og tilgang bare "
                "for teknisk ansvarlig."
            ),
        ),
    ),
    ActivitySpec(
        name=PERSONNEL,
        purpose="Administrere arbeidsforholdet til ansatte i Numeri AS.",
        description="Kontaktopplysninger, stilling og lønnsopplysninger til ansatte.",
        legal_basis=LegalBasis.CONTRACT,
        legal_basis_detail=(
            "Art. 6(1)(b): arbeidsavtalen; art. 6(1)(c) for a-meldingen og bokføring av lønn."
        ),
        subject_categories=(SubjectCategory.EMPLOYEE,),
        data_categories=(
            "user.name.first", "user.name.last", "user.contact.email",
            "user.contact.phone_number", "user.job_title", "user.financial.bank_account",
        ),
        sources="Fra den ansatte.",
        recipients="Daglig leder og lønnsansvarlig; regnskapssystemet som databehandler.",
        retention="Så lenge arbeidsforholdet varer, lønnsbilag fem år etter regnskapsårets slutt.",
        processors=(ACCOUNTING_SYSTEM,),
    ),
)

# --- Staff users ----------------------------------------------------------------------------

DEMO_PASSWORD = "personvern-demo"  # noqa: S105 - published on purpose: demo logins only


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: Role
    first_name: str
    last_name: str


DEMO_USERS: tuple[UserSpec, ...] = (
    UserSpec("personvern", Role.PRIVACY_OFFICER, "Personvern", "Ombud"),
    UserSpec("kundeservice", Role.CUSTOMER_SERVICE, "Kunde", "Service"),
    UserSpec("salg", Role.SALES_MARKETING, "Salg", "Marked"),
    UserSpec("revisor", Role.AUDITOR, "Revisor", "Lesetilgang"),
    UserSpec("sikkerhet", Role.SECURITY, "Sikkerhet", "Ansvarlig"),
)

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
    CookieSpec("cc_cookie", CONTROLLER_NAME, "necessary",
               "Husker valget ditt om informasjonskapsler og en tilfeldig besøks-ID.", 30),
    CookieSpec("_ga", GOOGLE_ANALYTICS, "statistics", "For å identifisere en bruker.", 30,
               WEB_STATISTICS),
    CookieSpec("_gid", GOOGLE_ANALYTICS, "statistics", "For å skille på brukere.", 1,
               WEB_STATISTICS),
    CookieSpec("_gat", GOOGLE_ANALYTICS, "statistics",
               "For å begrense antall meldinger som logges (ett minutt).", 0, WEB_STATISTICS),
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
        name="Kundekontakter: slettes tre år etter siste samhandling",
        activity=CUSTOMER_RELATIONSHIP, target="people", trigger="last_interaction",
        action="delete", years=3, subject_category=SubjectCategory.CUSTOMER_CONTACT,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; personvernerklæringen: en rimelig periode etter siste "
            "samhandling; foreldelsesloven § 2 (tre års foreldelsesfrist)."
        ),
    ),
    RetentionRuleSpec(
        name="Kundetiltak: slettes fem år etter at kundeforholdet er avsluttet",
        activity=CUSTOMER_RELATIONSHIP, target="due_diligence_records",
        trigger="relationship_ended", action="delete", years=5,
        legal_source=(
            "Hvitvaskingsloven § 30: dokumenter og opplysninger fra kundetiltak oppbevares i fem "
            "år etter at kundeforholdet er avsluttet."
        ),
    ),
    RetentionRuleSpec(
        name="Leads: slettes to år etter siste samhandling",
        activity=SALES_AND_MARKETING, target="people", trigger="last_interaction",
        action="delete", years=2, subject_category=SubjectCategory.LEAD,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; interesseavveiningen for salg (art. 6(1)(f)).",
    ),
    RetentionRuleSpec(
        name="Partnerkontakter: anonymiseres to år etter siste samhandling",
        activity=SALES_AND_MARKETING, target="people", trigger="last_interaction",
        action="anonymise", years=2, subject_category=SubjectCategory.PARTNER_CONTACT,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; statistikk beholdes bare anonymisert.",
    ),
    RetentionRuleSpec(
        name="Leads som har trukket samtykket: slettes etter 30 dager",
        activity=DIRECT_MARKETING, target="people", trigger="consent_withdrawn",
        action="delete", days=30, subject_category=SubjectCategory.LEAD,
        legal_source=(
            "Personvernforordningen art. 7(3) og 17(1)(b). Beviset for samtykket og "
            "tilbaketrekningen blir i samtykkeloggen (art. 7(1))."
        ),
    ),
    RetentionRuleSpec(
        name="Kundeservicehenvendelser: slettes tre år etter at de fant sted",
        activity=CUSTOMER_SERVICE, target="interactions", trigger="created", action="delete",
        years=3, subject_category=SubjectCategory.CUSTOMER_CONTACT,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; foreldelsesloven § 2.",
    ),
    RetentionRuleSpec(
        name="Leverandørkontakter: slettes tre år etter at leverandørforholdet ble avsluttet",
        activity=CONTRACT_FULFILMENT, target="people", trigger="relationship_ended",
        action="delete", years=3, subject_category=SubjectCategory.SUPPLIER_CONTACT,
        legal_source=f"{GDPR_STORAGE_LIMITATION}; foreldelsesloven § 2.",
    ),
    RetentionRuleSpec(
        name="Avtaler og vesentlig korrespondanse: 3 år og 6 måneder etter regnskapsårets slutt",
        activity=CONTRACT_FULFILMENT, target="bookkeeping_records", trigger="fiscal_year_end",
        action="delete", years=3, months=6, bookkeeping_kind="agreements",
        legal_source=(
            "Bokføringsloven § 13: avtaler og vesentlig korrespondanse oppbevares i 3 år og 6 "
            "måneder etter regnskapsårets slutt."
        ),
    ),
    RetentionRuleSpec(
        name="Regnskap og bilag: fem år etter regnskapsårets slutt",
        activity=BOOKKEEPING, target="bookkeeping_records", trigger="fiscal_year_end",
        action="delete", years=5, bookkeeping_kind="primary",
        legal_source=(
            "Bokføringsloven § 13: regnskap, spesifikasjoner og dokumentasjon av posteringer "
            "oppbevares i fem år etter regnskapsårets slutt."
        ),
    ),
    RetentionRuleSpec(
        name="Jobbsøknader: slettes seks måneder etter at ansettelsen er avgjort",
        activity=RECRUITMENT, target="job_applications", trigger="application_decided",
        action="delete", months=6,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; seks måneder dekker krav etter likestillings- og "
            "diskrimineringsloven. Lenger lagring bare med samtykke."
        ),
    ),
    RetentionRuleSpec(
        name="Søkere: gjennomgås ett år etter registrering",
        activity=RECRUITMENT, target="people", trigger="created", action="flag", years=1,
        subject_category=SubjectCategory.JOB_APPLICANT,
        legal_source=f"{GDPR_STORAGE_LIMITATION}.",
    ),
    RetentionRuleSpec(
        name="Nettstedsbesøkende: anonymiseres 30 dager etter siste besøk",
        activity=WEB_STATISTICS, target="people", trigger="last_interaction",
        action="anonymise", days=30, subject_category=SubjectCategory.WEBSITE_VISITOR,
        legal_source=(
            "Ekomloven § 3-15 og samtykket: informasjonskapslene lever høyst 30 dager; "
            "statistikk beholdes bare anonymisert."
        ),
    ),
    RetentionRuleSpec(
        name="Tidligere ansatte: gjennomgås tre år etter at arbeidsforholdet ble avsluttet",
        activity=PERSONNEL, target="people", trigger="relationship_ended", action="flag",
        years=3, subject_category=SubjectCategory.EMPLOYEE,
        legal_source=(
            f"{GDPR_STORAGE_LIMITATION}; foreldelsesloven § 2. Lønnsbilag følger "
            "bokføringsloven § 13."
        ),
    ),
)
