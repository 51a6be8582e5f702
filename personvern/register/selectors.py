"""Reads across the register. Every look-up of a person by e-mail or phone goes through
:func:`find_people`, over the normalised columns, so that encryption at rest (a keyed blind
index) can later replace the columns without touching a caller."""

from __future__ import annotations

from contextlib import suppress

from django.db.models import Q, QuerySet

from personvern.core.errors import DomainError
from personvern.core.validation import email_lookup_key, normalise_phone

from .models import Interaction, Person


def people_with_relations() -> QuerySet[Person]:
    return Person.objects.select_related("company")


def interactions_with_relations() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("recorded_by")


def find_people(*, email: str = "", phone: str = "") -> QuerySet[Person]:
    """People matching the e-mail address or the phone number (either; invalid input matches
    no one rather than failing, so a look-up never reveals why it found nothing)."""
    query = Q(pk__in=[])
    if email:
        with suppress(DomainError):
            query |= Q(email_key=email_lookup_key(email))
    if phone:
        with suppress(DomainError):
            query |= Q(phone=normalise_phone(phone))
    return people_with_relations().filter(query)
