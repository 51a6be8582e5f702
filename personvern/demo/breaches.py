"""The demo's breach register, DPIA screening and processing for clients (issue 14).

The screening of the demo activities is a privacy professional's reading of WP248 rev.01 and
Datatilsynet's list for a small accounting firm (tests/demo/test_breach_demo.py states why
each activity is or is not marked): personnel administration and recruitment need a DPIA
(people in an imbalance of power with the firm, evaluated at work or with financial data);
everything else meets at most one criterion. Personnel has a signed-off DPIA, due for review
soon; recruitment's is still a draft, so the staff home page shows both. One breach is closed
(notified in time, with Datatilsynet's reference) and one is open with its clock running.
Idempotent: everything is keyed by activity, title or name and skipped when it exists."""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from personvern.assessments.choices import ResidualRisk
from personvern.assessments.models import ImpactAssessment, Screening
from personvern.assessments.services import screen_activity, sign_off_dpia, start_dpia
from personvern.breaches.choices import BreachRisk, DiscoveryMethod, NotificationPhase
from personvern.breaches.models import Breach
from personvern.breaches.services import (
    assess_risk,
    close_breach,
    record_breach,
    record_notification,
)
from personvern.clients.models import ClientController
from personvern.clients.services import create_client, record_client_agreement
from personvern.core.actors import Actor
from personvern.processing.models import DataCategory, ProcessingActivity, Processor

from .content import activities as a
from .content.organisation import ACCOUNTING_SYSTEM

# Activity name -> (WP248 criteria, Datatilsynet's listed kinds, reasoning).
SCREENING: dict[str, tuple[list[str], list[str], str]] = {
    a.CUSTOMER_RELATIONSHIP: ([], [], "Kontaktopplysninger i yrkesrolle; ingen kriterier."),
    a.CUSTOMER_DUE_DILIGENCE: (
        ["evaluation_scoring"], [],
        "Kundens risiko klassifiseres etter hvitvaskingsloven; lovpålagte kontroller av "
        "kunder i yrkesrolle, ikke i stor skala; ingen andre kriterier.",
    ),
    a.SALES_AND_MARKETING: (
        ["matching_combining"], [],
        "Opplysninger fra tredjeparter kombineres med egne; ellers ingen kriterier.",
    ),
    a.DIRECT_MARKETING: ([], [], "Samtykkebasert utsendelse; ingen kriterier."),
    a.CUSTOMER_SERVICE: ([], [], "Henvendelser fra kunder; ingen kriterier."),
    a.CONTRACT_FULFILMENT: ([], [], "Avtaleoppfyllelse; ingen kriterier."),
    a.BOOKKEEPING: ([], [], "Lovpålagt bokføring av bedriftsbilag; ingen kriterier."),
    a.RECRUITMENT: (
        ["evaluation_scoring", "vulnerable_subjects"], [],
        "Søkere vurderes for stillingen (evaluering av arbeidsprestasjon) og står i et "
        "ujevnt maktforhold til arbeidsgiveren.",
    ),
    a.WEB_STATISTICS: (
        ["systematic_monitoring"], [],
        "Besøkendes bruk av nettstedet observeres; ikke i stor skala og ingen andre kriterier.",
    ),
    a.SECURITY_LOG: (
        ["systematic_monitoring"], [],
        "IP-logg for sikkerhet; kort lagring, ingen andre kriterier.",
    ),
    a.PERSONNEL: (
        ["sensitive_data", "vulnerable_subjects"], [],
        "Lønnsopplysninger er svært personlige (økonomiske) opplysninger, og ansatte står i "
        "et ujevnt maktforhold til arbeidsgiveren.",
    ),
}
CLIENT = "Fjordbakst AS"
CLOSED_TITLE = "Lønnsslipp sendt til feil mottaker"
OPEN_TITLE = "Bærbar PC med regnskapsfiler stjålet"


def load_breach_demo(*, actor: Actor, created: Counter[str]) -> None:
    activities = {x.name: x for x in ProcessingActivity.objects.filter(name__in=SCREENING)}
    for name, (criteria, listed, reasoning) in SCREENING.items():
        activity = activities.get(name)
        if activity is None or Screening.objects.filter(activity=activity).exists():
            continue
        screen_activity(actor=actor, activity=activity, criteria=criteria,
                        listed_kinds=listed, reasoning=reasoning)  # fmt: skip
        created["screenings"] += 1
    _load_dpias(actor=actor, activities=activities, created=created)
    _load_client(actor=actor, created=created)
    _load_breaches(actor=actor, activities=activities, created=created)


