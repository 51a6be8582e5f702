"""The access report and package, read against Art. 15: whether automated decision-making
is used (from the record of processing), the IP log entries linked to the person, and data
categories named from one catalogue in the person's language."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from personvern.processing.models import DataCategory
from personvern.website.models import IpLogEntry
from tests.factories import PersonFactory
from tests.rights.conftest import link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db


def _package(portal, smtp, lang: str = "nb"):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access", lang=lang)
    archive = download(portal, link_in(smtp.body(smtp.last_to("kari@example.com"))))
    return archive, archive.read("report.html").decode()


def test_the_report_says_no_automated_decisions_when_none_is_recorded(portal, smtp, kari):
    _archive, report = _package(portal, smtp, lang="en")
    assert "Automated decision-making" in report
    assert "We take no decisions about you based solely on automated processing" in report


def test_the_report_names_automated_decision_making_from_the_record(portal, smtp, kari, activities):
    # given an activity covering Kari that decides automatically, with its logic recorded
    customer = activities["customer"]
    customer.automated_decision_making = True
    customer.automated_decision_logic = "Kredittvurdering ut fra betalingshistorikk."
    customer.subject_categories = [kari.category]
    customer.save()
    # when she asks for access
    _archive, report = _package(portal, smtp)
    # then the report says automated decisions are taken, by which activity and how
    assert "Vi treffer avgjørelser om deg som utelukkende bygger på automatisert" in report
    assert "Kredittvurdering ut fra betalingshistorikk." in report


def test_the_package_holds_the_ip_log_entries_linked_to_the_person(portal, smtp, kari, ola):
    # given log entries linked to Kari, one to Ola and one linked to no one
    now = timezone.now()
    common = {"method": "POST", "status": 200, "source": "personvern", "at": now}
    IpLogEntry.objects.create(ip_address="198.51.100.7", path="/portal/", person=kari, **common)
    IpLogEntry.objects.create(ip_address="198.51.100.8", path="/portal/", person=ola, **common)
    IpLogEntry.objects.create(ip_address="198.51.100.9", path="/other/", **common)
    # when Kari asks for access
    archive, report = _package(portal, smtp)
    # then her package has her entries, in data.json, a CSV and the report, and no one else's
    data = json.loads(archive.read("data.json"))
    linked = data["sources"]["register"]["kinds"]["ip_log_entries"]["records"]
    assert [entry["ip_address"] for entry in linked if entry["path"] == "/portal/"][:1] == [
        "198.51.100.7"
    ]
    assert all(entry["ip_address"] != "198.51.100.8" for entry in linked)
    csv = archive.read("csv/register/ip_log_entries.csv").decode()
    assert "198.51.100.7" in csv and "198.51.100.8" not in csv and "198.51.100.9" not in csv
    assert "IP-sikkerhetsloggen" in report


def test_data_categories_are_named_in_the_persons_language(portal, smtp, kari, activities):
    # given the customer activity names e-mail addresses (stored with fideslang's English name)
    customer = activities["customer"]
    customer.subject_categories = [kari.category]
    customer.save()
    customer.data_categories.add(DataCategory.objects.get(key="user.contact.email"))
    # when she asks for access in bokmål, the category is bokmål; in English, English
    _archive, report = _package(portal, smtp)
    assert "e-postadresse" in report and "User Contact Email" not in report
    PersonFactory()  # a second request must not match anyone else
    _archive, report = _package(portal, smtp, lang="en")
    assert "e-mail address" in report and "e-postadresse" not in report


def test_the_report_shows_the_activitys_texts_in_the_persons_language_or_flagged(
    portal, smtp, kari, activities
):
    # given an activity covering Kari with an English purpose, and one with bokmål only
    customer = activities["customer"]
    customer.subject_categories = [kari.category]
    customer.purpose_nb = "Håndtere kundeforholdet."
    customer.purpose_en = "Manage the customer relationship."
    customer.retention_nb = "Tre år etter siste kontakt."
    customer.retention_en = None
    customer.save()
    # when she asks for access in English
    _archive, report = _package(portal, smtp, lang="en")
    # then the English text is shown, and the bokmål-only text is flagged
    assert "Manage the customer relationship." in report
    assert "Håndtere kundeforholdet." not in report
    assert "Tre år etter siste kontakt. [only in Norwegian]" in report


def test_the_portal_names_consent_purposes_in_the_visitors_language(client, activities):
    # given the newsletter (consent) with an English name, and a second purpose in bokmål only
    newsletter = activities["newsletter"]
    newsletter.name_nb, newsletter.name_en = "Nyhetsbrev", "Newsletter"
    newsletter.save()
    survey = activities["sales"]
    survey.legal_basis = "consent"
    survey.name_nb, survey.name_en = "Kundeundersøkelser", None
    survey.save()
    # when the portal is read in English, the English name shows, the other is flagged
    page = client.get("/portal/?lang=en").content.decode()
    assert "Newsletter" in page and "Nyhetsbrev" not in page
    assert "Kundeundersøkelser [only in Norwegian]" in page
    # and in bokmål, the bokmål names
    page = client.get("/portal/?lang=nb").content.decode()
    assert (
        "Nyhetsbrev" in page
        and "Kundeundersøkelser" in page
        and "[" not in page.split("Kundeundersøkelser", 1)[1][:3]
    )
