"""The privacy officer manages staff users: roles, deactivation, second factors; audited."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from personvern.accounts import services
from personvern.accounts.choices import Role
from personvern.accounts.models import ApiToken, User
from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db
USERS = "/admin/accounts/user/"
PASSWORD = "a-Long-and-unusual-passphrase-42"


def test_the_privacy_officer_opens_the_staff_list_others_may_not(
    client, privacy_officer, auditor
):
    client.force_login(privacy_officer)
    assert client.get(USERS).status_code == 200
    client.force_login(auditor)
    assert client.get(USERS).status_code == 403


def test_the_privacy_officer_gives_a_colleague_a_role_through_the_form(
    client, privacy_officer, customer_service
):
    client.force_login(privacy_officer)
    response = client.post(f"{USERS}{customer_service.pk}/change/", {
        "first_name": "Kari", "last_name": "Kollega", "email": "kari@example.com",
        "roles": [Role.CUSTOMER_SERVICE.value, Role.AUDITOR.value], "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    customer_service.refresh_from_db()
    assert services.roles_of(customer_service) == ["customer_service", "auditor"]
    changed = AuditEntry.objects.get(event_type=AuditEventType.STAFF_ROLES_CHANGED)
    assert changed.detail == {"before": ["customer_service"],
                              "after": ["customer_service", "auditor"]}
    assert changed.actor_id == privacy_officer.pk
    details = AuditEntry.objects.get(event_type=AuditEventType.STAFF_USER_CHANGED)
    assert set(details.fields) == {"first_name", "last_name", "email"}
    assert "Kollega" not in str(details.detail)


def test_the_privacy_officer_adds_a_staff_user_with_a_role(client, privacy_officer):
    client.force_login(privacy_officer)
    response = client.post(f"{USERS}add/", {
        "username": "ny-kollega", "first_name": "Ny", "last_name": "Kollega", "email": "",
        "roles": [Role.SALES_MARKETING.value], "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="ny-kollega")
    assert user.is_staff and user.check_password(PASSWORD) and not user.is_superuser
    assert services.roles_of(user) == ["sales_marketing"]
    created = AuditEntry.objects.get(event_type=AuditEventType.STAFF_USER_CREATED)
    assert created.detail == {"roles": ["sales_marketing"]} and PASSWORD not in str(created.detail)


def test_a_weak_password_or_a_taken_name_is_refused_and_nothing_is_written(
    client, privacy_officer
):
    client.force_login(privacy_officer)
    taken = client.post(f"{USERS}add/", {
        "username": "privacy_officer", "roles": [], "password1": PASSWORD, "password2": PASSWORD,
    })
    assert taken.status_code == 200 and "username" in taken.context["adminform"].form.errors
    weak = client.post(f"{USERS}add/", {
        "username": "ny", "roles": [], "password1": "12345678", "password2": "12345678",
    })
    assert weak.status_code == 200
    assert weak.context["adminform"].form.non_field_errors()
    assert User.objects.count() == 1
    with pytest.raises(DomainError) as refused:
        services.create_staff_user(actor=Actor(user=privacy_officer), username="ny",
                                   password="12345678", roles=[])
    assert refused.value.errors[0].field == "password"
    assert refused.value.errors[0].code == "weak_password"


def test_deactivation_revokes_tokens_and_is_audited(privacy_officer, customer_service):
    services.issue_token(actor=Actor(user=customer_service), user=customer_service, name="t")
    services.deactivate_staff_user(actor=Actor(user=privacy_officer), user=customer_service)
    customer_service.refresh_from_db()
    assert not customer_service.is_active
    assert not any(t.is_usable() for t in ApiToken.objects.filter(user=customer_service))
    entry = AuditEntry.objects.get(event_type=AuditEventType.STAFF_USER_DEACTIVATED)
    assert entry.detail == {"tokens_revoked": 1}
    services.reactivate_staff_user(actor=Actor(user=privacy_officer), user=customer_service)
    customer_service.refresh_from_db()
    assert customer_service.is_active


def test_the_last_privacy_officer_keeps_the_role_and_cannot_be_deactivated(privacy_officer):
    officer = Actor(user=privacy_officer)
    with pytest.raises(DomainError) as refused:
        services.set_roles(actor=officer, user=privacy_officer, roles=[Role.AUDITOR.value])
    assert refused.value.code == "last_privacy_officer"
    with pytest.raises(DomainError) as refused:
        services.deactivate_staff_user(actor=officer, user=privacy_officer)
    assert refused.value.code == "self_deactivation"
    second = user_with_role(Role.PRIVACY_OFFICER, username="second_officer")
    services.set_roles(actor=Actor(user=second), user=privacy_officer, roles=[Role.AUDITOR.value])
    assert services.roles_of(privacy_officer) == ["auditor"]


def test_an_unknown_role_or_someone_without_the_right_is_refused(
    privacy_officer, customer_service
):
    with pytest.raises(DomainError) as refused:
        services.set_roles(actor=Actor(user=privacy_officer), user=customer_service,
                           roles=["superuser"])
    assert refused.value.code == "unknown_role"
    with pytest.raises(DomainError) as refused:
        services.set_roles(actor=Actor(user=customer_service), user=privacy_officer, roles=[])
    assert refused.value.code == "permission_denied"
    assert not AuditEntry.objects.filter(event_type=AuditEventType.STAFF_ROLES_CHANGED).exists()


def test_the_privacy_officer_resets_a_colleagues_second_factor_from_the_list(
    client, privacy_officer, auditor
):
    TOTPDevice.objects.create(user=auditor, name="phone", confirmed=True)
    client.force_login(privacy_officer)
    response = client.post(USERS, {"action": "reset_second_factor",
                                   "_selected_action": [auditor.pk], "index": 0})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    assert AuditEntry.objects.filter(event_type=AuditEventType.SECOND_FACTOR_RESET,
                                     actor=privacy_officer).exists()


def test_the_staff_forms_show_the_roles_as_choices(client, privacy_officer, customer_service):
    client.force_login(privacy_officer)
    added = client.get(f"{USERS}add/")
    changed = client.get(f"{USERS}{customer_service.pk}/change/")
    assert added.status_code == changed.status_code == 200
    html = changed.content.decode()
    assert 'name="roles" value="customer_service"' in html and "checked" in html
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
