"""The data package of an access or portability request: a ZIP with

- ``data.json``: everything, in the schema documented in ``docs/rights.md``
  (``schema_version`` 1);
- ``csv/<source>/<kind>.csv``: one CSV per kind of record (UTF-8 with BOM, for spreadsheets);
- ``report.html``: a readable report in the person's language with the purposes, legal bases,
  recipients and processors, third-country transfers, retention and source of each kind of
  data, and the person's rights, including the right to complain to the supervisory authority;
- ``documents/…``: the files the person gave us (CVs, letters).

A portability package holds only what the person gave us on consent or contract."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from personvern.core.translated import flagged
from personvern.organisation.selectors import get_controller
from personvern.processing.categories import category_name
from personvern.processing.choices import EEA_COUNTRIES, ActivityStatus, LegalBasis
from personvern.processing.models import ProcessingActivity
from personvern.processing.selectors import activities_for_record
from personvern.register.models import Person

from . import config
from .choices import RequestType
from .letters import exemption_of
from .models import DataSubjectRequest
from .sources import Collected, configured_sources

SCHEMA_VERSION = 1
SCHEMA_URI = "https://personvern.invalid/schemas/rights-package/1"


@dataclass(frozen=True)
class Package:
    content: bytes
    document: dict[str, Any]  # the data.json document (POSTed as is for portability)
    counts: dict[str, int]


def build_package(*, request: DataSubjectRequest, person: Person) -> Package:
    portable = request.request_type == RequestType.PORTABILITY
    with translation.override(request.language):
        collected = {
            source.key: (source, source.collect(person)) for source in configured_sources()
        }
        document = _document(request, collected, portable=portable)
        report = _report(request, person, document)
    buffer = io.BytesIO()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("report.html", report)
        for key, source_doc in document["sources"].items():
            for kind, data in source_doc["kinds"].items():
                archive.writestr(f"csv/{key}/{kind}.csv", _csv(data["records"]))
                counts[f"{key}.{kind}"] = len(data["records"])
        for key, (_source, found) in collected.items():
            withheld = set((request.result or {}).get("exemption", {}).get("withheld", ()))
            for path, content in found.files.items():
                if (not portable or path in found.portable_files) and _file_shown(path, withheld):
                    archive.writestr(f"{key}/{path}", content)
    return Package(content=buffer.getvalue(), document=document, counts=counts)


def _document(
    request: DataSubjectRequest, collected: dict[str, Any], *, portable: bool
) -> dict[str, Any]:
    controller = get_controller()
    sources: dict[str, Any] = {}
    # A partial refusal of access (``services.exemptions``) leaves the withheld kinds out.
    withheld = set((request.result or {}).get("exemption", {}).get("withheld", ()))
    for key, (source, found) in collected.items():
        assert isinstance(found, Collected)  # noqa: S101 - narrows the tuple for mypy
        kinds = {
            kind: {
                "description": str(data.description),
                "source": str(data.source),
                "portable": data.portable,
                "records": data.records,
            }
            for kind, data in found.kinds.items()
            if (data.portable or not portable) and kind not in withheld
        }
        files = sorted(
            f"{key}/{p}"
            for p in found.files
            if (not portable or p in found.portable_files) and _file_shown(p, withheld)
        )
        sources[key] = {"label": str(source.label), "kinds": kinds, "files": files}
    return {
        "schema": SCHEMA_URI,
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "request": {"reference": request.reference, "type": request.request_type},
        "controller": {
            "name": controller.legal_name if controller else "",
            "organisation_number": controller.organisation_number if controller else "",
            "contact_email": controller.privacy_contact_email if controller else "",
        },
        "sources": sources,
    }


def _file_shown(path: str, withheld: set[str]) -> bool:
    """Files are the documents of job applications: withheld with that kind."""
    return not (path.startswith("documents/") and "application_documents" in withheld)


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    columns: list[str] = []
    for row in records:
        columns += [name for name in row if name not in columns]
    writer = csv.DictWriter(out, fieldnames=columns or ["(none)"])
    writer.writeheader()
    for row in records:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                for k, v in row.items()
            }
        )
    return out.getvalue()


def activities_for(person: Person) -> list[ProcessingActivity]:
    """The active processing activities that cover the person's category."""
    return [
        activity
        for activity in activities_for_record().filter(status=ActivityStatus.ACTIVE)
        if person.category in (activity.subject_categories or [])
    ]


def _report(request: DataSubjectRequest, person: Person, document: dict[str, Any]) -> str:
    controller = get_controller()
    activities = []
    covering = activities_for(person)
    for activity in covering:
        processors = [
            {
                "name": p.name,
                "country": p.country,
                "third_country": p.country not in EEA_COUNTRIES,
                "mechanism": p.get_transfer_mechanism_display(),
                "valid": p.transfer_is_valid,
            }
            for p in activity.processors.all()
        ]
        activities.append(
            {
                "activity": activity,
                # The organisation's texts in the person's language, a fallback flagged.
                "t": {
                    name: flagged(activity, name, request.language)
                    for name in (
                        "name",
                        "purpose",
                        "legal_basis_detail",
                        "recipients",
                        "retention",
                        "sources",
                        "automated_decision_logic",
                    )
                },
                "processors": processors,
                # Labels from the catalogue, in the person's language (``build_package``).
                "basis": str(LegalBasis(activity.legal_basis).label),
                "categories": [category_name(c) for c in activity.data_categories.all()],
            }
        )
    kinds = [
        {"name": kind, "count": len(data["records"]), **data}
        for source in document["sources"].values()
        for kind, data in source["kinds"].items()
    ]
    return render_to_string(
        "rights/report.html",
        {
            "request": request,
            "language": request.language,
            "controller": controller,
            "authority": controller.supervisory_authority if controller else None,
            "activities": activities,
            # Art. 15(1)(h): whether any activity that covers the person decides automatically.
            "automated": [
                item
                for item, activity in zip(activities, covering, strict=True)
                if activity.automated_decision_making
            ],
            "kinds": kinds,
            "generated_at": document["generated_at"],
            "exemption": exemption_of(request),
            "deadline_days": config.deadline_days(),
        },
    )
