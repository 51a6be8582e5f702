"""Google Analytics 4 behind the banner (issue 13): GA's own cookie expiry set to the
organisation's limit, cookies declared by pattern cleared on withdrawal, and no mention of
marketing when the register has no marketing cookie. The browser test
(test_banner_browser.py) runs the same script in Chromium."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from personvern.website.choices import CookieCategory
from tests.factories import OrganisationFactory
from tests.website.conftest import cookie

pytestmark = pytest.mark.django_db


def banner_config(script: str) -> dict[str, Any]:
    found = re.search(r"window\.PERSONVERN_BANNER = (\{.*?\});\n", script)
    assert found
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def test_the_banner_sets_gas_cookie_expiry_to_the_organisations_limit(statistics_purpose):
    # given an organisation promising at most 30 days and GA4's cookies in the register
    OrganisationFactory(cookie_lifetime_limit_days=30)
    cookie("_ga", CookieCategory.STATISTICS, statistics_purpose)
    cookie("_ga_*", CookieCategory.STATISTICS, statistics_purpose)

    # when the banner script is served
    script = Client().get("/website/banner.js").content.decode()

    # then GA's cookie_expires is set, in seconds, before any GA script runs
    config = banner_config(script)
    assert config["analyticsCookieSeconds"] == 30 * 24 * 60 * 60
    assert 'window.gtag("set", { cookie_expires: cfg.analyticsCookieSeconds })' in script
    # and the pattern is kept for the banner to clear _ga_<container-id> on withdrawal
    names = [c["name"] for c in config["categories"]["statistics"]]
    assert names == ["_ga", "_ga_*"]
    assert "cookieMatcher(c.name)" in script
    # and with no marketing cookie registered, the register offers no marketing category
    assert "marketing" not in config["categories"]
