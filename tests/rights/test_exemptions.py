"""A partial refusal of access on a statutory exemption (personopplysningsloven § 16),
decided by the privacy officer: the package leaves the withheld kinds out, the reply states
the ground and both remedies (Art. 12(4)), and on hvitvaskingsloven § 28 it never tells."""

from __future__ import annotations

import json

import pytest

from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditEntry
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError
from personvern.rights import services
from personvern.rights.choices import AccessExemption, RequestStatus, RightsErrorCode
from personvern.rights.models import DataSubjectRequest
from tests.retention.factories import DueDiligenceRecordFactory
from tests.rights.conftest import link_in
from tests.rights.test_access import download

pytestmark = pytest.mark.django_db


def _submitted(smtp, portal, lang: str = "nb") -> DataSubjectRequest:
    portal.submit(email="kari@example.com", request_type="access", lang=lang)
    return DataSubjectRequest.objects.get()


def _confirm(portal, smtp) -> str:
    portal.confirm(link_in(smtp.body(smtp.last_to("kari@example.com"))))
    return str(smtp.body(smtp.last_to("kari@example.com")))


def test_a_partial_refusal_withholds_the_kinds_and_cites_the_ground(
    portal, smtp, kari, officer_actor
):
    # given Kari's access request, as it comes in, and a customer due-diligence record
    DueDiligenceRecordFactory(person=kari)
    request = _submitted(smtp, portal)
    # when the privacy officer withholds it on § 16 (1)(b), and Kari confirms
    services.decide_access_exemption(
        actor=officer_actor,
        request=request,
        ground=AccessExemption.CRIME_PREVENTION,
        withheld=["due_diligence_records"],
        reason="Politiet etterforsker saken.",
    )
    body = _confirm(portal, smtp)
    # then the reply says part of the request is refused, on which ground, why, and both
    # remedies
    assert "En del av forespørselen din er avslått" in body
    assert "personopplysningsloven § 16 første ledd bokstav b" in body
    assert "Politiet etterforsker saken." in body
    assert "Datatilsynet" in body and "domstolene" in body
    # and the package leaves the withheld kind out, and its report says so too
    archive = download(portal, link_in(body))
    kinds = json.loads(archive.read("data.json"))["sources"]["register"]["kinds"]
    assert "due_diligence_records" not in kinds and "person" in kinds
    assert "csv/register/due_diligence_records.csv" not in archive.namelist()
    assert "Opplysninger som holdes tilbake" in archive.read("report.html").decode()
    # and the decision is on the audit log, without the reason
    entry = AuditEntry.objects.get(event_type=AuditEventType.ACCESS_EXEMPTION_DECIDED)
    assert entry.detail["ground"] == "popplyl_16_b" and entry.detail["withheld"] == 1
    assert "Politiet" not in json.dumps(entry.detail)
    assert DataSubjectRequest.objects.get().status == RequestStatus.DONE


def test_on_the_anti_money_laundering_ground_the_letter_does_not_tell(
    portal, smtp, kari, officer_actor
):
    DueDiligenceRecordFactory(person=kari)
    request = _submitted(smtp, portal, lang="en")
    services.decide_access_exemption(
        actor=officer_actor,
        request=request,
        ground=AccessExemption.MONEY_LAUNDERING_REPORT,
        withheld=["due_diligence_records"],
        reason="MT-melding sendt Økokrim.",
    )
    body = _confirm(portal, smtp)
    # the ground is cited as the duty of confidentiality; neither the Act nor the reason shows
    assert "Part of your request is refused" in body
    assert "first paragraph (d)" in body and "duty of confidentiality" in body
    assert "hvitvask" not in body.lower() and "Økokrim" not in body and "MT-melding" not in body
    assert "take the matter to the courts" in body
    report = download(portal, link_in(body)).read("report.html").decode()
    assert "hvitvask" not in report.lower() and "Økokrim" not in report


def test_only_the_privacy_officer_decides_and_only_with_ground_kinds_and_reason(
    portal, smtp, kari, customer_service, officer_actor
):
    request = _submitted(smtp, portal)
    with pytest.raises(DomainError) as denied:
        services.decide_access_exemption(
            actor=Actor(user=customer_service),
            request=request,
            ground=AccessExemption.CONFIDENTIALITY,
            withheld=["interactions"],
            reason="x",
        )
    assert denied.value.code == CoreErrorCode.PERMISSION_DENIED
    cases = [
        ({"ground": "privacy_shield"}, RightsErrorCode.INVALID_GROUND, "ground"),
        ({"withheld": [" "]}, RightsErrorCode.WITHHELD_REQUIRED, "withheld"),
        ({"withheld": ["secret_files"]}, RightsErrorCode.UNKNOWN_KIND, "withheld"),
        ({"reason": "  "}, RightsErrorCode.REASON_REQUIRED, "reason"),
    ]
    for change, code, field in cases:
        values = {
            "ground": AccessExemption.CONFIDENTIALITY,
            "withheld": ["interactions"],
            "reason": "Taushetsplikt.",
            **change,
        }
        with pytest.raises(DomainError) as refused:
            services.decide_access_exemption(actor=officer_actor, request=request, **values)
        assert refused.value.code == code and refused.value.field == field
    request.refresh_from_db()
    assert "exemption" not in request.result


def test_not_for_other_requests_or_once_the_package_is_built(portal, smtp, kari, officer_actor):
    portal.submit_and_confirm(smtp, "kari@example.com", request_type="access")
    done = DataSubjectRequest.objects.get()
    with pytest.raises(DomainError):
        services.decide_access_exemption(
            actor=officer_actor,
            request=done,
            ground=AccessExemption.CONFIDENTIALITY,
            withheld=["interactions"],
            reason="For sent.",
        )
    portal.submit(email="kari@example.com", request_type="erasure")
    erasure = DataSubjectRequest.objects.get(request_type="erasure")
    with pytest.raises(DomainError) as refused:
        services.decide_access_exemption(
            actor=officer_actor,
            request=erasure,
            ground=AccessExemption.CONFIDENTIALITY,
            withheld=["interactions"],
            reason="Feil type.",
        )
    assert refused.value.code == RightsErrorCode.NOT_ACCESS


def test_the_staff_action_decides_through_the_service(portal, smtp, kari, privacy_officer, client):
    request = _submitted(smtp, portal)
    client.force_login(privacy_officer)
    response = client.post(
        f"/admin/rights/datasubjectrequest/{request.pk}/act/exempt/",
        {
            "ground": AccessExemption.INTERNAL_PREPARATION,
            "withheld": "interactions, consent_events",
            "reason": "Interne notater.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.result["exemption"] == {
        "ground": "popplyl_16_e",
        "withheld": ["consent_events", "interactions"],
    }
