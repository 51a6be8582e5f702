"""Load the demo organisation through the same services staff use, as the system actor "demo".

Idempotent: every record has a natural key (organisation number, activity and processor name,
e-mail address, username) and an existing record is skipped, so a second run writes nothing,
not even an audit entry. The whole load is one transaction.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from personvern.accounts.models import User
from personvern.core.actors import Actor
from personvern.organisation.models import Organisation, SupervisoryAuthority
from personvern.organisation.services import (
    OrganisationChanges,
    OrganisationValues,
    save_organisation,
    save_supervisory_authority,
    update_organisation,
)
from personvern.processing.choices import ActivityStatus, AssessmentOutcome, LegalBasis
from personvern.processing.models import (
    BalancingAssessment,
    DataProcessingAgreement,
    ProcessingActivity,
    Processor,
)
from personvern.processing.services import (
    ActivityValues,
    ProcessorValues,
    activate_activity,
    create_activity,
    create_processor,
    record_agreement,
    record_balancing_assessment,
)
from personvern.register.models import Company, Interaction, JobApplication, Person
from personvern.register.selectors import find_people
from personvern.register.services import (
    CompanyValues,
    PersonValues,
    create_company,
    create_job_application,
    create_person,
    record_interaction,
)
from personvern.retention.models import RetentionRule
from personvern.retention.services import RuleValues, create_rule
from personvern.website.models import Cookie
from personvern.website.services import (
    CookieValues,
    create_cookie,
    publish_cookie_policy,
    publish_privacy_notice,
)
from personvern.website.services.cookies import current_policy
from personvern.website.services.notice import latest_notice

from . import content
from .breaches import load_breach_demo
from .consents import load_consents
from .crm.contacts import load_crm
from .languages import load_languages
from .pii import load_pii_examples
from .record import load_record_groups
from .records import load_bookkeeping
from .sources import load_sources
from .synthetic import SEED, CompanySpec, DemoPlan, PersonSpec, build_plan
from .transfers import load_dpf_list
from .workplace import load_requests


@dataclass
class DemoSummary:
    """What one run created, and what the database holds afterwards."""

    created: Counter[str] = field(default_factory=Counter)
    totals: dict[str, int] = field(default_factory=dict)
    people_by_category: dict[str, int] = field(default_factory=dict)


def demo_actor() -> Actor:
    return Actor.for_system(content.ACTOR_NAME)


def load_demo(*, seed: int = SEED) -> DemoSummary:
    """Load (or complete) the demo organisation in one transaction."""
    plan = build_plan(seed)
    actor = demo_actor()
    summary = DemoSummary()
    with transaction.atomic():
        load_organisation(actor=actor, created=summary.created)
        load_dpf_list(actor=actor, created=summary.created)
        processors = load_processors(actor=actor, created=summary.created)
        load_activities(actor=actor, processors=processors, created=summary.created)
        load_record_groups(actor=actor, created=summary.created)
        load_register(actor=actor, plan=plan, created=summary.created)
        load_retention(actor=actor, created=summary.created)
        load_bookkeeping(actor=actor, created=summary.created)
        load_users(created=summary.created)
        load_consents(actor=actor, created=summary.created)
        load_pii_examples(actor=actor, created=summary.created)
        load_website(actor=actor, created=summary.created)
        load_breach_demo(actor=actor, created=summary.created)
        load_requests(actor=actor, created=summary.created)
        load_sources(actor=actor, created=summary.created)
        load_crm(actor=actor, created=summary.created)
    summary.totals = count_totals()
    summary.people_by_category = dict(
        sorted(Counter(Person.objects.values_list("category", flat=True)).items())
    )
    return summary


# --- Controller and authority ----------------------------------------------------------------


def load_organisation(*, actor: Actor, created: Counter[str]) -> Organisation:
    authority_exists = SupervisoryAuthority.objects.filter(
        name__iexact=content.DATATILSYNET.name, country=content.DATATILSYNET.country
    ).exists()
    authority = save_supervisory_authority(actor=actor, values=content.DATATILSYNET)
    created["supervisory_authorities"] += not authority_exists
    changes: OrganisationChanges = {**content.CONTROLLER, "supervisory_authority": authority}
    organisation = Organisation.objects.filter(organisation_number=content.CONTROLLER_ORGNR).first()
    created["organisations"] += organisation is None
    if organisation is not None:
        return update_organisation(actor=actor, organisation=organisation, changes=changes)
    return save_organisation(actor=actor, values=OrganisationValues(**changes))


# --- Processors and the record of processing -------------------------------------------------


def load_processors(*, actor: Actor, created: Counter[str]) -> dict[str, Processor]:
    existing = {
        p.name: p
        for p in Processor.objects.filter(name__in=[spec.name for spec in content.PROCESSORS])
    }
    today = timezone.localdate()
    processors: dict[str, Processor] = {}
    for spec in content.PROCESSORS:
        processor = existing.get(spec.name)
        if processor is None:
            processor = create_processor(
                actor=actor,
                values=ProcessorValues(
                    name=spec.name,
                    country=spec.country,
                    services=spec.services,
                    transfer_mechanism=spec.transfer_mechanism,
                    organisation_number=spec.organisation_number,
                    data_categories=spec.data_categories,
                ),
            )
            created["processors"] += 1
        if not processor.agreements.exists():
            signed_on = today - datetime.timedelta(days=spec.agreement_signed_days_ago)
            record_agreement(
                actor=actor,
                processor=processor,
                signed_on=signed_on,
                review_due=signed_on + datetime.timedelta(days=spec.agreement_review_days),
            )
            created["agreements"] += 1
        processors[spec.name] = processor
    return processors


def load_activities(
    *, actor: Actor, processors: dict[str, Processor], created: Counter[str]
) -> None:
    existing = {
        a.name: a
        for a in ProcessingActivity.objects.filter(
            name__in=[spec.name for spec in content.ACTIVITIES]
        )
    }
    for spec in content.ACTIVITIES:
        activity = existing.get(spec.name)
        if activity is None:
            activity = create_activity(
                actor=actor,
                values=ActivityValues(
                    name=spec.name,
                    purpose=spec.purpose,
                    description=spec.description,
                    legal_basis=spec.legal_basis,
                    legal_basis_detail=spec.legal_basis_detail,
                    subject_categories=spec.subject_categories,
                    sources=spec.sources,
                    recipients=spec.recipients,
                    retention=spec.retention,
                    security_measures=spec.security_measures,
                    data_categories=spec.data_categories,
                    processors=[processors[name] for name in spec.processors],
                    communication=spec.communication,
                    existing_customer_exception=spec.existing_customer_exception,
                ),
            )
            created["activities"] += 1
        if spec.assessment is not None and not _has_favourable_assessment(activity):
            record_balancing_assessment(
                actor=actor,
                activity=activity,
                purpose_test=spec.assessment.purpose_test,
                necessity_test=spec.assessment.necessity_test,
                balancing_test=spec.assessment.balancing_test,
                outcome=spec.assessment.outcome,
            )
            created["assessments"] += 1
        if activity.status == ActivityStatus.DRAFT:
            activate_activity(actor=actor, activity=activity)


def _has_favourable_assessment(activity: ProcessingActivity) -> bool:
    return (
        activity.legal_basis != LegalBasis.LEGITIMATE_INTEREST
        or activity.assessments.filter(outcome__in=AssessmentOutcome.permits_processing()).exists()
    )


# --- The register ----------------------------------------------------------------------------


def load_register(*, actor: Actor, plan: DemoPlan, created: Counter[str]) -> None:
    companies = load_companies(actor=actor, specs=plan.companies, created=created)
    now = timezone.now()
    for spec in plan.people:
        if find_people(email=spec.email).exists():
            continue
        load_person(actor=actor, spec=spec, companies=companies, now=now, created=created)


def load_companies(
    *, actor: Actor, specs: tuple[CompanySpec, ...], created: Counter[str]
) -> dict[str, Company]:
    numbers = [spec.organisation_number for spec in specs]
    companies = {
        c.organisation_number: c for c in Company.objects.filter(organisation_number__in=numbers)
    }
    for spec in specs:
        if spec.organisation_number in companies:
            continue
        companies[spec.organisation_number] = create_company(
            actor=actor,
            values=CompanyValues(
                name=spec.name,
                organisation_number=spec.organisation_number,
                street_address=spec.street_address,
                postal_code=spec.postal_code,
                city=spec.city,
                country="NO",
                email=spec.email,
                phone=spec.phone,
                website=spec.website,
                source=spec.source,
                source_party=spec.source_party,
                source_reference=spec.source_reference,
            ),
        )
        created["companies"] += 1
    return companies


def load_person(
    *,
    actor: Actor,
    spec: PersonSpec,
    companies: dict[str, Company],
    now: datetime.datetime,
    created: Counter[str],
) -> Person:
    person = create_person(
        actor=actor,
        values=PersonValues(
            category=spec.category,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            phone=spec.phone,
            position=spec.position,
            role=spec.role,
            company=companies[spec.company_orgnr] if spec.company_orgnr else None,
            source=spec.source,
            source_party=spec.source_party,
            source_reference=spec.source_reference,
        ),
    )
    created["people"] += 1
    for interaction in spec.interactions:
        record_interaction(
            actor=actor,
            person=person,
            channel=interaction.channel,
            summary=interaction.summary,
            occurred_at=now - datetime.timedelta(seconds=interaction.seconds_ago),
        )
        created["interactions"] += 1
    for application in spec.applications:
        decision_date = (
            None
            if application.decided_days_ago is None
            else now.date() - datetime.timedelta(days=application.decided_days_ago)
        )
        create_job_application(
            actor=actor,
            person=person,
            position=application.position,
            status=application.status,
            decision_date=decision_date,
        )
        created["job_applications"] += 1
    return person


# --- Retention rules -------------------------------------------------------------------------


def load_retention(*, actor: Actor, created: Counter[str]) -> None:
    """The demo's retention rules, by name; an existing rule is left as staff may have set it."""
    existing = set(RetentionRule.objects.values_list("name", flat=True))
    activities = {
        a.name: a
        for a in ProcessingActivity.objects.filter(
            name__in={spec.activity for spec in content.RETENTION_RULES}
        )
    }
    for spec in content.RETENTION_RULES:
        if spec.name in existing:
            continue
        create_rule(
            actor=actor,
            values=RuleValues(
                name=spec.name,
                processing_activity=activities[spec.activity],
                target=spec.target,
                trigger=spec.trigger,
                action=spec.action,
                period_years=spec.years,
                period_months=spec.months,
                period_days=spec.days,
                subject_category=spec.subject_category,
                bookkeeping_kind=spec.bookkeeping_kind,
                legal_source=spec.legal_source,
            ),
        )
        created["retention_rules"] += 1


