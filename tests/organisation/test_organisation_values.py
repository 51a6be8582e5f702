"""The controller's and its authority's values are typed (``OrganisationValues``,
``OrganisationChanges``, ``AuthorityValues``, ``AuthorityChanges``) and checked by the models'
own field rules, mapped once (``core.records.model_errors``) to the organisation's codes; the
service keeps what the models cannot say (an http(s) website, deadlines within the law)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.organisation import services
from personvern.organisation.choices import OrganisationErrorCode
from personvern.organisation.models import Organisation, SupervisoryAuthority

pytestmark = pytest.mark.django_db
ACTOR = Actor.for_system("test")


@pytest.fixture
def authority() -> SupervisoryAuthority:
    return services.save_supervisory_authority(
        actor=ACTOR, values=services.AuthorityValues(name="Datatilsynet", country="NO")
    )


def controller(authority: SupervisoryAuthority, **overrides: Any) -> services.OrganisationValues:
    given = services.OrganisationValues(
        legal_name="Numeri AS",
        organisation_number="934567897",
        responsible_role="Daglig leder",
        privacy_contact_email="post@numeri.no",
        supervisory_authority=authority,
    )
    return replace(given, **overrides)


def refused_organisation(values: services.OrganisationValues) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        services.save_organisation(actor=ACTOR, values=values)
    assert not Organisation.objects.exists()
    return sorted((error.field, error.code) for error in caught.value.errors)


def test_the_model_rules_come_back_as_the_organisations_codes(authority):
    # given a legal name too long for its column, no responsible role and no authority
    # when saved / then each field is named with the organisation's code, all at once
    values = controller(
        authority, legal_name="N" * 201, responsible_role=" ", supervisory_authority=None
    )

    assert refused_organisation(values) == [
        ("legal_name", OrganisationErrorCode.TOO_LONG),
        ("responsible_role", CoreErrorCode.REQUIRED),
        ("supervisory_authority", CoreErrorCode.REQUIRED),
    ]


def test_an_authority_too_long_for_its_column_is_a_field_error():
    with pytest.raises(DomainError) as caught:
        services.save_supervisory_authority(
            actor=ACTOR, values=services.AuthorityValues(name="D" * 201, country=" ")
        )

    assert sorted((e.field, e.code) for e in caught.value.errors) == [
        ("country", CoreErrorCode.REQUIRED),
        ("name", OrganisationErrorCode.TOO_LONG),
    ]
    assert not SupervisoryAuthority.objects.exists()


def test_the_services_own_rules_are_named_once(authority):
    # given an ftp address (a URL the model takes) and a deadline past the law's month
    # when saved / then each carries the service's code once
    assert refused_organisation(
        controller(authority, website="ftp://numeri.no", request_deadline_days=45)
    ) == [
        ("request_deadline_days", OrganisationErrorCode.INVALID_DEADLINE),
        ("website", OrganisationErrorCode.INVALID_WEBSITE),
    ]


def test_an_update_sets_only_its_changes_over_the_row_as_it_is_now(authority):
    # given the controller read by one caller, then changed by another
    organisation = services.save_organisation(actor=ACTOR, values=controller(authority))
    stale = Organisation.objects.get(pk=organisation.pk)
    services.update_organisation(
        actor=ACTOR, organisation=organisation, changes={"request_deadline_days": 20}
    )

    # when the first caller changes the contact address from its stale copy
    services.update_organisation(
        actor=ACTOR, organisation=stale, changes={"privacy_contact_email": "personvern@numeri.no"}
    )

    # then the other caller's change stays
    organisation.refresh_from_db()
    assert (organisation.request_deadline_days, organisation.privacy_contact_email) == (
        20,
        "personvern@numeri.no",
    )


def test_an_authority_update_normalises_its_changes_and_refuses_unknown_fields(authority):
    services.update_supervisory_authority(
        actor=ACTOR, authority=authority, changes={"phone": "22 39 69 00"}
    )

    authority.refresh_from_db()
    assert (authority.name, authority.phone) == ("Datatilsynet", "+4722396900")
    with pytest.raises(DomainError) as caught:
        services.update_supervisory_authority(
            actor=ACTOR,
            authority=authority,
            changes={"fax": "22 39 69 01"},
        )
    assert caught.value.code == OrganisationErrorCode.UNKNOWN_FIELD
