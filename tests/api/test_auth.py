"""Authentication: staff session (with CSRF) or bearer token; only active staff get in."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from personvern.accounts.models import ApiToken
from personvern.accounts.services import key_digest, revoke_token
from personvern.audit.choices import AuditAction
from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from personvern.register.models import Person
from tests.factories import UserFactory

from .conftest import ApiClient, assert_problem, expires_in, session_client, token_for

pytestmark = pytest.mark.django_db

PEOPLE = "/api/people"


def test_unauthenticated_request_gets_401_problem():
    # given no session and no token
    client = ApiClient(Client())
    # when
    response = client.get(PEOPLE)
    # then
    assert_problem(response, 401, code="not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_staff_session_authenticates(privacy_officer):
    response = session_client(privacy_officer).get(PEOPLE)
    assert response.status_code == 200


def test_session_of_non_staff_user_is_refused():
    user = UserFactory(username="outsider", is_staff=False)
    assert_problem(session_client(user).get(PEOPLE), 401, code="not_authenticated")


def test_session_of_inactive_staff_user_is_refused(privacy_officer):
    # given a signed-in officer whose account is then deactivated
    client = session_client(privacy_officer)
    privacy_officer.is_active = False
    privacy_officer.save()
    # then the session no longer authenticates
    assert_problem(client.get(PEOPLE), 401)


def test_session_write_without_csrf_token_is_refused(privacy_officer):
    # given a browser-like client that enforces CSRF
    client = Client(enforce_csrf_checks=True)
    client.force_login(privacy_officer)
    # when it posts without a CSRF token
    response = client.post(
        PEOPLE, {"category": "lead", "first_name": "Kari"}, content_type="application/json"
    )
    # then it is refused and nothing is stored
    assert_problem(response, 403)
    assert not Person.objects.exists()


def test_valid_bearer_token_authenticates_and_records_use(privacy_officer):
    key = token_for(privacy_officer)
    response = ApiClient(Client(), token=key).get(PEOPLE)
    assert response.status_code == 200
    token = ApiToken.objects.get(key_digest=key_digest(key))
    assert token.last_used_at is not None


def test_bearer_token_needs_no_csrf_token(privacy_officer):
    # given a token client on a CSRF-enforcing test client
    client = ApiClient(Client(enforce_csrf_checks=True), token=token_for(privacy_officer))
    # when it creates a person
    response = client.post(PEOPLE, {"category": "lead", "first_name": "Kari"})
    # then the write succeeds
    assert response.status_code == 201, response.content


def test_revoked_token_is_refused(privacy_officer):
    key = token_for(privacy_officer)
    token = ApiToken.objects.get(key_digest=key_digest(key))
    revoke_token(actor=Actor.for_system("tests"), token=token)
    assert_problem(ApiClient(Client(), token=key).get(PEOPLE), 401)


def test_expired_token_is_refused(privacy_officer):
    key = token_for(privacy_officer, expires_at=expires_in(1))
    ApiToken.objects.filter(key_digest=key_digest(key)).update(expires_at=expires_in(-1))
    assert_problem(ApiClient(Client(), token=key).get(PEOPLE), 401)


def test_token_of_user_no_longer_staff_is_refused(privacy_officer):
    key = token_for(privacy_officer)
    privacy_officer.is_staff = False
    privacy_officer.save()
    assert_problem(ApiClient(Client(), token=key).get(PEOPLE), 401)


def test_unknown_token_is_refused(db):
    assert_problem(ApiClient(Client(), token="not-a-real-key").get(PEOPLE), 401)


def test_token_is_not_issued_to_non_staff_user():
    from personvern.accounts.services import issue_token
    from personvern.core.errors import DomainError

    user = UserFactory(username="outsider", is_staff=False)
    with pytest.raises(DomainError) as exc:
        issue_token(actor=Actor.for_system("tests"), user=user, name="x")
    assert exc.value.code == "not_staff"


def test_issuing_a_token_is_audited_without_the_key(privacy_officer):
    # when
    key = token_for(privacy_officer)
    # then one CREATE entry for the token, and neither key nor digest anywhere in it
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="accounts.apitoken")
    dumped = repr((entry.fields, entry.detail, entry.object_id, entry.actor_label))
    assert key not in dumped
    assert key_digest(key) not in dumped
    assert key[:8] not in dumped


def test_token_command_creates_and_revokes(privacy_officer):
    # when a token is created on the command line
    out = io.StringIO()
    call_command(
        "token", "create", privacy_officer.username, "integration", stdout=out, stderr=io.StringIO()
    )
    key = out.getvalue().strip()
    # then the printed key works
    assert ApiClient(Client(), token=key).get(PEOPLE).status_code == 200
    # when it is revoked by prefix
    call_command("token", "revoke", key[:8], stdout=io.StringIO())
    # then it no longer works, and both steps are audited
    assert ApiClient(Client(), token=key).get(PEOPLE).status_code == 401
    actions = set(
        AuditEntry.objects.filter(object_type="accounts.apitoken").values_list("action", flat=True)
    )
    assert actions == {AuditAction.CREATE, AuditAction.UPDATE}


def test_a_key_never_starts_with_a_dash_so_its_prefix_is_not_read_as_an_option(
    privacy_officer, monkeypatch
):
    # given the random source first yields a key starting with "-", then an ordinary one
    keys = iter(["-" + "a" * 42, "b" * 43])
    monkeypatch.setattr(
        "personvern.accounts.services.tokens.secrets.token_urlsafe", lambda n: next(keys)
    )
    # when a token is created on the command line
    out = io.StringIO()
    call_command(
        "token", "create", privacy_officer.username, "ci", stdout=out, stderr=io.StringIO()
    )
    # then the printed key is the ordinary one and its prefix revokes it
    key = out.getvalue().strip()
    assert key == "b" * 43
    call_command("token", "revoke", key[:8], stdout=io.StringIO())
    assert ApiClient(Client(), token=key).get(PEOPLE).status_code == 401


def test_token_command_refuses_unknown_user_and_prefix(db):
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", "x", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("token", "revoke", "nopefix0", stdout=io.StringIO())


def test_last_use_is_written_at_most_once_a_minute(privacy_officer):
    import datetime

    from django.utils import timezone

    key = token_for(privacy_officer)
    client = ApiClient(Client(), token=key)
    client.get(PEOPLE)
    token = ApiToken.objects.get(key_digest=key_digest(key))
    first_use = token.last_used_at
    # a second call within the minute leaves it, a call after a minute moves it
    client.get(PEOPLE)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    client.get(PEOPLE)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use
