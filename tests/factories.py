"""Factories for synthetic test data (Faker, no_NO). Never real people."""

from __future__ import annotations

import factory
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from faker import Faker

from personvern.accounts.models import User
from personvern.demo.synthetic import orgnr_check_digit
from personvern.organisation.models import Organisation, SupervisoryAuthority
from personvern.processing.choices import LegalBasis, TransferMechanism
from personvern.processing.models import ProcessingActivity, Processor
from personvern.register.choices import InteractionChannel, SubjectCategory
from personvern.register.models import Company, Interaction, Person

fake = Faker("no_NO")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = Sequence(lambda n: f"staff{n}")
    email = LazyAttribute(lambda o: f"{o.username}@example.com")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


def _orgnr(n: int) -> str:
    """A valid synthetic organisation number derived from n."""
    for candidate in range(91_000_000 + n * 7, 91_000_000 + n * 7 + 100):
        check = orgnr_check_digit(f"{candidate:08d}")
        if check != "-":
            return f"{candidate:08d}{check}"
    raise AssertionError("no valid organisation number near the sequence")


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company

    name = Sequence(lambda n: f"{fake.company()} {n}")
    organisation_number = Sequence(_orgnr)
    city = LazyFunction(fake.city)


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    category = SubjectCategory.CUSTOMER_CONTACT
    first_name = LazyFunction(fake.first_name)
    last_name = LazyFunction(fake.last_name)
    email = Sequence(lambda n: f"person{n}@example.com")
    email_key = LazyAttribute(lambda o: o.email.lower())
    phone = Sequence(lambda n: f"+47{40000000 + n}")


class InteractionFactory(factory.django.DjangoModelFactory[Interaction]):
    class Meta:
        model = Interaction

    person = SubFactory(PersonFactory)
    channel = InteractionChannel.EMAIL
    summary = "Asked about the annual accounts."


class SupervisoryAuthorityFactory(factory.django.DjangoModelFactory[SupervisoryAuthority]):
    class Meta:
        model = SupervisoryAuthority

    name = "Datatilsynet"
    country = "NO"
    email = "postkasse@datatilsynet.no"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    legal_name = "Testfirma AS"
    organisation_number = "974760673"
    responsible_role = "Daglig leder"
    privacy_contact_email = "post@example.com"
    supervisory_authority = SubFactory(SupervisoryAuthorityFactory)


class ProcessingActivityFactory(factory.django.DjangoModelFactory[ProcessingActivity]):
    class Meta:
        model = ProcessingActivity

    name = Sequence(lambda n: f"Activity {n}")
    purpose = "Handle the customer relationship."
    legal_basis = LegalBasis.CONTRACT
    subject_categories = [SubjectCategory.CUSTOMER_CONTACT.value]


class ProcessorFactory(factory.django.DjangoModelFactory[Processor]):
    class Meta:
        model = Processor

    name = Sequence(lambda n: f"Processor {n}")
    country = "NO"
    services = "Hosting"
    transfer_mechanism = TransferMechanism.EEA
