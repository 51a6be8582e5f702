"""The cookie register with its lifetime flag, cookie policy versions, and the banner's script."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from personvern.core.errors import DomainError
from personvern.website.choices import CookieCategory, WebsiteErrorCode
from personvern.website.services import publish_cookie_policy
from tests.api.conftest import assert_problem, session_client
from tests.website.conftest import SYSTEM, cookie

pytestmark = pytest.mark.django_db


def test_a_cookie_living_past_the_limit_is_flagged_in_the_api(
    controller, cookie_register, privacy_officer
):
    response = session_client(privacy_officer).get("/api/website/cookies")

    flags = {c["name"]: c["exceeds_limit"] for c in response.json()}
    assert flags == {"cc_cookie": False, "_ga": False, "_gid": False, "_fbp": True}
    assert {c["limit_days"] for c in response.json()} == {30}


def test_a_cookie_living_past_the_limit_is_flagged_in_the_staff_ui(
    controller, cookie_register, privacy_officer
):
    client = Client()
    client.force_login(privacy_officer)

    page = client.get("/admin/website/cookie/").content.decode()

    assert page.count("⚠ 90") == 1
    assert "⚠ 30" not in page and "⚠ 1 " not in page


def test_statistics_and_marketing_cookies_need_a_consent_purpose(statistics_purpose):
    from tests.factories import ProcessingActivityFactory

    with pytest.raises(DomainError) as error:
        cookie("_ga", CookieCategory.STATISTICS, ProcessingActivityFactory())  # contract basis

    assert error.value.errors[0].field == "purpose"
    assert error.value.errors[0].code == WebsiteErrorCode.PURPOSE_NOT_CONSENT


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"name": "bad name;"}, "name", "invalid_cookie_name"),
        ({"category": "tracking"}, "category", "invalid_category"),
        ({"lifetime_days": -1}, "lifetime_days", "greater_than_equal"),
        ({"path": "nope"}, "path", "invalid_cookie_path"),
    ],
)
def test_the_api_validates_a_new_cookie(privacy_officer, change, field, code):
    body = {
        "name": "_pk_id",
        "provider": "Matomo",
        "category": "necessary",
        "description": "x",
        "lifetime_days": 1,
        "domain": "numeri.no",
        **change,
    }

    assert_problem(
        session_client(privacy_officer).post("/api/website/cookies", body),
        422,
        field=field,
        code=code,
    )


def test_sales_can_read_the_register_but_not_change_it(sales_user, cookie_register):
    api = session_client(sales_user)

    assert api.get("/api/website/cookies").status_code == 200
    body = {
        "name": "_x",
        "provider": "x",
        "category": "necessary",
        "description": "x",
        "lifetime_days": 1,
        "domain": "numeri.no",
    }
    assert_problem(api.post("/api/website/cookies", body), 403)


def test_publishing_the_policy_versions_both_languages_from_the_register(cookie_register):
    first = publish_cookie_policy(actor=SYSTEM)
    second = publish_cookie_policy(actor=SYSTEM)

    assert [(t.language, t.version) for t in first] == [("nb", 1), ("en", 1)]
    assert [(t.language, t.version) for t in second] == [("nb", 2), ("en", 2)]
    assert "_ga" in first[0].text and "30 dager" in first[0].text
    assert "_fbp" in first[1].text and "90 days" in first[1].text
    assert all(len(t.sha256) == 64 for t in first)


def test_the_banner_script_carries_the_library_the_revision_and_the_register(policy):
    response = Client().get("/website/banner.js")

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert "CookieConsent 3.1.0" in body
    config = json.loads(body.split("window.PERSONVERN_BANNER = ", 1)[1].split(";\n", 1)[0])
    assert config["revision"] == 1
    assert config["endpoint"].endswith("/api/website/public/banner-decisions")
    assert [c["name"] for c in config["categories"]["statistics"]] == ["_ga", "_gid"]
    assert "globalPrivacyControl" in body and "'consent', 'default'" not in body
    assert 'gtag("consent", "default"' in body


def test_the_banner_stylesheet_is_served_with_the_library():
    response = Client().get("/website/banner.css")

    assert response.status_code == 200 and "#cc-main" in response.content.decode()