def _load_dpias(*, actor: Actor, activities: dict[str, ProcessingActivity],
                created: Counter[str]) -> None:  # fmt: skip
    personnel = activities.get(a.PERSONNEL)
    if personnel and not ImpactAssessment.objects.filter(activity=personnel).exists():
        dpia = start_dpia(actor=actor, activity=personnel, values={
            "description": "Lønn, arbeidsavtaler og personalopplysninger for de ansatte i "
                           "regnskapssystemet, behandlet av lønnsansvarlig og daglig leder.",
            "necessity": "Opplysningene er nødvendige for arbeidsavtalen, lønn og a-meldingen; "
                         "ikke mer enn loven og avtalen krever.",
            "risks": [
                {"risk": "Uvedkommende ser lønnsopplysninger", "likelihood": 2, "severity": 3},
                {"risk": "Lønnsslipp sendes til feil mottaker", "likelihood": 2, "severity": 2},
            ],
            "measures": "Tilgang bare for lønnsansvarlig og daglig leder; tofaktorinnlogging; "
                        "lønnsslipper i regnskapssystemets portal, ikke på e-post.",
            "residual_risk": ResidualRisk.LOW,
            "dpo_advice": "Personvernansvarlig anbefaler behandlingen med tiltakene.",
            "review_on": timezone.localdate() + datetime.timedelta(days=20),
        })  # fmt: skip
        sign_off_dpia(actor=actor, dpia=dpia)
        created["impact assessments"] += 1
    recruitment = activities.get(a.RECRUITMENT)
    if recruitment and not ImpactAssessment.objects.filter(activity=recruitment).exists():
        start_dpia(actor=actor, activity=recruitment, values={
            "description": "Søknader, CV og vurderinger av søkere.",
        })  # fmt: skip
        created["impact assessments"] += 1


def _load_client(*, actor: Actor, created: Counter[str]) -> None:
    if ClientController.objects.filter(name=CLIENT).exists():
        return
    client = create_client(
        actor=actor,
        values={
            "name": CLIENT,
            "organisation_number": "923609016",
            "contact_email": "personvern@fjordbakst.example",
            "processing": "Lønnskjøring og bokføring for kunden",
            "subject_categories": "Kundens ansatte",
            "transfers": "",
            "security_measures": a.SECURITY_BASELINE,
        },
        data_categories=DataCategory.objects.filter(key__in=["user.name.first", "user.name.last"]),
        sub_processors=Processor.objects.filter(name=ACCOUNTING_SYSTEM),
    )
    signed_on = timezone.localdate() - datetime.timedelta(days=400)
    record_client_agreement(actor=actor, client=client, signed_on=signed_on)
    created["client controllers"] += 1


def _load_breaches(*, actor: Actor, activities: dict[str, ProcessingActivity],
                   created: Counter[str]) -> None:  # fmt: skip
    now = timezone.now()
    personnel = [x for x in [activities.get(a.PERSONNEL)] if x]
    if not Breach.objects.filter(title=CLOSED_TITLE).exists():
        aware = now - datetime.timedelta(days=40)
        breach = record_breach(actor=actor, values={
            "title": CLOSED_TITLE,
            "what_happened": "En lønnsslipp for én ansatt ble sendt på e-post til en annen ansatt.",
            "cause": "Feil mottaker valgt i e-postprogrammets autoutfylling.",
            "began_at": aware - datetime.timedelta(hours=2),
            "ended_at": aware - datetime.timedelta(hours=1),
            "aware_at": aware,
            "discovered_how": DiscoveryMethod.STAFF,
            "systems": "E-post",
            "activities": personnel,
            "subject_categories": ["employee"],
            "approx_people": 1,
            "approx_records": 1,
            "data_whereabouts": "Mottakeren har slettet e-posten og bekreftet det skriftlig.",
            "likely_consequences": "Lav: mottakeren er kollega med taushetsplikt.",
            "measures_taken": "E-posten er slettet hos mottakeren.",
            "measures_proposed": "Lønnsslipper bare i regnskapssystemets portal.",
        })  # fmt: skip
        assess_risk(actor=actor, breach=breach, risk=BreachRisk.RISK,
                    reasoning="Lønn er svært personlig, men spredningen er begrenset til én "
                              "kollega som har slettet e-posten; ikke høy risiko.")  # fmt: skip
        record_notification(actor=actor, breach=breach, phase=NotificationPhase.INITIAL,
                            submitted_at=aware + datetime.timedelta(hours=30),
                            reference="DEMO-2026/0042",
                            summary="Melding sendt i Altinn.")  # fmt: skip
        close_breach(actor=actor, breach=breach)
        created["breaches"] += 1
    if not Breach.objects.filter(title=OPEN_TITLE).exists():
        aware = now - datetime.timedelta(hours=20)
        record_breach(actor=actor, values={
            "title": OPEN_TITLE,
            "what_happened": "En bærbar PC med lokale kopier av lønnsfiler ble stjålet fra en bil.",
            "began_at": aware - datetime.timedelta(hours=3),
            "aware_at": aware,
            "discovered_how": DiscoveryMethod.STAFF,
            "systems": "Bærbar PC (kryptert disk, under kontroll)",
            "activities": personnel,
            "subject_categories": ["employee"],
            "approx_people": 12,
        })  # fmt: skip
        created["breaches"] += 1
