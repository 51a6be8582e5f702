"""API handlers for the register: people, companies and interactions.

Handlers check the permission, turn ids into objects, call a service and return an output
schema. Every rule lives in ``services``; every error is a coded problem (``personvern.api``).
"""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import paginate

from personvern.accounts.auth import ApiRequest, api_actor, require_perm
from personvern.core.api import DbId, Pagination, blank_nulls, existing, id_query, search

from . import services
from .models import Company, Interaction, Person
from .schemas import (
    CompanyCreateIn,
    CompanyListOut,
    CompanyOut,
    CompanyUpdateIn,
    InteractionCreateIn,
    InteractionListOut,
    InteractionOut,
    InteractionUpdateIn,
    PersonCreateIn,
    PersonListOut,
    PersonLookupIn,
    PersonOut,
    PersonUpdateIn,
)
from .selectors import find_people, interactions_with_relations, people_with_relations

LOOKUP_LIMIT = 50

people_router = Router(tags=["people"])
companies_router = Router(tags=["companies"])
interactions_router = Router(tags=["interactions"])


def _company_for(company_id: int | None) -> Company | None:
    if company_id is None:
        return None
    return existing(
        Company.objects.all(), company_id, field="company_id", message=_("No company with this id.")
    )


# People


@people_router.get("", response=list[PersonListOut])
@paginate(Pagination)
def list_people(
    request: ApiRequest,
    category: str | None = None,
    company_id: int | None = id_query(),
    q: str | None = None,
) -> QuerySet[Person]:
    """People, filtered by category or company and searched by name or company name. Contact
    details are not listed: look them up with POST /lookup or read one person."""
    require_perm(request, "register.view_person")
    people = people_with_relations()
    if category:
        people = people.filter(category=category)
    if company_id is not None:
        people = people.filter(company_id=company_id)
    return search(people, q, ("first_name", "last_name", "company__name"))


@people_router.post("/lookup", response=list[PersonListOut])
def lookup_people(request: ApiRequest, payload: PersonLookupIn) -> list[Person]:
    """People with this e-mail address or phone number (a POST: they stay out of URLs). Each
    person found is written to the audit log as viewed."""
    require_perm(request, "register.view_person")
    people = list(find_people(email=payload.email, phone=payload.phone)[:LOOKUP_LIMIT])
    actor = api_actor(request)
    for person in people:
        services.log_person_viewed(actor=actor, person=person, via="api:lookup")
    return people


@people_router.get("/{int:person_id}", response=PersonOut)
def get_person(request: ApiRequest, person_id: DbId) -> Person:
    """One person's data. The view is written to the audit log."""
    require_perm(request, "register.view_person")
    person = get_object_or_404(people_with_relations(), pk=person_id)
    services.log_person_viewed(actor=api_actor(request), person=person, via="api")
    return person


@people_router.post("", response={201: PersonOut})
def create_person(request: ApiRequest, payload: PersonCreateIn) -> Status[Person]:
    require_perm(request, "register.add_person")
    values = services.PersonValues(
        **payload.model_dump(exclude={"company_id"}), company=_company_for(payload.company_id)
    )
    person = services.create_person(actor=api_actor(request), values=values)
    return Status(201, person)


@people_router.patch("/{int:person_id}", response=PersonOut)
def update_person(request: ApiRequest, person_id: DbId, payload: PersonUpdateIn) -> Person:
    """Correct or complete a person's data: only the fields sent change."""
    require_perm(request, "register.change_person")
    person = get_object_or_404(people_with_relations(), pk=person_id)
    # The schema's fields are the person's: the service refuses any other name at run time.
    changes = cast(
        services.PersonChanges,
        blank_nulls(payload.model_dump(exclude_unset=True, exclude={"company_id"})),
    )
    if "company_id" in payload.model_fields_set:
        changes["company"] = _company_for(payload.company_id)
    return services.update_person(actor=api_actor(request), person=person, changes=changes)


@people_router.delete("/{int:person_id}", response={204: None})
def delete_person(request: ApiRequest, person_id: DbId) -> Status[None]:
    require_perm(request, "register.delete_person")
    person = get_object_or_404(Person, pk=person_id)
    services.delete_person(actor=api_actor(request), person=person)
    return Status(204, None)


# Companies


