"""The privacy notice generated from the register, section by section, for the demo
organisation; it follows the register when an activity changes; versions are published
immutably and compared for staff."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from personvern.consent.choices import TextKind
from personvern.consent.models import ConsentText
from personvern.demo import content
from personvern.processing.choices import ActivityStatus, TransferMechanism
from personvern.processing.models import ProcessingActivity, Processor
from personvern.processing.services import update_activity
from personvern.website.choices import PRIVACY_NOTICE_SLUG
from personvern.website.models import Cookie
from personvern.website.notice.labels import LEGAL_BASIS_NB
from personvern.website.notice.render import html_to_markdown, render_notice
from personvern.website.services import publish_privacy_notice
from tests.demo.conftest import demo_output, loaded_demo  # noqa: F401 - the demo, once a module
from tests.website.conftest import SYSTEM

pytestmark = pytest.mark.usefixtures("demo_output")


def notice(language: str = "nb") -> str:
    return render_notice(language=language, fmt="md")


def section(text: str, heading: str) -> str:
    """The text of one ``## heading`` section."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, heading
    return match.group(1)


def test_controller_contact_and_responsible_role():
    part = section(notice(), "Behandlingsansvarlig og kontakt")

    assert "Numeri AS, org.nr. 934 567 897" in part
    assert "Daglig leder" in part
    assert "post@numeri.no" in part
    # the controller is named consistently: no stray template names from the old notice
    for stray in ("SuperOffice", "Aider", "Aktiva Solsiden", "Numeri Regnskap AS"):
        assert stray not in notice()


@pytest.mark.parametrize("name", [spec.name for spec in content.ACTIVITIES])
def test_each_active_activity_with_purpose_basis_categories_sources_and_retention(name):
    activity = ProcessingActivity.objects.get(name=name)
    part = notice().split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]

    assert f"Formål: {activity.purpose}" in part
    assert f"Rettslig grunnlag: {LEGAL_BASIS_NB[activity.legal_basis]}" in part
    assert activity.legal_basis_detail in part
    assert f"Hvor opplysningene kommer fra: {activity.sources}" in part
    assert f"Mottakere: {activity.recipients}" in part
    assert f"Lagringstid: {activity.retention}" in part
    assert "Personopplysninger: " in part and "user." not in part
    for rule in activity.retention_rules.filter(active=True):
        assert rule.name in part


def test_processors_with_their_transfer_mechanisms():
    part = section(notice(), "Databehandlere og overføring til land utenfor EØS")

    assert "**Google LLC** (USA)" in part
    assert "EU-US Data Privacy Framework" in part
    assert "Privacy Shield" not in notice()
    assert "**Regnskapssystemet Demo AS** (Norge)" in part
    assert "Innenfor EØS" in part
    assert "databehandleravtale" in part.lower()


def test_privacy_shield_is_never_presented_as_valid():
    # given a processor still recorded on Privacy Shield
    Processor.objects.filter(name=content.GOOGLE).update(
        transfer_mechanism=TransferMechanism.PRIVACY_SHIELD
    )

    nb, en = notice("nb"), notice("en")

    assert "Ikke gyldig: EU-US Privacy Shield ble kjent ugyldig 16. juli 2020" in nb
    assert "Not valid: the EU-US Privacy Shield was invalidated on 16 July 2020" in en


def test_cookies_with_lifetimes_and_scope():
    part = section(notice(), "Informasjonskapsler")

    assert "høyst 30 dager" in part
    row = "| _ga | Google LLC (Google Analytics) | For å identifisere en bruker. | Statistikk |"
    assert f"{row} 30 dager | numeri.no/ |" in part
    assert "| _gid |" in part and "| 1 dag |" in part
    assert "| _gat |" in part and "under ett døgn" in part
    assert "Global Privacy Control" in part


def test_a_cookie_past_the_limit_withdraws_the_promise_of_the_limit():
    Cookie.objects.filter(name="_ga").update(lifetime_days=730)

    part = section(notice(), "Informasjonskapsler")

    assert "høyst 30 dager" not in part and "730 dager" in part


def test_ip_log_promises():
    part = section(notice(), "IP-adresser og sikkerhetslogg")

    assert "slettes etter 90 dager" in part
    assert "knyttes til en person bare når personen selv sender oss personopplysninger" in part
    assert "maskerte adresser" in part
    assert "så lenge det er nødvendig for å forhindre nye brudd" in part


def test_rights_free_of_charge_within_the_deadline_with_the_portal():
    part = section(notice(), "Dine rettigheter")

    for right in (
        "innsyn",
        "retting",
        "sletting",
        "trekke tilbake samtykke",
        "dataportabilitet",
        "direkte til en annen behandlingsansvarlig",
        "begrensning",
        "protestere",
    ):
        assert right in part, right
    assert "Det koster ingenting" in part
    assert "senest innen 30 dager" in part
    assert "[/portal/](/portal/)" in part


