"""The banner's public endpoint: every decision, refusals included, lands in the consent
ledger against the anonymous visitor id and the cookie policy version."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from personvern.consent.choices import ConsentAction, ConsentMethod
from personvern.consent.models import ConsentEvent
from personvern.website.choices import CookieCategory
from personvern.website.models import CookiePolicyVersion
from personvern.website.services import publish_cookie_policy
from tests.api.conftest import assert_problem
from tests.website.conftest import SYSTEM, cookie

pytestmark = pytest.mark.django_db
URL = "/api/website/public/banner-decisions"
VISITOR = "3f2b8c1e-9d4a-4b7e-8f00-1234567890ab"


def decide(headers=None, **body):
    payload = {"visitor_id": VISITOR, "policy_version": 1, "language": "nb", **body}
    return Client().post(
        URL,
        payload,
        content_type="application/json",
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT="Mozilla/5.0 test",
        headers=headers,
    )


def ledger() -> list[tuple[str, str]]:
    return list(
        ConsentEvent.objects.filter(visitor_id=VISITOR)
        .order_by("sequence")
        .values_list("purpose__name", "action")
    )


def test_reject_all_is_recorded_as_refusals(policy):
    # when a visitor rejects everything, without signing in
    response = decide(accepted=["necessary"], rejected=["statistics", "marketing"])

    # then each consent-based purpose has a refusal pointing at the policy version shown
    assert response.status_code == 201, response.content
    assert sorted(ledger()) == [("Retargeting", "refused"), ("Web statistics", "refused")]
    event = ConsentEvent.objects.filter(visitor_id=VISITOR).first()
    assert event.method == ConsentMethod.COOKIE_BANNER
    assert event.text == policy[0] and event.text.version == 1
    assert event.actor_label == "system:website"
    assert event.evidence["masked_ip"] == "198.51.100.0"
    assert event.person_id is None


def test_accepting_statistics_then_unticking_it_records_a_withdrawal(policy):
    decide(accepted=["necessary", "statistics"], rejected=["marketing"])
    decide(accepted=["necessary"], rejected=["statistics", "marketing"])

    statistics = [action for name, action in ledger() if name == "Web statistics"]
    assert statistics == [ConsentAction.GRANTED, ConsentAction.WITHDRAWN]


def test_global_privacy_control_refuses_marketing_even_if_accepted(policy):
    response = decide(accepted=["necessary", "statistics", "marketing"], rejected=[], gpc=True)

    assert dict(ledger()) == {"Web statistics": "granted", "Retargeting": "refused"}
    assert {e["action"] for e in response.json()["events"]} == {"granted", "refused"}
    assert ConsentEvent.objects.filter(visitor_id=VISITOR).first().evidence["form_id"] == (
        "cookie-banner:gpc"
    )


def test_the_browsers_sec_gpc_header_refuses_marketing_whatever_the_script_sent(policy):
    response = decide(
        accepted=["necessary", "statistics", "marketing"], rejected=[], headers={"Sec-GPC": "1"}
    )

    assert response.status_code == 201, response.content
    assert dict(ledger()) == {"Web statistics": "granted", "Retargeting": "refused"}


def test_the_english_banner_points_at_the_english_policy(policy):
    decide(language="en", accepted=["statistics"])

    assert ConsentEvent.objects.get(visitor_id=VISITOR).text == policy[1]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"visitor_id": "short"}, "visitor_id"),
        ({"visitor_id": "<script>alert(1)</script>-xxxxxxxx"}, "visitor_id"),
        ({"policy_version": 0}, "policy_version"),
        ({"language": "de"}, "language"),
        ({"accepted": ["tracking"]}, "accepted"),
        ({"accepted": ["statistics"], "rejected": ["statistics"]}, "rejected"),
        ({"rejected": ["necessary"]}, "rejected"),
        ({"policy_version": 7}, "policy_version"),
        ({"email": "kari@example.com"}, "email"),
    ],
)
def test_bad_decisions_are_refused_naming_the_field(policy, body, field):
    response = decide(**body)

    problem = assert_problem(response, 422)
    assert field in [e["field"] for e in problem["errors"]]
    assert not ConsentEvent.objects.filter(visitor_id__startswith="3f2b").exists()


def test_a_large_body_is_refused(policy):
    response = decide(accepted=["statistics"], rejected=[], padding="x" * 5000)

    assert response.status_code in (413, 422)
    assert not ledger()


@override_settings(PERSONVERN_WEBSITE={"BANNER_ORIGINS": ["https://www.numeri.no"]})
def test_the_firms_website_may_post_from_its_origin(policy):
    client = Client()

    preflight = client.options(URL, HTTP_ORIGIN="https://www.numeri.no")
    other = client.options(URL, HTTP_ORIGIN="https://evil.example")
    response = client.post(
        URL,
        {"visitor_id": VISITOR, "policy_version": 1, "accepted": ["statistics"]},
        content_type="application/json",
        HTTP_ORIGIN="https://www.numeri.no",
    )

    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://www.numeri.no"
    assert "Access-Control-Allow-Origin" not in other
    assert response["Access-Control-Allow-Origin"] == "https://www.numeri.no"


def test_a_flood_of_decisions_from_one_address_is_refused(policy, settings):
    settings.PERSONVERN = {**settings.PERSONVERN, "PUBLIC_REQUESTS_PER_MINUTE": 2}
    statuses = [decide(accepted=["statistics"]).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert decide(accepted=["statistics"])["Content-Type"] == "application/problem+json"


@pytest.fixture
def statistics_only_policy(statistics_purpose):
    """Version 1 of the policy, published when the site had statistics cookies only."""
    cookie("cc_cookie", CookieCategory.NECESSARY)
    cookie("_ga", CookieCategory.STATISTICS, statistics_purpose)
    return publish_cookie_policy(actor=SYSTEM)


def test_a_category_the_named_version_did_not_have_is_refused(
    statistics_only_policy, marketing_purpose
):
    # given version 1 without marketing, and a marketing cookie registered since (not published)
    cookie("_fbp", CookieCategory.MARKETING, marketing_purpose)
    # when a decision against version 1 grants marketing, or refuses it
    granted = decide(accepted=["necessary", "statistics", "marketing"])
    refused = decide(accepted=["necessary"], rejected=["statistics", "marketing"])
    # then both are refused naming the field, and nothing is in the ledger
    assert_problem(granted, 422, field="accepted", code="category_not_in_policy")
    assert_problem(refused, 422, field="rejected", code="category_not_in_policy")
    assert not ledger()
    # while what version 1 did offer is recorded
    assert decide(accepted=["necessary", "statistics"]).status_code == 201
    assert ledger() == [("Web statistics", "granted")]


def test_a_grant_against_a_superseded_version_asks_the_banner_to_ask_again(
    statistics_only_policy, marketing_purpose
):
    # given version 2, published after a marketing cookie was added
    cookie("_fbp", CookieCategory.MARKETING, marketing_purpose)
    publish_cookie_policy(actor=SYSTEM)
    # when a banner still showing version 1 sends a consent
    response = decide(
        policy_version=1, accepted=["necessary", "statistics"], headers={"Accept-Language": "en"}
    )
    # then it is a 409 telling the banner to re-prompt, and nothing is recorded
    body = assert_problem(response, 409, field="policy_version", code="policy_superseded")
    assert "version 2" in body["title"]
    assert not ledger()
    # but a refusal against version 1 is honoured, pointing at the version shown
    refused = decide(policy_version=1, accepted=["necessary"], rejected=["statistics"])
    assert refused.status_code == 201, refused.content
    event = ConsentEvent.objects.get(visitor_id=VISITOR)
    assert (event.action, event.text.version) == ("refused", 1)
    # and the current version takes every category it offers
    current = decide(policy_version=2, accepted=["necessary", "statistics", "marketing"])
    assert current.status_code == 201, current.content


def test_gpc_from_an_older_banner_refuses_nothing_a_version_did_not_offer(
    statistics_only_policy,
):
    # an older banner script adds marketing to a GPC browser's refusals even without it
    response = decide(accepted=["necessary", "statistics"], rejected=["marketing"], gpc=True)
    assert response.status_code == 201, response.content
    assert ledger() == [("Web statistics", "granted")]


def test_a_version_published_before_categories_were_recorded_is_read_from_its_text(
    statistics_only_policy, marketing_purpose
):
    # given version 1 whose categories were not recorded when it was published
    CookiePolicyVersion.objects.all().delete()
    cookie("_fbp", CookieCategory.MARKETING, marketing_purpose)
    # then its own text, in either language, says it had no marketing
    for language in ("nb", "en"):
        response = decide(language=language, accepted=["necessary", "marketing"])
        assert_problem(response, 422, field="accepted", code="category_not_in_policy")
    assert decide(language="nb", accepted=["statistics"]).status_code == 201


def test_the_evidence_of_a_decision_keeps_no_zone_id(policy):
    response = Client().post(
        URL,
        {"visitor_id": VISITOR, "policy_version": 1, "accepted": ["statistics"]},
        content_type="application/json",
        REMOTE_ADDR="fe80::1%eth0",
    )
    assert response.status_code == 201, response.content
    assert ConsentEvent.objects.get(visitor_id=VISITOR).evidence["masked_ip"] == "fe80::"