@companies_router.get("", response=list[CompanyListOut])
@paginate(Pagination)
def list_companies(request: ApiRequest, q: str | None = None) -> QuerySet[Company]:
    """Companies, searched by name or organisation number."""
    require_perm(request, "register.view_company")
    return search(Company.objects.all(), q, ("name", "organisation_number"))


@companies_router.get("/{int:company_id}", response=CompanyOut)
def get_company(request: ApiRequest, company_id: DbId) -> Company:
    require_perm(request, "register.view_company")
    return get_object_or_404(Company, pk=company_id)


@companies_router.post("", response={201: CompanyOut})
def create_company(request: ApiRequest, payload: CompanyCreateIn) -> Status[Company]:
    require_perm(request, "register.add_company")
    values = services.CompanyValues(**payload.model_dump())
    company = services.create_company(actor=api_actor(request), values=values)
    return Status(201, company)


@companies_router.patch("/{int:company_id}", response=CompanyOut)
def update_company(request: ApiRequest, company_id: DbId, payload: CompanyUpdateIn) -> Company:
    require_perm(request, "register.change_company")
    company = get_object_or_404(Company, pk=company_id)
    # The schema's fields are the company's: the service refuses any other name at run time.
    changes = cast(services.CompanyChanges, blank_nulls(payload.model_dump(exclude_unset=True)))
    return services.update_company(actor=api_actor(request), company=company, changes=changes)


@companies_router.delete("/{int:company_id}", response={204: None})
def delete_company(request: ApiRequest, company_id: DbId) -> Status[None]:
    """Delete a company; its people stay in the register without a company."""
    require_perm(request, "register.delete_company")
    company = get_object_or_404(Company, pk=company_id)
    services.delete_company(actor=api_actor(request), company=company)
    return Status(204, None)


# Interactions


@interactions_router.get("", response=list[InteractionListOut])
@paginate(Pagination)
def list_interactions(
    request: ApiRequest, person_id: int | None = id_query(), channel: str | None = None
) -> QuerySet[Interaction]:
    """Interactions, newest first, without their summaries (read one interaction for that)."""
    require_perm(request, "register.view_interaction")
    interactions = interactions_with_relations()
    if person_id is not None:
        interactions = interactions.filter(person_id=person_id)
    if channel:
        interactions = interactions.filter(channel=channel)
    return interactions


@interactions_router.get("/{int:interaction_id}", response=InteractionOut)
def get_interaction(request: ApiRequest, interaction_id: DbId) -> Interaction:
    """One interaction; reading it is audited as a view of the person's data."""
    require_perm(request, "register.view_interaction")
    interaction = get_object_or_404(
        interactions_with_relations().select_related("person"), pk=interaction_id
    )
    services.log_person_viewed(
        actor=api_actor(request), person=interaction.person, via="api:interaction"
    )
    return interaction


@interactions_router.post("", response={201: InteractionOut})
def create_interaction(request: ApiRequest, payload: InteractionCreateIn) -> Status[Interaction]:
    require_perm(request, "register.add_interaction")
    person = existing(
        Person.objects.all(),
        payload.person_id,
        field="person_id",
        message=_("No person with this id."),
    )
    interaction = services.record_interaction(
        actor=api_actor(request),
        person=person,
        channel=payload.channel,
        summary=payload.summary,
        occurred_at=payload.occurred_at,
    )
    return Status(201, interaction)


@interactions_router.patch("/{int:interaction_id}", response=InteractionOut)
def update_interaction(
    request: ApiRequest, interaction_id: DbId, payload: InteractionUpdateIn
) -> Interaction:
    require_perm(request, "register.change_interaction")
    interaction = get_object_or_404(interactions_with_relations(), pk=interaction_id)
    changes = payload.model_dump(exclude_unset=True)
    return services.update_interaction(
        actor=api_actor(request),
        interaction=interaction,
        channel=changes.get("channel"),
        summary=changes.get("summary"),
    )


@interactions_router.delete("/{int:interaction_id}", response={204: None})
def delete_interaction(request: ApiRequest, interaction_id: DbId) -> Status[None]:
    require_perm(request, "register.delete_interaction")
    interaction = get_object_or_404(Interaction, pk=interaction_id)
    services.delete_interaction(actor=api_actor(request), interaction=interaction)
    return Status(204, None)
