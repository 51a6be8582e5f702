"""The public page /personvern serves the published versions of the notice (number, date,
SHA-256, the stored text), with links to the portal at the configured address; staff preview
the notice as the register generates it now."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from personvern.core.config import portal_url as configured_base_url
from personvern.demo import content
from personvern.processing.models import ProcessingActivity
from personvern.processing.services import update_activity
from personvern.website.notice.render import html_to_markdown, markdown_to_html
from personvern.website.services import publish_privacy_notice
from personvern.website.services.notice import published_notice
from tests.demo.conftest import demo_output, loaded_demo  # noqa: F401 - the demo, once a module
from tests.website.conftest import SYSTEM

pytestmark = pytest.mark.usefixtures("demo_output")


def latest(language: str = "nb"):
    version = published_notice(language=language)
    assert version is not None
    return version


def page(path: str = "/personvern", client: Client | None = None) -> str:
    response = (client or Client()).get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def change_the_register() -> None:
    activity = ProcessingActivity.objects.get(name=content.RECRUITMENT)
    update_activity(actor=SYSTEM, activity=activity, changes={"retention": "Seks uker."})


def test_the_page_shows_the_latest_published_version_with_number_date_and_hash():
    version = latest("en")

    body = page("/personvern?lang=en")

    with translation.override("en"):
        published = date_format(version.created_at, "DATE_FORMAT")
    assert f"Version {version.version}, published {published}." in body
    assert f"<code>{version.sha256}</code>" in body
    assert "<h1>Privacy notice of Numeri AS</h1>" in body


def test_the_page_is_the_published_text_not_what_the_register_says_now():
    # given the register changed after the demo published version 1
    change_the_register()

    # then visitors still read version 1
    before = page()
    assert "Seks uker." not in before and latest().sha256 in before

    # when a new version is published, visitors read it
    nb, _en = publish_privacy_notice(actor=SYSTEM)
    after = page()
    assert "Seks uker." in after and f"<code>{nb.sha256}</code>" in after


def test_the_stored_text_is_served_as_is_so_anyone_can_check_its_hash():
    version = latest()

    response = Client().get(f"/personvern?lang=nb&version={version.version}&format=md")

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert hashlib.sha256(response.content).hexdigest() == version.sha256
    assert f"version={version.version}&amp;format=md" in page()


def test_an_earlier_version_is_shown_as_not_current():
    change_the_register()
    publish_privacy_notice(actor=SYSTEM)

    body = page("/personvern?lang=en&version=1")

    assert "This is version 1, not the current version of the notice." in body
    assert "Read the current version (2)" in body
    assert "Seks uker." not in body
    assert Client().get("/personvern?version=99").status_code == 404
    assert Client().get("/personvern?version=x").status_code == 404


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_published_version_reads_as_the_notice_it_was_published_from(language):
    text = latest(language).text

    assert html_to_markdown(markdown_to_html(text)) == text


def test_the_demo_publishes_with_absolute_portal_links():
    portal = f"{configured_base_url()}/portal/"

    for language in ("nb", "en"):
        assert f"[{portal}]({portal})" in latest(language).text
    assert f'<a href="{portal}">' in page()


def test_published_versions_link_to_the_portal_at_the_configured_address(settings):
    # given the installation's public address
    settings.PERSONVERN = {**settings.PERSONVERN, "PORTAL_URL": "https://personvern.numeri.no/"}

    # when the notice is published, both languages link there
    published = publish_privacy_notice(actor=SYSTEM)

    assert [t.language for t in published] == ["nb", "en"]
    for text in published:
        assert "(https://personvern.numeri.no/portal/)" in text.text
        assert "](/portal/)" not in text.text


def test_staff_preview_the_notice_as_the_register_generates_it_now(privacy_officer):
    change_the_register()
    client = Client()
    client.force_login(privacy_officer)

    response = client.get("/personvern?preview=1")

    body = response.content.decode()
    assert 'id="notice-preview"' in body and "Seks uker." in body
    assert "no-store" in response["Cache-Control"]
    assert "version=" not in body  # a preview has no version to point at
    # the published page offers staff the preview
    assert "preview=1" in page(client=client)


def test_visitors_asking_for_the_preview_get_the_published_version():
    change_the_register()

    body = page("/personvern?preview=1")

    assert 'id="notice-preview"' not in body and "Seks uker." not in body
    assert latest().sha256 in body
