"""The public page /personvern serves the published versions of the notice (number, date,
SHA-256, the stored text), with links to the portal at the configured address; staff preview
the notice as the register generates it now."""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser

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
    # in both languages: each notice shows its own language's text
    update_activity(
        actor=SYSTEM,
        activity=activity,
        changes={"retention": "Seks uker.", "retention_en": "Six weeks."},
    )


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


# A register value that tries every way into the page: HTML, an event handler, links (a script
# URL, a lookalike, an autolink), Markdown emphasis and code, an entity, and block syntax.
HOSTILE_PURPOSE = (
    '<script>alert(1)</script> <img src=x onerror="alert(2)"> [Klikk](javascript:alert(3)) '
    "[Les mer](https://evil.example/) <https://evil.example/auto> **fet** _kursiv_ `kode` "
    "&amp; a\\b"
)
HOSTILE_NAME = "1. # - Rekruttering <b>"


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    @classmethod
    def of(cls, body: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
        parser = cls()
        parser.feed(body)
        return parser.found


def notice_text(body: str) -> str:
    """What a reader sees: the page without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_a_hostile_register_value_is_published_as_the_text_it_is():
    # given an activity whose name and purpose carry HTML, links and Markdown
    activity = ProcessingActivity.objects.get(name=content.RECRUITMENT)
    update_activity(
        actor=SYSTEM, activity=activity, changes={"name": HOSTILE_NAME, "purpose": HOSTILE_PURPOSE}
    )

    # when the notice is published and read
    publish_privacy_notice(actor=SYSTEM)
    body = page()

    # then no markup from the register reaches the page ...
    elements = Elements.of(body)
    assert not [attr for _tag, attrs in elements for attr, _value in attrs if attr.startswith("on")]
    assert ("img", [("src", "x")]) not in [(tag, attrs[:1]) for tag, attrs in elements]
    hrefs = [value or "" for _tag, attrs in elements for attr, value in attrs if attr == "href"]
    assert not [href for href in hrefs if "evil.example" in href or "javascript" in href]
    for markup in ("<script>alert", "<strong>fet</strong>", "<em>kursiv</em>", "<code>kode"):
        assert markup not in body
    assert "<ol" not in body and "<h1>Rekruttering" not in body and "<b>" not in body
    # ... and the reader sees the values exactly as the register holds them
    assert HOSTILE_PURPOSE in notice_text(body)
    assert f"{HOSTILE_NAME}\n" in notice_text(body)


def test_stored_markdown_that_carries_html_or_script_links_renders_none_of_it():
    # given a stored text edited by hand to carry markup the renderer never writes
    text = (
        '<p onclick="alert(1)">x</p>\n\n<https://example.no/a> <javascript:alert(2)> '
        "[x](JAVASCRIPT:alert(3)) [y](data:text/html;base64,PHNjcmlwdD4=) "
        '![pixel](https://tracker.example/p.gif) [z](https://example.no "t" onclick=alert(4))\n'
    )

    # when it becomes the page's HTML
    result = markdown_to_html(text)

    # then no element carries a handler and no link leaves the allowed schemes
    assert "<p onclick" not in result and "<img" not in result
    assert re.findall(r'href="([^"]*)"', result) == ["https://example.no/a"]
    assert not re.search(r"<[a-z]+ [^>]*on[a-z]+=", result)
