"""The organisation services: validated, normalised and audited saves of the controller and
its supervisory authority."""

from __future__ import annotations

import pytest

from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.organisation.choices import OrganisationErrorCode
from personvern.organisation.models import Organisation, SupervisoryAuthority
from personvern.organisation.services import (
    AuthorityValues,
    OrganisationValues,
    save_organisation,
    save_supervisory_authority,
    update_organisation,
)

ACTOR = Actor.for_system("test")

AUTHORITY = {
    "name": "Datatilsynet",
    "country": "no",
    "website": "https://www.datatilsynet.no",
    "email": "postkasse@datatilsynet.no",
    "phone": "22 39 69 00",
    "postal_address": "Postboks 8177 Dep., 0034 Oslo",
}


@pytest.fixture
def authority(db) -> SupervisoryAuthority:
    return save_supervisory_authority(actor=ACTOR, values=AuthorityValues(**AUTHORITY))


@pytest.fixture
def controller_values(authority) -> dict[str, object]:
    return {
        "legal_name": "Numeri AS",
        "organisation_number": "934 567 897",
        "responsible_role": "Daglig leder",
        "privacy_contact_email": "post@numeri.no",
        "supervisory_authority": authority,
    }


def test_save_supervisory_authority_normalises_and_audits(db):
    # when an authority is saved with loosely written values
    authority = save_supervisory_authority(actor=ACTOR, values=AuthorityValues(**AUTHORITY))

    # then they are stored in canonical form, and the creation is audited
    assert authority.country == "NO"
    assert authority.phone == "+4722396900"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "organisation.supervisoryauthority",
        str(authority.pk),
    )
    assert entry.actor_label == "system:test"
    assert "phone" in entry.fields


def test_saving_the_same_authority_again_writes_nothing(authority):
    # when the same values are saved again
    again = save_supervisory_authority(actor=ACTOR, values=AuthorityValues(**AUTHORITY))

    # then it is the same record and no new audit entry exists
    assert again.pk == authority.pk
    assert SupervisoryAuthority.objects.count() == 1
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("phone", "12", CoreErrorCode.INVALID_PHONE),
        ("email", "not-an-address", CoreErrorCode.INVALID_EMAIL),
        ("country", "Norge", CoreErrorCode.INVALID_COUNTRY),
        ("website", "datatilsynet", OrganisationErrorCode.INVALID_WEBSITE),
        ("name", " ", CoreErrorCode.REQUIRED),
    ],
)
def test_an_invalid_authority_is_refused(db, field, value, code):
    # when an authority with one invalid value is saved
    with pytest.raises(DomainError) as caught:
        save_supervisory_authority(
            actor=ACTOR, values=AuthorityValues(**{**AUTHORITY, field: value})
        )

    # then the error names the field and its code, and nothing is written
    assert caught.value.code == code
    assert caught.value.field == field
    assert not SupervisoryAuthority.objects.exists()
    assert not AuditEntry.objects.exists()


def test_save_organisation_creates_the_controller(controller_values):
    # when the controller is saved
    organisation = save_organisation(actor=ACTOR, values=OrganisationValues(**controller_values))

    # then its organisation number is stored compact, and the creation is audited
    assert organisation.organisation_number == "934567897"
    assert organisation.request_deadline_days == 30
    entry = AuditEntry.objects.get(object_type="organisation.organisation")
    assert entry.action == "create"
    assert entry.object_id == str(organisation.pk)
    assert "privacy_contact_email" in entry.fields


def test_save_organisation_updates_by_organisation_number(controller_values):
    # given the controller exists
    organisation = save_organisation(actor=ACTOR, values=OrganisationValues(**controller_values))

    # when it is saved with a new contact address
    updated = save_organisation(
        actor=ACTOR,
        values=OrganisationValues(
            **{**controller_values, "privacy_contact_email": "personvern@numeri.no"}
        ),
    )

    # then the same record is updated, and the audit entry names the changed field only
    assert updated.pk == organisation.pk
    assert Organisation.objects.get().privacy_contact_email == "personvern@numeri.no"
    entry = AuditEntry.objects.filter(object_type="organisation.organisation").first()
    assert entry is not None
    assert (entry.action, entry.fields) == ("update", ["privacy_contact_email"])


