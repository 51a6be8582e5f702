"""Helpers for the API tests: a JSON client signed in by session or by bearer token."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from personvern.accounts.models import User
from personvern.accounts.services import issue_token
from personvern.audit.choices import AuditAction
from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor

PROBLEM = "application/problem+json"


class ApiClient:
    """Django's test client speaking JSON, by session or with ``Authorization: Bearer``."""

    def __init__(self, client: Client, *, token: str | None = None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            path, body or {}, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, body, content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


def session_client(user: User) -> ApiClient:
    client = Client()
    client.force_login(user)
    return ApiClient(client)


def token_for(user: User, **kwargs: Any) -> str:
    _token, key = issue_token(actor=Actor.for_system("tests"), user=user, name="tests", **kwargs)
    return key


def token_client(user: User) -> ApiClient:
    return ApiClient(Client(), token=token_for(user))


def expires_in(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def assert_problem(
    response: Any, status: int, *, field: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """The response is RFC 9457 problem details; with ``field``, an error names it with
    ``code``."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if field is not None:
        assert {"field": field, "code": code} in [
            {"field": e["field"], "code": e["code"]} for e in body["errors"]
        ], body["errors"]
    elif code is not None:
        assert body["code"] == code
    return body


def audit_entries(action: AuditAction, object_type: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_type=object_type))


@pytest.fixture
def officer_api(privacy_officer: User) -> ApiClient:
    return session_client(privacy_officer)


@pytest.fixture
def officer_token_api(privacy_officer: User) -> ApiClient:
    return token_client(privacy_officer)


@pytest.fixture
def auditor_api(auditor: User) -> ApiClient:
    return session_client(auditor)


@pytest.fixture
def sales_api(sales_user: User) -> ApiClient:
    return session_client(sales_user)


@pytest.fixture
def service_api(customer_service: User) -> ApiClient:
    return session_client(customer_service)
