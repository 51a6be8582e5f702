"""The data package of an access or portability request: a ZIP with

- ``data.json``: everything, in the schema documented in ``docs/rights.md``
  (``schema_version`` 1);
- ``csv/<source>/<kind>.csv``: one CSV per kind of record (UTF-8 with BOM, for spreadsheets);
- ``report.html``: a readable report in the person's language with the purposes, legal bases,
  recipients and processors, third-country transfers, retention and source of each kind of
  data, and the person's rights, including the right to complain to the supervisory authority;
- ``documents/…``: the files the person gave us (CVs, letters).

A portability package holds only what the person gave us on consent or contract.

An external source that fails while the package is read (``SourceError``, or a connection or
timeout error its driver let through) stops the build with :class:`SourceFailed`, naming the
source and a reason code; nothing of the half-written file is kept. The caller records the
failure and either waits for the retry or, near the deadline, builds again with the source
left out (``skip``): ``data.json`` (``not_searched``) and the report then name the systems
that could not be searched, never the error.

The package is written to a temporary file, record by record: a source may hand its
records as a stream (an external database's rows, read as the package is written), so a
person with hundreds of thousands of rows costs disk, not memory. Each kind's records are
read once: into ``data.json`` and a spool file from which its CSV is written (the CSV's
columns are known only once every record was seen). A portability document is sent to
another controller as one JSON body, so its records are held in memory."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from personvern.core.translated import flagged
from personvern.organisation.models import Organisation
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
from .sources import Collected, DataSource, KindData, SourceError, configured_sources

SCHEMA_VERSION = 1
SCHEMA_URI = "https://personvern.invalid/schemas/rights-package/1"
# Stands in data.json's skeleton for a kind's records, written in its place (``_write_json``).
PLACEHOLDER = "\0records:"


@dataclass(frozen=True)
class Package:
    file: IO[bytes]  # the ZIP, a temporary file (gone once closed), at its start
    document: dict[str, Any]  # the data.json document (POSTed as is for portability)
    counts: dict[str, int]


class SourceFailed(Exception):  # noqa: N818 - reads as what happened
    """A source could not be read into the package: which one, and a reason code (the
    ``SourceError``'s, or ``connection_failed:<class>``; never the error's text)."""

    def __init__(self, source: DataSource, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(source.key, reason)


def _reason(exc: Exception) -> str:
    if isinstance(exc, SourceError):
        return exc.reason
    return f"connection_failed:{type(exc).__name__}"


@dataclass(frozen=True)
class _Guarded:
    """A source's records, read as the package is written: a failure names the source."""

    source: DataSource
    records: Iterable[dict[str, Any]]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            yield from self.records
        except (SourceError, OSError) as exc:
            raise SourceFailed(self.source, _reason(exc)) from None


def _collect(source: DataSource, person: Person) -> Collected:
    try:
        found = source.collect(person)
    except (SourceError, OSError) as exc:
        raise SourceFailed(source, _reason(exc)) from None
    if source.transactional:
        return found
    kinds = {
        kind: KindData(
            description=data.description,
            source=data.source,
            records=_Guarded(source, data.records),
            portable=data.portable,
        )
        for kind, data in found.kinds.items()
    }
    return Collected(kinds=kinds, files=found.files, portable_files=found.portable_files)


def build_package(
    *, request: DataSubjectRequest, person: Person, skip: Collection[str] = ()
) -> Package:
    """The package from every configured source but those in ``skip`` (keys), which it
    names as not searched. Raises :class:`SourceFailed` when a source cannot be read."""
    portable = request.request_type == RequestType.PORTABILITY
    controller = get_controller()  # read once: the data file and the report both name it
    with translation.override(request.language):
        sources = configured_sources()
        collected = {
            source.key: (source, _collect(source, person))
            for source in sources
            if source.key not in skip
        }
        document = _document(request, collected, controller, portable=portable)
        document["not_searched"] = [
            {"key": source.key, "label": str(source.label)}
            for source in sources
            if source.key in skip
        ]
        if portable:  # sent as one JSON body: read whole (see the module's docstring)
            for source_doc in document["sources"].values():
                for data in source_doc["kinds"].values():
                    data["records"] = list(data["records"])
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
        counts: dict[str, int] = {}
        try:
            _write_zip(
                handle, request, person, collected, document, counts, controller, portable=portable
            )
        except BaseException:
            handle.close()
            raise
    handle.seek(0)
    return Package(file=handle, document=document, counts=counts)


def _write_zip(
    handle: IO[bytes],
    request: DataSubjectRequest,
    person: Person,
    collected: dict[str, Any],
    document: dict[str, Any],
    counts: dict[str, int],
    controller: Organisation | None,
    *,
    portable: bool,
) -> None:
    withheld = set((request.result or {}).get("exemption", {}).get("withheld", ()))
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        csvs = _write_json(archive, document, counts)
        try:
            archive.writestr("report.html", _report(request, person, document, counts, controller))
            for name, spool, columns in csvs:
                with archive.open(name, "w") as entry:
                    _write_csv(entry, spool, columns)
        finally:
            for _name, spool, _columns in csvs:
                spool.close()
        for key, (_source, found) in collected.items():
            for path, content in found.files.items():
                if (not portable or path in found.portable_files) and _file_shown(path, withheld):
                    archive.writestr(f"{key}/{path}", content)


def _write_json(
    archive: zipfile.ZipFile, document: dict[str, Any], counts: dict[str, int]
) -> list[tuple[str, IO[str], list[str]]]:
    """Write ``data.json`` (indented as ``json.dumps(document, indent=2)``, each record on a
    line of its own) with each kind's records streamed, counting them and spooling them for
    their CSV; returns the CSVs to write: (name in the package, spool of JSON lines,
    columns). The document is dumped with a placeholder for each kind's records, and the
    records written in its place."""
    csvs: list[tuple[str, IO[str], list[str]]] = []
    streams: list[tuple[str, str, Iterable[dict[str, Any]]]] = []
    skeleton = {**document, "sources": {}}
    for key, source_doc in document["sources"].items():
        kinds = {}
        for kind, data in source_doc["kinds"].items():
            kinds[kind] = {**data, "records": f"{PLACEHOLDER}{len(streams)}"}
            streams.append((key, kind, data["records"]))
        skeleton["sources"][key] = {**source_doc, "kinds": kinds}
    text = json.dumps(skeleton, ensure_ascii=False, indent=2)
    with archive.open("data.json", "w") as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8")
        for n, (key, kind, records) in enumerate(streams):
            before, _placeholder, text = text.partition(json.dumps(f"{PLACEHOLDER}{n}"))
            out.write(before)
            line = before.rsplit("\n", 1)[-1]  # '          "records": '
            indent = len(line) - len(line.lstrip())
            spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - csvs
            columns, counts[f"{key}.{kind}"] = _write_records(out, records, spool, indent)
            spool.seek(0)
            csvs.append((f"csv/{key}/{kind}.csv", spool, columns))
        out.write(text)
        out.flush()
        out.detach()
    return csvs


def _write_records(
    out: IO[str], records: Iterable[dict[str, Any]], spool: IO[str], indent: int
) -> tuple[list[str], int]:
    """A kind's records as a JSON array at ``indent``, one record a line (serialised once:
    the same line is spooled for the CSV)."""
    columns: dict[str, None] = {}
    count = 0
    inner = " " * (indent + 2)
    for record in records:
        line = json.dumps(record, ensure_ascii=False)
        out.write(f",\n{inner}" if count else f"[\n{inner}")
        out.write(line)
        spool.write(line + "\n")
        columns.update(dict.fromkeys(record))
        count += 1
    out.write(f"\n{' ' * indent}]" if count else "[]")
    return list(columns), count


def _document(
    request: DataSubjectRequest,
    collected: dict[str, Any],
    controller: Organisation | None,
    *,
    portable: bool,
) -> dict[str, Any]:
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


def _write_csv(entry: IO[bytes], spool: IO[str], columns: list[str]) -> None:
    """A kind's CSV (UTF-8 with BOM, for spreadsheets) from its spool of JSON lines."""
    out = io.TextIOWrapper(entry, encoding="utf-8", newline="")
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=columns or ["(none)"])
    writer.writeheader()
    for line in spool:
        row = json.loads(line)
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                for k, v in row.items()
            }
        )
    out.flush()
    out.detach()


def activities_for(person: Person) -> list[ProcessingActivity]:
    """The active processing activities that cover the person's category."""
    return [
        activity
        for activity in activities_for_record().filter(status=ActivityStatus.ACTIVE)
        if person.category in (activity.subject_categories or [])
    ]


def _report(
    request: DataSubjectRequest,
    person: Person,
    document: dict[str, Any],
    counts: dict[str, int],
    controller: Organisation | None,
) -> str:
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
        {"name": kind, **data, "count": counts[f"{key}.{kind}"], "records": None}
        for key, source in document["sources"].items()
        for kind, data in source["kinds"].items()
    ]
    return render_to_string(
        "rights/report.html",
        {
            "request": request,
            "searched": [source["label"] for source in document["sources"].values()],
            "not_searched": [source["label"] for source in document["not_searched"]],
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
