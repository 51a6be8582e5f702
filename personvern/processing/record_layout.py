"""The record of processing (Art. 30(1)) laid out as Datatilsynet's template has it: Norwegian
headings, the controller's details at the top, one sheet per group of activities (XLSX), or
one table with the group as its first column (CSV).

Datatilsynet publishes a spreadsheet template for the record ("Mal for protokoll over
behandlingsaktiviteter"); the headings below follow its wording of Art. 30(1)(a)-(g) and add
what it asks to be documented beside them (legal basis, Art. 9 conditions, joint controllers,
processors and their agreements, impact assessment, last updated).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from personvern.organisation.selectors import get_controller

# (row key, Norwegian heading), in the template's order.
HEADINGS: list[tuple[str, str]] = [
    ("activity", "Behandlingsaktivitet"),
    ("purpose", "Formålet med behandlingen"),
    ("legal_basis", "Behandlingsgrunnlag (art. 6)"),
    ("legal_basis_detail", "Supplerende rettsgrunnlag"),
    ("special_category_condition", "Unntak for særlige kategorier (art. 9)"),
    ("balancing_assessment", "Interesseavveining (berettiget interesse)"),
    ("subject_categories", "Kategorier av registrerte"),
    ("data_categories", "Kategorier av personopplysninger"),
    ("sources", "Hvor opplysningene kommer fra"),
    ("recipients", "Kategorier av mottakere"),
    ("joint_controllers", "Felles behandlingsansvarlige"),
    ("processors", "Databehandlere"),
    ("agreements", "Databehandleravtaler (inngått\u2013utløper)"),
    ("third_country_transfers", "Overføring til tredjeland og garantier"),
    ("retention", "Planlagte tidsfrister for sletting"),
    ("retention_rules", "Sletteregler som anvendes (rettslig grunnlag)"),
    ("security_measures", "Tekniske og organisatoriske sikkerhetstiltak"),
    ("dpia", "Vurdering av personvernkonsekvenser (DPIA)"),
    ("status", "Status"),
    ("updated", "Sist oppdatert"),
]
GROUP_HEADING = "Gruppe"
UNGROUPED = "Behandlinger"
CONTROLLER_LABELS = (
    "Behandlingsansvarlig",
    "Organisasjonsnummer",
    "Postadresse",
    "Personvernombud / kontaktpunkt",
    "Protokollen sist oppdatert",
)


def _flat(value: Any) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value)


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV/formula injection) in free-text cells."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _cells(row: dict[str, Any]) -> list[str]:
    return [safe_cell(_flat(row[key])) for key, _heading in HEADINGS]


def controller_details(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The controller block (Art. 30(1)(a)): name, number, postal address, the contact (the
    responsible role and the privacy address), and when the record last changed."""
    org = get_controller()
    updated = max((row["updated"] for row in rows), default="")
    values = (
        (org.legal_name, org.organisation_number, " ".join(org.postal_address.split()),
         f"{org.responsible_role}, {org.privacy_contact_email}")
        if org else ("", "", "", "")
    )  # fmt: skip
    return list(zip(CONTROLLER_LABELS, [*values, updated], strict=True))


def groups(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Rows by the activity's group, groups in alphabetical order."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["record_group"] or UNGROUPED, []).append(row)
    return dict(sorted(grouped.items()))


def _sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet title: at most 31 characters, none of []:*?/\\, unique."""
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31] or UNGROUPED
    base, n = title, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def render_xlsx(rows: list[dict[str, Any]]) -> bytes:
    # Imported here, not at start-up: openpyxl costs every process (the worker) ~20 MiB.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    details = controller_details(rows)
    taken: set[str] = set()
    for group, members in (groups(rows) or {UNGROUPED: []}).items():
        sheet = workbook.create_sheet(_sheet_title(group, taken))
        for label, value in details:
            sheet.append([label, safe_cell(value)])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([])
        sheet.append([heading for _key, heading in HEADINGS])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in members:
            sheet.append(_cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_csv(rows: list[dict[str, Any]]) -> bytes:
    """One table: the group first, then the template's columns, then the controller block's
    values repeated on every row so that each row stands on its own."""
    details = controller_details(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([GROUP_HEADING, *(h for _k, h in HEADINGS), *(label for label, _v in details)])
    for group, members in groups(rows).items():
        for row in members:
            writer.writerow([safe_cell(group), *_cells(row), *(safe_cell(v) for _l, v in details)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly
