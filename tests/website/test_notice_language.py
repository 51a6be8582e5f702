"""The reader's language: `personvern notice render --lang en` on the demo data shows no
bokmål text from the organisation's own data unless it is flagged as a fallback; the sharing
section names disclosures the law requires as such; the notice's labels come from the
catalogue."""

from __future__ import annotations

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command

from personvern.core.translated import text_in
from personvern.processing.models import ProcessingActivity, Processor
from personvern.processing.services import update_activity
from personvern.retention.models import RetentionRule
from personvern.website.models import Cookie
from personvern.website.notice.render import render_notice
from tests.demo.conftest import demo_output, loaded_demo  # noqa: F401 - the demo, once a module
from tests.website.conftest import SYSTEM

pytestmark = pytest.mark.usefixtures("demo_output")

FLAG = "[only in Norwegian]"


def rendered(language: str = "en") -> str:
    out = StringIO()
    call_command("notice", "render", "--lang", language, stdout=out)
    # Markdown escapes the flag's brackets; the reader sees them plain.
    return re.sub(r"\\([\[\]])", r"\1", html.unescape(out.getvalue()))


def organisation_texts() -> list[str]:
    """Every bokmål text the organisation wrote that the notice may show."""
    texts = []
    for activity in ProcessingActivity.objects.all():
        for name in (
            "name",
            "purpose",
            "description",
            "legal_basis_detail",
            "sources",
            "recipients",
            "retention",
            "security_measures",
        ):
            texts.append(text_in(activity, name, "nb"))
    texts += [text_in(p, "services", "nb") for p in Processor.objects.all()]
    texts += [text_in(c, "description", "nb") for c in Cookie.objects.all()]
    texts += [text_in(r, "name", "nb") for r in RetentionRule.objects.all()]
    return [t for t in texts if len(t) > 3]


def unflagged(text: str, notice: str) -> bool:
    return any(
        not notice[m.end() :].startswith(f" {FLAG}") for m in re.finditer(re.escape(text), notice)
    )


def test_the_english_notice_of_the_demo_has_no_bokmal_from_the_organisations_data():
    notice = rendered("en")
    shown = [t for t in organisation_texts() if t in notice and unflagged(t, notice)]
    assert shown == [], "\n".join(shown)
    # and the labels are the catalogue's English ones
    assert "Consent (Art. 6(1)(a))" in notice and "Samtykke (art" not in notice
    assert "e-mail address" in notice and "e-postadresse" not in notice


def test_a_text_without_english_is_shown_in_bokmal_flagged():
    # given an activity whose English purpose is removed
    activity = ProcessingActivity.objects.get(name_nb="Kundeservice")
    update_activity(actor=SYSTEM, activity=activity, changes={"purpose_en": ""})
    activity.refresh_from_db()
    # then English readers get the bokmål purpose, flagged, and nothing unflagged
    notice = rendered("en")
    assert f"{activity.purpose_nb} {FLAG}" in notice
    assert not unflagged(activity.purpose_nb or "", notice)


def test_the_bokmal_notice_shows_bokmal_and_catalogue_labels():
    notice = rendered("nb")
    assert "Customer service" not in notice and "Kundeservice" in notice
    assert "e-postadresse" in notice and "User Contact Email" not in notice
    assert "Berettiget interesse (art. 6 nr. 1 bokstav f)" in notice


def test_the_sharing_section_names_disclosures_required_by_law():
    nb = render_notice(language="nb", fmt="md")
    # the old self-contradiction is gone: no "never without consent" next to the auditor
    assert "Vi deler, selger, leier eller bytter ikke opplysningene dine med tredjeparter" not in nb
    assert "utlevering som loven krever" in nb
    disclosures = nb.split("utlevering som loven krever:", 1)[1].split("\n\n", 2)[1]
    assert "revisor" in disclosures and "Skatteetaten" in disclosures
    assert "bokføringsloven § 13" in disclosures
    # and the activity lists the auditor as a disclosure required by law
    assert "Skatteetaten ved kontroll, som loven krever. (utlevering som loven krever)" in nb
    en = render_notice(language="en", fmt="md")
    assert "disclosure required by law" in en and "third parties without your consent" not in en


def test_the_notice_says_how_long_consent_evidence_is_kept_as_the_ledger_does():
    # the ledger is append-only: the notice must not promise that the record goes after a
    # period (the demo once said "kept for three years after")
    nb = render_notice(language="nb", fmt="md")
    assert "samtykkeloggen vår, som bare kan utvides" in nb
    assert "beholdes i tre år etter" not in nb
    en = render_notice(language="en", fmt="md")
    assert "it is not deleted when you withdraw" in en


def test_look_ups_by_the_bokmal_name_work_whatever_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        activity = ProcessingActivity.objects.get(name="Kundeservice")
        names = set(RetentionRule.objects.values_list("name", flat=True))
        # reading the instance still gives the reader's language
        assert activity.name == "Customer service"
    assert "Jobbsøknader: slettes seks måneder etter at ansettelsen er avgjort" in names


def test_a_change_made_in_english_keeps_the_bokmal_base_text():
    from django.utils import translation

    # given a staff member working in English changes the English purpose
    activity = ProcessingActivity.objects.get(name="Kundeservice")
    with translation.override("en"):
        update_activity(actor=SYSTEM, activity=activity, changes={"purpose_en": "Help you."})
    # then the bokmål texts are untouched, in the base columns too
    stored = ProcessingActivity.objects.values("name", "purpose").get(pk=activity.pk)
    assert stored["name"] == "Kundeservice"
    assert stored["purpose"] == text_in(activity, "purpose", "nb")
    assert text_in(ProcessingActivity.objects.get(pk=activity.pk), "purpose", "en") == "Help you."
