"""The privacy notice generated from the register, section by section, for the demo
organisation; it follows the register when an activity changes; versions are published
immutably and compared for staff."""

from __future__ import annotations

import datetime
import ipaddress
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from personvern.accounts.choices import Role
from personvern.accounts.roles import ROLE_PERMISSIONS
from personvern.consent.choices import TextKind
from personvern.consent.models import ConsentText
from personvern.core.config import portal_url as configured_base_url
from personvern.demo import content
from personvern.organisation.roles import role_name
from personvern.processing.choices import ActivityStatus, LegalBasis, TransferMechanism
from personvern.processing.models import ProcessingActivity, Processor
from personvern.processing.services import update_activity
from personvern.website.choices import PRIVACY_NOTICE_SLUG
from personvern.website.models import Cookie
from personvern.website.notice import builder
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
    with translation.override("nb"):
        basis = str(LegalBasis(activity.legal_basis).label)
    assert f"Rettslig grunnlag: {basis}" in part
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
    row = "| _ga | Google LLC (Google Analytics) | Skiller besøkende fra hverandre"
    assert row in part and "| Statistikk | 30 dager | numeri.no/ |" in part
    # GA4's cookies: _ga and _ga_<container-id>; _gid and _gat were Universal Analytics'
    assert "| _ga\\_\\* |" in part  # _ga_* (markdown-escaped), for _ga_<container-id>
    assert "_gid" not in part and "_gat" not in part
    # the 30 days hold because GA's own expiry setting is set, and the notice says so
    assert "cookie_expires) til 30 dager" in part and "i to år" in part
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
    portal = f"{configured_base_url()}/portal/"
    assert f"[{portal}]({portal})" in part


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
    assert f'href="{configured_base_url()}/portal/"' in nb.content.decode()


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

    # when an activity changes (in each language), a new version per language is stored
    activity = ProcessingActivity.objects.get(name=content.RECRUITMENT)
    update_activity(
        actor=SYSTEM,
        activity=activity,
        changes={"retention": "Seks uker.", "retention_en": "Six weeks."},
    )
    published = publish_privacy_notice(actor=SYSTEM)
    assert [(t.language, t.version) for t in published] == [("nb", 2), ("en", 2)]
    assert "Retention: Six weeks." in published[1].text
    assert "Lagringstid: Seks uker." in published[0].text
    assert len(published[0].sha256) == 64


def test_staff_see_a_diff_between_versions(privacy_officer):
    activity = ProcessingActivity.objects.get(name=content.RECRUITMENT)
    update_activity(actor=SYSTEM, activity=activity, changes={"retention": "Seks uker."})
    new = publish_privacy_notice(actor=SYSTEM)[0]
    client = Client()
    client.force_login(privacy_officer)

    page = client.get(f"/admin/website/publishednotice/{new.pk}/diff/").content.decode()

    assert "Seks" in page and re.search(r"class=\"diff_(chg|add|sub)\"", page)
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


def activity_part(text: str, name: str) -> str:
    """The list of one activity (``### name`` and its items)."""
    return text.split(f"### {name}\n\n", 1)[1].split("\n\n", 1)[0]


def test_who_reads_the_ip_log_is_stated_the_same_everywhere():
    text = notice()

    # the IP log section, the security measures and the activity's recipients agree
    assert "Bare personvernansvarlig og sikkerhetsansvarlig kan lese den." in section(
        text, "IP-adresser og sikkerhetslogg"
    )
    assert "loggen kan bare leses av personvernansvarlig og sikkerhetsansvarlig" in section(
        text, "Sikkerhet"
    )
    recipients = "Mottakere: Personvernansvarlig og sikkerhetsansvarlig (teknisk ansvarlig)"
    assert recipients in activity_part(text, content.SECURITY_LOG)
    assert "bare tilgjengelig for teknisk ansvarlig" not in text


def test_the_roles_that_read_the_ip_log_are_the_ones_the_notice_names():
    readers = {
        role for role, perms in ROLE_PERMISSIONS.items() if ("website", "view_iplogentry") in perms
    }

    assert readers == {Role.PRIVACY_OFFICER, Role.SECURITY}


def test_navigation_data_and_its_uses_come_from_the_register():
    text = notice()
    statistics = activity_part(text, content.WEB_STATISTICS)
    security = activity_part(text, content.SECURITY_LOG)

    # what the browser and the visit tell, and what it is used for, per activity
    for item in ("nettlesertype", "nettleserspråk", "operativsystem", "refererende side"):
        assert item in statistics, item
    assert "ISP-domene" in statistics
    assert "forretnings- og markedsføringsinformasjon" in statistics
    assert "oppdage og forebygge sikkerhetstrusler og misbruk" in security
    assert "IP-adresse og aktivitet på nettstedet kan sammenlignes" in security
    # the device data category, named in bokmål
    for part in (statistics, security):
        assert "opplysninger om enheten og nettleseren" in part
        assert "Device Data" not in part


