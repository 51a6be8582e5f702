"""The processing activities the notice describes, with their assessments."""

from __future__ import annotations

from dataclasses import dataclass

from personvern.processing.choices import (
    AssessmentOutcome,
    CommunicationKind,
    LegalBasis,
)
from personvern.register.choices import SubjectCategory

from .organisation import ACCOUNTING_SYSTEM, GOOGLE

# --- Processing activities -------------------------------------------------------------------

CONTACT_DATA = (
    "user.name.first",
    "user.name.last",
    "user.contact.email",
    "user.contact.phone_number",
    "user.job_title",
    "user.contact.organization",
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
CUSTOMER_DUE_DILIGENCE = "Kundetiltak etter hvitvaskingsloven"
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
        # The contract is with the corporate customer, not with its contact person: the
        # contact person's data rest on the firm's legitimate interest (Art. 6(1)(f)).
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_detail=(
            "Art. 6(1)(f): berettiget interesse i å kunne kontakte kundens kontaktpersoner for "
            "å oppfylle avtalen med bedriftskunden, etter dokumentert interesseavveining."
        ),
        subject_categories=(SubjectCategory.CUSTOMER_CONTACT,),
        data_categories=CONTACT_DATA,
        sources=(
            "Fra den registrerte, og fra samhandling: møter, korrespondanse, telefon, e-post, "
            "dokumenter, sosiale medier og nettstedet vårt."
        ),
        recipients=STAFF_ONLY,
        retention="Slettes tre år etter siste samhandling, med mindre lov krever lengre lagring.",
        assessment=AssessmentSpec(
            purpose_test=(
                "Numeri AS har en berettiget interesse i å kunne kommunisere med de personene "
                "bedriftskunden har utpekt, for å levere regnskapstjenestene kunden har avtalt."
            ),
            necessity_test=(
                "Avtalen er med selskapet; den kan bare oppfylles gjennom personene som "
                "representerer det. Bare navn, rolle og jobbkontaktopplysninger behandles."
            ),
            balancing_test=(
                "Opplysningene gjelder personer i deres yrkesrolle, som forventer å bli kontaktet "
                "om kundeforholdet; ingen særlige kategorier. Den registrerte informeres, kan "
                "protestere (art. 21), og opplysningene slettes tre år etter siste samhandling."
            ),
        ),
    ),
    ActivitySpec(
        name=CUSTOMER_DUE_DILIGENCE,
        purpose=(
            "Gjennomføre kundetiltak og løpende oppfølging etter hvitvaskingsloven: bekrefte "
            "kundens identitet og reelle rettighetshavere før kundeforholdet etableres."
        ),
        description=(
            "Navn, fødselsnummer eller annet identitetsnummer, kopi av legitimasjon og rolle "
            "for kundens representanter og reelle rettighetshavere."
        ),
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        legal_basis_detail=(
            "Art. 6(1)(c); hvitvaskingsloven kapittel 4 (kundetiltak og løpende oppfølging) og "
            "§ 30 (oppbevaring i fem år etter at kundeforholdet er avsluttet)."
        ),
        subject_categories=(SubjectCategory.CUSTOMER_CONTACT,),
        data_categories=(
            "user.name.first",
            "user.name.last",
            "user.government_id.national_identification_number",
            "user.government_id.passport_number",
            "user.job_title",
            "user.contact.organization",
        ),
        sources=(
            "Fra kunden og dens representanter, Enhetsregisteret og Register over reelle "
            "rettighetshavere."
        ),
        recipients=(
            f"{STAFF_ONLY} Økokrim (Enheten for finansiell etterretning) når "
            "hvitvaskingsloven pålegger rapportering."
        ),
        retention="Fem år etter at kundeforholdet er avsluttet (hvitvaskingsloven § 30).",
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
            SubjectCategory.CUSTOMER_CONTACT,
            SubjectCategory.PARTNER_CONTACT,
            SubjectCategory.LEAD,
        ),
        data_categories=CONTACT_DATA,
        sources=(
            "Fra den registrerte; fra tredjeparter, som datainnsamlere og sosiale nettverk, bare "
            "når de har den registrertes samtykke til å dele opplysningene; fra offentlige kilder "
            "(Enhetsregisteret)."
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
            "user.name.first",
            "user.name.last",
            "user.contact.email",
            "user.contact.phone_number",
            "user.privacy_preferences",
        ),
        sources="Fra den registrerte (elektronisk samtykke).",
        recipients=STAFF_ONLY,
        retention=(
            "Til samtykket trekkes tilbake. Dokumentasjonen av samtykket blir i samtykkeloggen "
            "som bevis, uten navn og kontaktopplysninger dersom opplysningene slettes."
        ),
    ),
    ActivitySpec(
        name=CUSTOMER_SERVICE,
        communication=CommunicationKind.SERVICE_MESSAGES,
        purpose=(
            "Besvare spørsmål og følge opp tilbakemeldinger fra kunder og andre som tar kontakt "
            "med oss på e-post, telefon eller via nettstedet."
        ),
        description=(
            "Tilbakemeldinger, kommentarer og spørsmål fra servicerelatert kommunikasjon: møter, "
            "telefonsamtaler, dokumenter og e-post."
        ),
        legal_basis=LegalBasis.CONTRACT,
        legal_basis_detail=(
            "Art. 6(1)(b): oppfølging av avtalen med kunden, eller tiltak den som tar kontakt "
            "ber om før en avtale inngås."
        ),
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
            SubjectCategory.CUSTOMER_CONTACT,
            SubjectCategory.PARTNER_CONTACT,
            SubjectCategory.SUPPLIER_CONTACT,
        ),
        data_categories=CONTACT_DATA,
        sources=(
            "Fra den registrerte når hen bruker tjenestene våre og produktene vi leverer eller "
            "videreselger, og fra avtalen."
        ),
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
            SubjectCategory.CUSTOMER_CONTACT,
            SubjectCategory.SUPPLIER_CONTACT,
        ),
        data_categories=(
            "user.name.first",
            "user.name.last",
            "user.contact.email",
            "user.contact.organization",
        ),
        sources="Fra fakturaer og bilag.",
        # Not STAFF_ONLY: the auditor and the tax authority receive it because the law says so.
        recipients="Ansatte i Numeri AS; revisor, og Skatteetaten ved kontroll, som loven krever.",
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
            "user.name.first",
            "user.name.last",
            "user.contact.email",
            "user.contact.phone_number",
            "user.job_title",
            "user.content.private",
        ),
        sources="Fra søkeren.",
        recipients="Ansatte i Numeri AS som deltar i ansettelsen.",
        retention="Slettes seks måneder etter at ansettelsen er avgjort, uten samtykke til mer.",
    ),
    ActivitySpec(
        name=WEB_STATISTICS,
        purpose=(
            "Forstå hvordan besøkende bruker nettstedet, for å få det til å fungere bedre, "
            "forbedre brukeropplevelsen og gi oss forretnings- og markedsføringsinformasjon."
        ),
        description=(
            "Navigasjonsinformasjon: hvilke sider som besøkes, hva det klikkes på, banen gjennom "
            "nettstedet og hvilken side besøkende kommer fra (refererende side), og "
            "standardopplysninger fra nettleseren og enheten: nettlesertype, nettleserspråk, "
            "operativsystem og ISP-domene (nettverket besøket kommer fra). Informasjonskapslene "
            "_ga og _ga_<container-ID> (Google Analytics 4). Vi kan ikke identifisere "
            "enkeltpersoner i datagrunnlaget."
        ),
        legal_basis=LegalBasis.CONSENT,
        legal_basis_detail=(
            "Art. 6(1)(a): samtykke. Ekomloven § 3-15 krever samtykke før informasjonskapsler "
            "som ikke er strengt nødvendige, lagres eller leses."
        ),
        subject_categories=(SubjectCategory.WEBSITE_VISITOR,),
        data_categories=(
            "user.device.cookie_id",
            "user.device.ip_address",
            "user.device",
            "user.behavior.browsing_history",
        ),
        sources="Informasjonskapsler på nettstedet.",
        recipients="Google LLC som databehandler.",
        retention=(
            "Informasjonskapslene lever høyst 30 dager (Google Analytics' cookie_expires) og er "
            "avgrenset til nettstedet; statistikk beholdes bare anonymisert."
        ),
        security_measures=(
            "Google maskerer siste del av IP-adressen før lagring; databehandleravtale med "
            "Google; overføring til USA på EU-US Data Privacy Framework."
        ),
        processors=(GOOGLE,),
    ),
    ActivitySpec(
        name=SECURITY_LOG,
        purpose=(
            "Ivareta sikkerheten på nettstedet, oppdage og forebygge sikkerhetstrusler og "
            "misbruk, finne feilkilder og styre tilgang."
        ),
        description=(
            "For hvert besøk logges IP-adressen, tidspunktet, forespurt side, svarkoden og "
            "nettleserens identifikasjon (nettlesertype og operativsystem). IP-adresse og "
            "aktivitet på nettstedet kan sammenlignes for å oppdage og forebygge angrep og "
            "misbruk. IP-adresser knyttes bare til personer som selv oppgir personopplysninger."
        ),
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        legal_basis_detail="Art. 6(1)(f): informasjonssikkerhet, etter interesseavveining.",
        subject_categories=(SubjectCategory.WEBSITE_VISITOR,),
        data_categories=(
            "user.device.ip_address",
            "user.device",
            "user.behavior.browsing_history",
        ),
        sources="Serverloggene til nettstedet.",
        recipients=(
            "Personvernansvarlig og sikkerhetsansvarlig (teknisk ansvarlig), ved behov for "
            "feilsøking og feilretting."
        ),
        retention=(
            "90 dager. IP-adresser som er blokkert etter et sikkerhetsbrudd beholdes så lenge "
            "det er nødvendig for å hindre nye brudd."
        ),
        security_measures=(
            "Kryptert kommunikasjon (HTTPS); loggen kan bare leses av personvernansvarlig og "
            "sikkerhetsansvarlig, og hvert oppslag logges i revisjonsloggen."
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
                "for personvernansvarlig og sikkerhetsansvarlig."
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
            "user.name.first",
            "user.name.last",
            "user.contact.email",
            "user.contact.phone_number",
            "user.job_title",
            "user.financial.bank_account",
        ),
        sources="Fra den ansatte.",
        recipients="Daglig leder og lønnsansvarlig; regnskapssystemet som databehandler.",
        retention="Så lenge arbeidsforholdet varer, lønnsbilag fem år etter regnskapsårets slutt.",
        processors=(ACCOUNTING_SYSTEM,),
    ),
)