def test_supervisory_authority_contact_and_right_to_complain():
    part = section(notice(), "Tilsynsmyndighet og klage")

    assert "rett til å klage til Datatilsynet" in part
    assert "https://www.datatilsynet.no" in part
    assert "postkasse@datatilsynet.no" in part
    assert "+47 22 39 69 00" in part
    assert "Postboks 8177 Dep., 0034 Oslo" in part


def test_security_measures_include_encryption_and_the_industry_norm():
    part = section(notice(), "Sikkerhet")

    assert "kryptert (HTTPS)" in part
    assert "bransjenormen fra Regnskap Norge" in part


def test_english_notice_carries_the_same_sections():
    text = notice("en")

    for heading in (
        "Controller and contact",
        "Processors and transfers outside the EEA",
        "Cookies",
        "IP addresses and the security log",
        "Your rights",
        "Supervisory authority and complaints",
    ):
        assert f"## {heading}" in text
    assert "Consent (Art. 6(1)(a))" in text
    assert "within 30 days" in text


def test_changing_an_activity_changes_the_notice():
    activity = ProcessingActivity.objects.get(name=content.RECRUITMENT)
    before = notice()

    update_activity(
        actor=SYSTEM,
        activity=activity,
        changes={"retention": "Slettes tre måneder etter avgjørelsen."},
    )

    after = notice()
    assert after != before
    assert "Lagringstid: Slettes tre måneder etter avgjørelsen." in after


def test_a_retired_activity_leaves_the_notice():
    ProcessingActivity.objects.filter(name=content.RECRUITMENT).update(
        status=ActivityStatus.RETIRED
    )

    assert f"### {content.RECRUITMENT}" not in notice()


def test_the_public_page_in_both_languages():
    nb = Client().get("/personvern")
    en = Client().get("/personvern?lang=en")

    assert nb.status_code == 200 and '<html lang="nb">' in nb.content.decode()
    assert "<h1>Personvernerklæring for Numeri AS</h1>" in nb.content.decode()
    assert "<h1>Privacy notice of Numeri AS</h1>" in en.content.decode()
    assert 'href="http://testserver/portal/"' in nb.content.decode()


def test_the_render_command():
    out = StringIO()
    call_command("notice", "render", "--lang", "en", "--format", "html", stdout=out)

    assert out.getvalue().startswith("<h1>Privacy notice of Numeri AS</h1>")


def test_publishing_stores_versions_immutably_and_skips_unchanged_text():
    # given the demo published version 1
    first = ConsentText.objects.filter(kind=TextKind.PRIVACY_NOTICE, slug=PRIVACY_NOTICE_SLUG)
    assert sorted(first.values_list("language", "version")) == [("en", 1), ("nb", 1)]

    # when nothing changed, publishing stores nothing
    assert publish_privacy_notice(actor=SYSTEM) == []

    # when an activity changes, a new version per language is stored with its hash
    activity = ProcessingActivity.objects.get(name=content.RECRUITMENT)
    update_activity(actor=SYSTEM, activity=activity, changes={"retention": "Seks uker."})
    published = publish_privacy_notice(actor=SYSTEM)
    assert [(t.language, t.version) for t in published] == [("nb", 2), ("en", 2)]
    assert "Lagringstid: Seks uker." in published[0].text
    assert len(published[0].sha256) == 64


def test_staff_see_a_diff_between_versions(privacy_officer):
    activity = ProcessingActivity.objects.get(name=content.RECRUITMENT)
    update_activity(actor=SYSTEM, activity=activity, changes={"retention": "Seks uker."})
    new = publish_privacy_notice(actor=SYSTEM)[0]
    client = Client()
    client.force_login(privacy_officer)

    page = client.get(f"/admin/website/publishednotice/{new.pk}/diff/").content.decode()

    assert "Seks" in page and "diff_chg" in page
    listing = client.get("/admin/website/publishednotice/").content.decode()
    assert f"/admin/website/publishednotice/{new.pk}/diff/" in listing
    preview = client.get("/admin/website/publishednotice/publish/?lang=nb")
    assert preview.status_code == 200


def test_markdown_conversion_keeps_lists_links_and_tables():
    html = (
        "<h2>A</h2><p>x <a href='/p'>link</a></p><ul><li>one</li><li><strong>two</strong>"
        "</li></ul><table><tr><th>N</th></tr><tr><td>a|b</td></tr></table>"
    )

    assert html_to_markdown(html) == (
        "## A\n\nx [link](/p)\n\n- one\n- **two**\n\n| N |\n| --- |\n| a\\|b |\n"
    )
