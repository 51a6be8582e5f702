"""The scan on write. The owner's service calls :func:`screen` with the values it is about to
save, before saving: a field whose policy is *refuse* stops the whole save with a
``DomainError`` naming the field and the kinds found (never the value). After saving, the
service calls :func:`record_findings` with the saved record, which replaces the field's open
findings with what was found now and audits them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import FieldError, collect

from ..choices import FieldPolicyAction, FindingKind, FindingStatus, PiiErrorCode
from ..engine import Match, scan
from ..engine.documents import extract_text
from ..models import FieldPolicy, Finding, FindingSource
from ..registry import DOCUMENT, target_for


@dataclass
class Screening:
    """What :func:`screen` found, per field (a field scanned and clean maps to ``[]``)."""

    target: str
    matches: dict[str, list[Match]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(m) for m in self.matches.values())


def policy_of(target: str, field_name: str) -> str:
    action = (
        FieldPolicy.objects.filter(target=target, field=field_name)
        .values_list("action", flat=True)
        .first()
    )
    return action or FieldPolicyAction.WARN


def _read_document(file: Any) -> str:
    """The text of an uploaded or stored file (rewound afterwards for the save)."""
    if not file:
        return ""
    if hasattr(file, "open") and getattr(file, "closed", True):
        file.open("rb")
    position = file.tell() if hasattr(file, "tell") else 0
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(position)
    if isinstance(data, str):
        return data
    return extract_text(str(getattr(file, "name", "") or ""), data) or ""


def text_of(target: str, obj: models.Model, field_name: str) -> str:
    """The current text of a stored record's scanned field."""
    kind = target_for(target).fields[field_name]
    value = getattr(obj, field_name)
    if kind == DOCUMENT:
        return _read_document(value)
    return str(value or "")


def kinds_message(kinds: list[str]) -> Any:
    names = ", ".join(str(FindingKind(k).label) for k in kinds)
    return format_lazy(
        _("This field may not hold {kinds}. Remove it and save again; nothing was saved."),
        kinds=names,
    )


def screen(
    *,
    target: str,
    texts: Mapping[str, str | None] | None = None,
    documents: Mapping[str, Any] | None = None,
) -> Screening:
    """Scan the values about to be saved; refuse (raise, nothing written) where the field's
    policy says so. ``documents`` maps a field to an uploaded file."""
    registered = target_for(target)
    screening = Screening(target=target)
    for name, text in (texts or {}).items():
        screening.matches[name] = scan(text or "")
    for name, file in (documents or {}).items():
        screening.matches[name] = scan(_read_document(file))
    errors = []
    for name, found in screening.matches.items():
        if name not in registered.fields:
            raise ValueError(f"{target}.{name} is not a scanned field")
        if found and policy_of(target, name) == FieldPolicyAction.REFUSE:
            kinds = sorted({m.kind for m in found})
            errors.append(
                FieldError(
                    field=name, code=PiiErrorCode.REFUSED_CONTENT, message=kinds_message(kinds)
                )
            )
    collect(errors)
    return screening


@transaction.atomic
def record_findings(
    *,
    actor: Actor,
    obj: models.Model,
    screening: Screening,
    source: str = FindingSource.WRITE,
    audit: bool = True,
) -> list[Finding]:
    """Replace the open findings of each screened field of ``obj`` with what was found now.
    A span the privacy officer accepted stays accepted and is not raised again."""
    registered = target_for(screening.target)
    object_id = str(obj.pk)
    subject_id = registered.subject_of(obj)
    created: list[Finding] = []
    for name, found in screening.matches.items():
        place = Finding.objects.filter(target=screening.target, object_id=object_id, field=name)
        place.filter(status=FindingStatus.OPEN).delete()
        accepted = set(
            place.filter(status=FindingStatus.ACCEPTED).values_list("start", "end", "kind")
        )
        created += [
            Finding(
                target=screening.target,
                object_id=object_id,
                field=name,
                subject_id=subject_id,
                start=m.start,
                end=m.end,
                kind=m.kind,
                confidence=m.confidence,
                rule=m.rule,
                source=source,
            )
            for m in found
            if (m.start, m.end, m.kind) not in accepted
        ]
    Finding.objects.bulk_create(created)
    if created and audit:
        record(
            actor=actor,
            event=AuditEventType.PII_FOUND,
            object_type=screening.target,
            object_id=object_id,
            subject_id=subject_id,
            fields=sorted({f.field for f in created}),
            detail={"via": source, "kinds": dict(Counter(f.kind for f in created))},
        )
    return created
