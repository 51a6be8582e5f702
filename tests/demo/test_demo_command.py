"""``personvern demo``: the demo organisation Numeri AS, loaded through the services."""

from __future__ import annotations

import datetime

import phonenumbers
import pytest
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils import timezone
from stdnum.no import orgnr

from personvern.accounts.choices import Role
from personvern.accounts.models import User
from personvern.audit.models import AuditEntry
from personvern.demo import content
from personvern.demo.synthetic import EXAMPLE_DOMAINS, build_plan, orgnr_check_digit
from personvern.organisation.models import Organisation, SupervisoryAuthority
from personvern.organisation.selectors import get_controller
from personvern.processing.choices import (
    ActivityStatus,
    AssessmentOutcome,
    LegalBasis,
    TransferMechanism,
)
from personvern.processing.models import (
    BalancingAssessment,
    DataProcessingAgreement,
    ProcessingActivity,
    Processor,
)
from personvern.register.choices import ApplicationStatus, Source, SubjectCategory
from personvern.register.models import Company, Interaction, JobApplication, Person
from personvern.retention.models import RetentionRule
from tests.demo.conftest import run_demo

MODELS = (
    Organisation,
    SupervisoryAuthority,
    ProcessingActivity,
    BalancingAssessment,
    Processor,
    DataProcessingAgreement,
    Company,
    Person,
    Interaction,
    JobApplication,
    User,
    AuditEntry,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loads_the_controller_and_its_supervisory_authority(demo_output):
    # when the demo has been loaded
    controller = get_controller()

    # then the controller is Numeri AS with a synthetic, valid organisation number
    assert controller is not None
    assert controller.legal_name == "Numeri AS"
    assert orgnr.is_valid(controller.organisation_number)
    assert controller.organisation_number == content.CONTROLLER_ORGNR
    assert controller.responsible_role == "Daglig leder (managing director)"
    assert controller.privacy_contact_email == "post@numeri.no"
    assert controller.request_deadline_days == 30
    assert controller.cookie_lifetime_limit_days == 30
    # and Datatilsynet, with the contact details of the notice, supervises it
    authority = controller.supervisory_authority
    assert authority.name == "Datatilsynet"
    assert authority.country == "NO"
    assert authority.website == "https://www.datatilsynet.no"
    assert authority.email == "postkasse@datatilsynet.no"
    assert authority.phone == "+4722396900"
    assert "Postboks 8177 Dep." in authority.postal_address
    assert "0034 Oslo" in authority.postal_address


EXPECTED_BASES = {
    # contact persons at corporate customers: the contract is the company's (Art. 6(1)(f))
    content.CUSTOMER_RELATIONSHIP: LegalBasis.LEGITIMATE_INTEREST,
    content.CUSTOMER_DUE_DILIGENCE: LegalBasis.LEGAL_OBLIGATION,
    content.SALES_AND_MARKETING: LegalBasis.LEGITIMATE_INTEREST,
    content.DIRECT_MARKETING: LegalBasis.CONSENT,
    content.CUSTOMER_SERVICE: LegalBasis.CONTRACT,
    content.CONTRACT_FULFILMENT: LegalBasis.CONTRACT,
    content.BOOKKEEPING: LegalBasis.LEGAL_OBLIGATION,
    content.RECRUITMENT: LegalBasis.CONTRACT,
    content.WEB_STATISTICS: LegalBasis.CONSENT,
    content.SECURITY_LOG: LegalBasis.LEGITIMATE_INTEREST,
    content.PERSONNEL: LegalBasis.CONTRACT,
}


@pytest.mark.parametrize(("name", "basis"), EXPECTED_BASES.items())
def test_each_activity_of_the_notice_is_active_on_its_legal_basis(demo_output, name, basis):
    # when the demo has been loaded
    activity = ProcessingActivity.objects.get(name=name)

    # then the activity is active, on its basis, and fully described
    assert activity.legal_basis == basis
    assert activity.status == ActivityStatus.ACTIVE
    assert activity.purpose and activity.description and activity.retention
    assert activity.sources and activity.recipients and activity.security_measures
    assert activity.subject_categories
    assert set(activity.subject_categories) <= set(SubjectCategory.values)
    assert activity.data_categories.exists()


def test_bookkeeping_names_the_statute(demo_output):
    activity = ProcessingActivity.objects.get(name=content.BOOKKEEPING)

    assert "bokføringsloven" in activity.legal_basis_detail


def test_customer_due_diligence_is_its_own_activity_under_hvitvaskingsloven(demo_output):
    activity = ProcessingActivity.objects.get(name=content.CUSTOMER_DUE_DILIGENCE)

    assert activity.legal_basis == LegalBasis.LEGAL_OBLIGATION
    assert "hvitvaskingsloven" in activity.legal_basis_detail
    # the five-year rule of hvitvaskingsloven § 30 is this activity's, not the relationship's
    rules = activity.retention_rules.values_list("legal_source", flat=True)
    assert any("Hvitvaskingsloven § 30" in source for source in rules)
    assert not ProcessingActivity.objects.get(
        name=content.CUSTOMER_RELATIONSHIP
    ).retention_rules.filter(legal_source__icontains="hvitvaskingsloven").exists()


def test_ekomloven_is_cited_only_for_consent_to_cookies(demo_output):
    # § 3-15 governs storing and reading cookies (consent), not how long data is kept
    web = ProcessingActivity.objects.get(name=content.WEB_STATISTICS)
    assert "§ 3-15" in web.legal_basis_detail and "samtykke" in web.legal_basis_detail
    for rule in RetentionRule.objects.all():
        assert "ekomloven" not in rule.legal_source.casefold(), rule.name
    assert "ekomloven" not in web.retention.casefold()


def test_every_subject_category_is_covered_by_an_activity(demo_output):
    covered = {
        category
        for categories in ProcessingActivity.objects.values_list("subject_categories", flat=True)
        for category in categories
    }

    assert covered == set(SubjectCategory.values)


def test_legitimate_interest_activities_have_a_favourable_assessment(demo_output):
    # when the demo has been loaded
    activities = ProcessingActivity.objects.filter(legal_basis=LegalBasis.LEGITIMATE_INTEREST)

    # then each has a balancing assessment that permits processing, by the demo job
    assert {a.name for a in activities} == {
        content.CUSTOMER_RELATIONSHIP,
        content.SALES_AND_MARKETING,
        content.SECURITY_LOG,
    }
    for activity in activities:
        assessment = activity.assessments.get()
        assert assessment.outcome in AssessmentOutcome.permits_processing()
        assert assessment.author is None
        assert assessment.author_label == "system:demo"
    assert (
        "gjensidig interesse"
        in ProcessingActivity.objects.get(name=content.SALES_AND_MARKETING)
        .assessments.get()
        .balancing_test
    )


def test_google_is_a_us_processor_on_the_data_privacy_framework(demo_output):
    # when the demo has been loaded
    google = Processor.objects.get(name=content.GOOGLE)

    # then Google processes in the US on the EU-US DPF, not the invalid Privacy Shield
    assert google.country == "US"
    assert google.transfer_mechanism == TransferMechanism.EU_US_DPF
    assert google.transfer_is_valid
    invalid = Processor.objects.filter(transfer_mechanism=TransferMechanism.PRIVACY_SHIELD)
    assert not invalid.exists()
    # and it is behind web statistics, under a signed agreement due for review later
    assert list(google.activities.values_list("name", flat=True)) == [content.WEB_STATISTICS]
    agreement = google.agreements.get()
    assert agreement.signed_on <= timezone.localdate() < agreement.review_due
    assert set(google.data_categories.values_list("key", flat=True)) >= {
        "user.device.ip_address",
        "user.device.cookie_id",
    }


def test_the_accounting_system_is_a_norwegian_processor(demo_output):
    processor = Processor.objects.get(name=content.ACCOUNTING_SYSTEM)

    assert processor.country == "NO"
    assert processor.transfer_mechanism == TransferMechanism.EEA
    assert orgnr.is_valid(processor.organisation_number)
    assert processor.agreements.exists()
    assert processor.activities.filter(name=content.BOOKKEEPING).exists()


def test_about_200_people_in_every_category(demo_output):
    # when the demo has been loaded
    by_category = dict(Person.objects.values_list("category").annotate(n=Count("pk")))

    # then there are about 200 people, some in every category
    assert 180 <= sum(by_category.values()) <= 220
    assert set(by_category) == set(SubjectCategory.values)
    assert all(n >= 5 for n in by_category.values())


def test_every_phone_is_a_valid_norwegian_mobile_in_e164(demo_output):
    phones = [
        *Person.objects.values_list("phone", flat=True),
        *Company.objects.values_list("phone", flat=True),
    ]

    assert all(phones)
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phone == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        assert phone.startswith("+47")
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    assert len(set(Person.objects.values_list("phone", flat=True))) == Person.objects.count()


def test_no_email_outside_the_example_domains(demo_output):
    emails = [
        *Person.objects.values_list("email", flat=True),
        *Company.objects.values_list("email", flat=True),
        *User.objects.values_list("email", flat=True),
    ]

    assert all(emails)
    assert {email.rsplit("@", 1)[1] for email in emails} <= set(EXAMPLE_DOMAINS)
    websites = Company.objects.values_list("website", flat=True)
    assert all(w.startswith("https://") and w.endswith(".example.com") for w in websites)
    assert len(set(Person.objects.values_list("email_key", flat=True))) == Person.objects.count()


def test_companies_have_valid_organisation_numbers_and_contacts(demo_output):
    companies = Company.objects.annotate(contacts=Count("people"))

    assert 55 <= companies.count() <= 65
    assert all(orgnr.is_valid(c.organisation_number) for c in companies)
    assert all(c.contacts >= 1 for c in companies)
    linked = Person.objects.filter(
        category__in=[
            SubjectCategory.CUSTOMER_CONTACT,
            SubjectCategory.PARTNER_CONTACT,
            SubjectCategory.SUPPLIER_CONTACT,
            SubjectCategory.LEAD,
        ]
    )
    assert not linked.filter(company=None).exists()
    assert orgnr.is_valid(content.CONTROLLER_ORGNR)
    assert not Company.objects.filter(organisation_number=content.CONTROLLER_ORGNR).exists()


def test_some_people_come_from_a_third_party_or_a_public_source(demo_output):
    third_party = Person.objects.filter(source=Source.THIRD_PARTY)
    public = Person.objects.filter(source=Source.PUBLIC_SOURCE)

    assert third_party.exists() and public.exists()
    assert not third_party.filter(source_party="").exists()
    assert not third_party.filter(source_reference="").exists()
    assert not public.filter(source_party="").exists()


def test_interactions_spread_over_the_last_three_years(demo_output):
    now = timezone.now()
    per_person = Person.objects.annotate(n=Count("interactions"))

    assert all(1 <= p.n <= 5 for p in per_person)
    times = Interaction.objects.values_list("occurred_at", flat=True)
    assert min(times) >= now - datetime.timedelta(days=3 * 365 + 1)
    assert max(times) <= now
    assert min(times) < now - datetime.timedelta(days=2 * 365)
    # and each person's last interaction is kept for retention
    for person in Person.objects.prefetch_related("interactions"):
        assert person.last_interaction_at == max(i.occurred_at for i in person.interactions.all())


def test_job_applicants_have_applications_some_decided(demo_output):
    applications = JobApplication.objects.select_related("person")

    assert {a.person.category for a in applications} == {SubjectCategory.JOB_APPLICANT}
    assert set(applications.values_list("person", flat=True)) == set(
        Person.objects.filter(category=SubjectCategory.JOB_APPLICANT).values_list("pk", flat=True)
    )
    decided = applications.filter(status__in=ApplicationStatus.decided())
    assert decided.exists()
    assert not decided.filter(decision_date=None).exists()
    assert all(a.decision_date <= timezone.localdate() for a in decided)


def test_every_write_is_audited_as_the_demo_job(demo_output):
    # then every subject's creation has an audit entry, all by the system actor "demo"
    assert set(AuditEntry.objects.values_list("actor_label", flat=True)) == {"system:demo"}
    created = AuditEntry.objects.filter(object_type="register.person", action="create")
    assert created.count() == Person.objects.count()
    assert set(created.values_list("subject_id", flat=True)) == set(
        Person.objects.values_list("pk", flat=True)
    )
    assert AuditEntry.objects.filter(object_type="organisation.organisation").count() == 1
    assert (
        AuditEntry.objects.filter(
            object_type="processing.processingactivity", action="activate"
        ).count()
        == ProcessingActivity.objects.count()
    )


def test_demo_users_exist_in_their_role_groups(demo_output):
    for spec in content.DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.is_staff and user.is_active and not user.is_superuser
        assert user.check_password(content.DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [spec.role.value]
    assert {spec.role for spec in content.DEMO_USERS} == set(Role)
    assert User.objects.get(username="personvern").groups.get() == Group.objects.get(
        name=Role.PRIVACY_OFFICER
    )
    assert User.objects.get(username="personvern").has_perm("register.export_person")


def test_the_command_prints_counts_and_the_demo_logins(demo_output):
    assert "Numeri AS" in demo_output
    assert "people" in demo_output and "200" in demo_output
    for spec in content.DEMO_USERS:
        assert spec.username in demo_output
    assert content.DEMO_PASSWORD in demo_output


def test_running_twice_changes_nothing(demo_output):
    # given the demo has been loaded once
    before = counts()
    people_before = list(Person.objects.order_by("pk").values("pk", "email", "phone", "updated_at"))

    # when it is loaded again
    output = run_demo()

    # then nothing was added or changed, and nothing new was audited
    assert counts() == before
    assert (
        list(Person.objects.order_by("pk").values("pk", "email", "phone", "updated_at"))
        == people_before
    )
    assert "0 records created" in output


def test_the_plan_is_the_same_on_every_run():
    # the plan is drawn from a fixed seed: reruns plan the same records
    assert build_plan() == build_plan()
    assert build_plan(seed=1) != build_plan()


@pytest.mark.parametrize("base", ["93456789", "92345678", "80028295", "10000013", "99999999"])
def test_orgnr_check_digit_gives_valid_numbers(base):
    check = orgnr_check_digit(base)

    if check == "-":
        assert not any(orgnr.is_valid(base + str(d)) for d in range(10))
    else:
        assert orgnr.is_valid(base + check)


def test_customers_have_bookkeeping_material_and_due_diligence(demo_output):
    from personvern.retention.models import BookkeepingRecord, DueDiligenceRecord

    kinds = set(BookkeepingRecord.objects.values_list("kind", flat=True))
    assert kinds == {"primary", "agreements"}
    customers = Person.objects.filter(category="customer_contact").count()
    assert DueDiligenceRecord.objects.count() == customers
    # some of the oldest material is already past its five years, some is still kept
    years = set(BookkeepingRecord.objects.values_list("fiscal_year", flat=True))
    assert min(years) <= timezone.localdate().year - 6 and max(years) == timezone.localdate().year
