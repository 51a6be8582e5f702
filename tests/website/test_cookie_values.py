"""A cookie's values are typed (``CookieValues``, ``CookieChanges``) and checked by the
model's own field rules, mapped once (``core.records.model_errors``) to the website's codes;
the service adds only what the model cannot say (an RFC 6265 name, a path, a consent purpose)."""

from __future__ import annotations

import pytest

from personvern.core.errors import CoreErrorCode, DomainError
from personvern.website import services
from personvern.website.choices import CookieCategory, WebsiteErrorCode
from personvern.website.models import Cookie
from tests.website.conftest import SYSTEM, cookie

pytestmark = pytest.mark.django_db


def refused(**values) -> list[tuple[str, str]]:
    given = {
        "name": "_pk_id",
        "provider": "Matomo",
        "category": CookieCategory.NECESSARY,
        "description": "Tells visits apart",
        "lifetime_days": 1,
        "domain": "numeri.no",
        **values,
    }
    with pytest.raises(DomainError) as caught:
        services.create_cookie(actor=SYSTEM, values=services.CookieValues(**given))
    assert not Cookie.objects.exists()
    return sorted((error.field, error.code) for error in caught.value.errors)


def test_the_model_rules_come_back_as_the_websites_codes():
    # given a blank provider, a domain too long for its column, a category that is no choice
    # and a negative lifetime / when created / then each field is named, all at once
    assert refused(provider="  ", domain="d" * 201, category="tracking", lifetime_days=-1) == [
        ("category", WebsiteErrorCode.INVALID_CATEGORY),
        ("domain", WebsiteErrorCode.TOO_LONG),
        ("lifetime_days", WebsiteErrorCode.INVALID_LIFETIME),
        ("provider", CoreErrorCode.REQUIRED),
    ]


def test_a_field_the_service_refuses_is_named_once():
    # given a name that is no HTTP token and too long for its column, and a long bad path
    # when created / then each carries the service's own code, not the model's as well
    assert refused(name="x;" * 60, path="p" * 201) == [
        ("name", WebsiteErrorCode.INVALID_COOKIE_NAME),
        ("path", WebsiteErrorCode.INVALID_COOKIE_PATH),
    ]


def test_text_is_trimmed_and_a_missing_path_is_the_root():
    created = services.create_cookie(
        actor=SYSTEM,
        values=services.CookieValues(
            name=" _pk_id ",
            provider=" Matomo ",
            category=CookieCategory.NECESSARY,
            description="Tells visits apart",
            lifetime_days=0,
            domain=" numeri.no ",
            path=" ",
        ),
    )

    created.refresh_from_db()
    assert (created.name, created.provider, created.domain, created.path) == (
        "_pk_id",
        "Matomo",
        "numeri.no",
        "/",
    )


def test_an_update_sets_only_its_changes_over_the_row_as_it_is_now():
    # given a cookie read by one caller, then changed by another
    saved = cookie("_pk_id", CookieCategory.NECESSARY, days=1)
    stale = Cookie.objects.get(pk=saved.pk)
    services.update_cookie(actor=SYSTEM, cookie=saved, changes={"provider": "Matomo"})

    # when the first caller changes the lifetime from its stale copy
    services.update_cookie(actor=SYSTEM, cookie=stale, changes={"lifetime_days": 30})

    # then the other caller's change stays
    saved.refresh_from_db()
    assert (saved.provider, saved.lifetime_days) == ("Matomo", 30)


def test_an_update_is_checked_as_a_whole():
    # given a necessary cookie / when it becomes a statistics cookie without a purpose
    saved = cookie("_pk_id", CookieCategory.NECESSARY)

    with pytest.raises(DomainError) as caught:
        services.update_cookie(
            actor=SYSTEM, cookie=saved, changes={"category": CookieCategory.STATISTICS}
        )

    # then the rule across fields refuses it and nothing changes
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("purpose", WebsiteErrorCode.PURPOSE_NOT_CONSENT)
    ]
    saved.refresh_from_db()
    assert saved.category == CookieCategory.NECESSARY


def test_an_unknown_field_in_an_update_is_refused():
    saved = cookie("_pk_id", CookieCategory.NECESSARY)

    with pytest.raises(DomainError) as caught:
        services.update_cookie(actor=SYSTEM, cookie=saved, changes={"secure": True})

    assert caught.value.code == WebsiteErrorCode.UNKNOWN_FIELD
