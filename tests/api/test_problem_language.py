"""API problem titles follow the request's language, whichever handler wrote them: a domain
error, a validation error, a missing object, a missing login."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/activities"
TITLES = {
    "nb": {
        "validation": "Forespørselen er ikke gyldig.",
        "not_found": "Finnes ikke.",
        "auth": "Du må logge inn.",
    },
    "en": {
        "validation": "The request is not valid.",
        "not_found": "Not found.",
        "auth": "Authentication required.",
    },
}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_problem_titles_are_in_the_requests_language(officer_api, client, language):
    headers = {**officer_api.headers, "Accept-Language": language}
    invalid = officer_api.client.post(
        ACTIVITIES, {"name": 5}, content_type="application/json", headers=headers
    )
    assert invalid.status_code == 422
    assert invalid.json()["title"] == TITLES[language]["validation"]
    missing = officer_api.client.get(f"{ACTIVITIES}/999999", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["title"] == TITLES[language]["not_found"]
    anonymous = client.get(ACTIVITIES, headers={"Accept-Language": language})
    assert anonymous.status_code == 401
    assert anonymous.json()["title"] == TITLES[language]["auth"]


def test_a_domain_errors_title_follows_the_language_too(officer_api):
    titles = {}
    for language in ("nb", "en"):
        refused = officer_api.client.post(
            ACTIVITIES,
            {"name": "", "purpose": "x", "legal_basis": "contract"},
            content_type="application/json",
            headers={**officer_api.headers, "Accept-Language": language},
        )
        assert refused.status_code == 422 and refused.json()["code"] != "validation_error"
        titles[language] = refused.json()["title"]
    assert titles["nb"] != titles["en"]