def test_saving_the_same_organisation_again_writes_nothing(controller_values):
    save_organisation(actor=ACTOR, values=OrganisationValues(**controller_values))
    entries = AuditEntry.objects.count()

    save_organisation(actor=ACTOR, values=OrganisationValues(**controller_values))

    assert Organisation.objects.count() == 1
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("organisation_number", "934567898", CoreErrorCode.INVALID_ORGANISATION_NUMBER),
        ("organisation_number", "12345", CoreErrorCode.INVALID_ORGANISATION_NUMBER),
        ("organisation_number", "", CoreErrorCode.REQUIRED),
        ("privacy_contact_email", "post@", CoreErrorCode.INVALID_EMAIL),
        ("privacy_contact_email", "", CoreErrorCode.REQUIRED),
        ("legal_name", "", CoreErrorCode.REQUIRED),
        ("website", "ftp://numeri.no", OrganisationErrorCode.INVALID_WEBSITE),
        ("request_deadline_days", 45, OrganisationErrorCode.INVALID_DEADLINE),
        ("request_deadline_days", 0, OrganisationErrorCode.INVALID_DEADLINE),
        ("cookie_lifetime_limit_days", "30", OrganisationErrorCode.INVALID_COOKIE_LIFETIME),
        ("supervisory_authority", None, CoreErrorCode.REQUIRED),
        (
            "supervisory_authority",
            SupervisoryAuthority(name="Unsaved"),
            OrganisationErrorCode.INVALID_SUPERVISORY_AUTHORITY,
        ),
    ],
)
def test_an_invalid_organisation_is_refused(controller_values, field, value, code):
    audit_before = AuditEntry.objects.count()

    # when the controller is saved with one invalid value
    with pytest.raises(DomainError) as caught:
        save_organisation(
            actor=ACTOR, values=OrganisationValues(**{**controller_values, field: value})
        )

    # then the error names the field and its code, and nothing is written
    assert caught.value.code == code
    assert caught.value.field == field
    assert not Organisation.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_all_field_errors_are_reported_together(controller_values):
    with pytest.raises(DomainError) as caught:
        save_organisation(
            actor=ACTOR,
            values=OrganisationValues(
                **{
                    **controller_values,
                    "organisation_number": "1",
                    "privacy_contact_email": "x",
                }
            ),
        )

    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("organisation_number", CoreErrorCode.INVALID_ORGANISATION_NUMBER),
        ("privacy_contact_email", CoreErrorCode.INVALID_EMAIL),
    }


def test_an_unknown_field_is_refused(controller_values):
    # A new controller's values are typed (a name it does not have is a TypeError); an
    # update's changes are checked when it runs.
    organisation = save_organisation(actor=ACTOR, values=OrganisationValues(**controller_values))

    with pytest.raises(DomainError) as caught:
        update_organisation(actor=ACTOR, organisation=organisation, changes={"pk": 7})

    assert caught.value.code == OrganisationErrorCode.UNKNOWN_FIELD
    assert caught.value.field == "pk"


def test_changing_to_a_number_another_organisation_has_is_refused(controller_values):
    # given two organisations
    first = save_organisation(actor=ACTOR, values=OrganisationValues(**controller_values))
    save_organisation(
        actor=ACTOR,
        values=OrganisationValues(**{**controller_values, "organisation_number": "923456783"}),
    )

    # when the first is given the second's number
    with pytest.raises(DomainError) as caught:
        update_organisation(
            actor=ACTOR,
            organisation=first,
            changes={**controller_values, "organisation_number": "923456783"},
        )

    # then it is refused on that field
    assert caught.value.code == OrganisationErrorCode.DUPLICATE_ORGANISATION_NUMBER
    assert caught.value.field == "organisation_number"


def test_an_update_keeps_the_fields_it_leaves_out(controller_values):
    # given the controller with a website and a stricter deadline
    organisation = save_organisation(
        actor=ACTOR,
        values=OrganisationValues(
            **{
                **controller_values,
                "website": "https://numeri.example.no",
                "request_deadline_days": 20,
            }
        ),
    )

    # when only its responsible role is changed
    update_organisation(
        actor=ACTOR, organisation=organisation, changes={"responsible_role": "Personvernombud"}
    )

    # then the other fields are kept
    organisation.refresh_from_db()
    assert organisation.responsible_role == "Personvernombud"
    assert organisation.website == "https://numeri.example.no"
    assert organisation.request_deadline_days == 20
    assert organisation.privacy_contact_email == "post@numeri.no"


def test_an_invalid_update_of_an_existing_organisation_is_refused(controller_values):
    organisation = save_organisation(actor=ACTOR, values=OrganisationValues(**controller_values))
    entries = AuditEntry.objects.count()

    with pytest.raises(DomainError) as caught:
        save_organisation(
            actor=ACTOR,
            values=OrganisationValues(**{**controller_values, "privacy_contact_email": "x"}),
        )

    assert (caught.value.code, caught.value.field) == (
        CoreErrorCode.INVALID_EMAIL,
        "privacy_contact_email",
    )
    organisation.refresh_from_db()
    assert organisation.privacy_contact_email == "post@numeri.no"
    assert AuditEntry.objects.count() == entries