# --- The website ----------------------------------------------------------------------------


def load_website(*, actor: Actor, created: Counter[str]) -> None:
    """The cookie register of the notice, the first cookie policy (the banner's revision 1)
    and the first published privacy notice; each only when missing."""
    activities = {
        a.name: a
        for a in ProcessingActivity.objects.filter(
            name__in={spec.purpose for spec in content.COOKIES if spec.purpose}
        )
    }
    for spec in content.COOKIES:
        if Cookie.objects.filter(name=spec.name, domain=spec.domain, path=spec.path).exists():
            continue
        create_cookie(
            actor=actor,
            values=CookieValues(
                name=spec.name,
                provider=spec.provider,
                category=spec.category,
                description=spec.description,
                lifetime_days=spec.lifetime_days,
                domain=spec.domain,
                path=spec.path,
                purpose=activities.get(spec.purpose),
            ),
        )
        created["cookies"] += 1
    load_languages(actor=actor, created=created)  # English texts, before anything is published
    if current_policy() is None:
        created["cookie policy versions"] += len(publish_cookie_policy(actor=actor))
    if latest_notice("nb") is None:
        created["privacy notice versions"] += len(publish_privacy_notice(actor=actor))


# --- Staff -----------------------------------------------------------------------------------


def load_users(*, created: Counter[str]) -> list[User]:
    """One staff user per role. Staff accounts are not data subjects' data: created directly."""
    users = []
    for spec in content.DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@example.no",
                is_staff=True,
            )
            user.set_password(content.DEMO_PASSWORD)
            user.save()
            created["users"] += 1
        group = Group.objects.get(name=spec.role.value)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
        users.append(user)
    return users


def count_totals() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "supervisory_authorities": SupervisoryAuthority.objects.count(),
        "activities": ProcessingActivity.objects.count(),
        "active_activities": ProcessingActivity.objects.filter(
            status=ActivityStatus.ACTIVE
        ).count(),
        "assessments": BalancingAssessment.objects.count(),
        "processors": Processor.objects.count(),
        "agreements": DataProcessingAgreement.objects.count(),
        "companies": Company.objects.count(),
        "people": Person.objects.count(),
        "interactions": Interaction.objects.count(),
        "job_applications": JobApplication.objects.count(),
        "retention_rules": RetentionRule.objects.count(),
        "cookies": Cookie.objects.count(),
        "users": User.objects.filter(
            username__in=[spec.username for spec in content.DEMO_USERS]
        ).count(),
    }