def test_where_data_comes_from_and_who_may_contact_us():
    text = notice()

    assert "sosiale medier og nettstedet vårt" in activity_part(text, content.CUSTOMER_RELATIONSHIP)
    assert "sosiale nettverk" in activity_part(text, content.SALES_AND_MARKETING)
    assert "videreselger" in activity_part(text, content.CONTRACT_FULFILMENT)
    assert "andre som tar kontakt med oss" in activity_part(text, content.CUSTOMER_SERVICE)


def test_cookies_can_be_controlled_and_blocked_in_the_browser():
    nb = section(notice(), "Informasjonskapsler")
    en = section(notice("en"), "Cookies")

    assert "i innstillingene i nettleseren din" in nb and "blokkere" in nb
    assert "in your browser's settings" in en and "block" in en


def test_ip_masking_is_stated_for_ipv4_and_ipv6():
    nb = section(notice(), "IP-adresser og sikkerhetslogg")
    en = section(notice("en"), "IP addresses and the security log")

    assert "av en IPv4-adresse beholdes bare de første 24 bitene (/24)" in nb
    assert "av en IPv6-adresse de første 48 bitene (/48)" in nb
    assert "the first 48 bits of an IPv6 address (/48)" in en


def test_the_masking_stated_is_the_masking_done(monkeypatch):
    # given masking that keeps less than today's /24 and /48
    def coarser(address: str | None) -> str:
        ip = ipaddress.ip_address(address or "")
        prefix = 16 if ip.version == 4 else 32
        return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)

    monkeypatch.setattr(builder, "mask_ip", coarser)

    part = section(notice(), "IP-adresser og sikkerhetslogg")
    assert "de første 16 bitene (/16)" in part and "de første 32 bitene (/32)" in part


def test_data_may_be_kept_while_a_request_claim_or_complaint_is_handled():
    nb, en = notice(), notice("en")

    assert (
        "så lenge vi trenger dem for å svare på en forespørsel fra deg, løse et problem eller "
        "behandle et rettskrav eller en klage"
    ) in nb
    assert "sperres opplysningene mot sletting" in nb
    assert "handle a legal claim or a complaint" in en


def test_customers_can_update_their_profile_in_the_portal():
    part = section(notice(), "Dine rettigheter")

    assert "kan du selv oppdatere profilen din i selvbetjeningsportalen" in part
    # the portal has the self-service profile the notice promises
    assert reverse("rights_portal:profile") == "/portal/profile/"


def test_sub_processors_are_bound_like_processors():
    part = section(notice(), "Databehandlere og overføring til land utenfor EØS")

    assert "Det samme gjelder underdatabehandlere" in part


def test_the_responsible_role_is_named_in_the_notices_language():
    nb = section(notice(), "Behandlingsansvarlig og kontakt")
    en = section(notice("en"), "Controller and contact")

    assert "personopplysninger: Daglig leder\n" in nb and "managing director" not in nb.lower()
    assert "personal data: Managing director\n" in en and "Daglig leder" not in en


@pytest.mark.parametrize(
    ("recorded", "language", "shown"),
    [
        ("Daglig leder", "nb", "Daglig leder"),
        ("Daglig leder", "en", "Managing director"),
        ("managing director", "nb", "Daglig leder"),
        ("Daglig leder (managing director)", "nb", "Daglig leder"),
        ("Daglig leder (managing director)", "en", "Managing director"),
        ("Personvernombud", "en", "Data protection officer"),
        # unknown roles, or two different roles, stay as recorded
        ("Økonomisjef", "en", "Økonomisjef"),
        ("Daglig leder (styreleder)", "en", "Daglig leder (styreleder)"),
    ],
)
def test_role_names_in_either_language(recorded, language, shown):
    assert role_name(recorded, language) == shown


def test_the_notice_says_every_processor_has_an_agreement_only_when_each_has_one_in_force():
    part = section(notice(), "Databehandlere og overføring til land utenfor EØS")
    assert "Vi har inngått databehandleravtale med hver av dem" in part

    # when Google's agreement has ended (the other processor's is still in force)
    google = Processor.objects.get(name=content.GOOGLE)
    google.agreements.update(expires_on=datetime.date(2020, 1, 1))

    part = section(notice(), "Databehandlere og overføring til land utenfor EØS")
    assert "med hver av dem" not in part
    assert part.count("Databehandleravtale er inngått.") == 1
    english = notice("en")
    assert "We have a data processing agreement with each of them" not in english
