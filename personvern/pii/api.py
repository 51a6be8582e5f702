"""API of the scanner: scan any text; the review queue; the fields' policies; a scan of a
stored table. Handlers check the permission, call a service or the engine, return a schema."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from personvern.accounts.auth import ApiRequest, api_actor, require_perm
from personvern.core.api import DbId, Pagination

from . import services
from .engine import scan_many
from .models import FieldPolicy, Finding, ScanProgress
from .registry import targets
from .schemas import (
    AcceptIn,
    FindingOut,
    PolicyIn,
    PolicyOut,
    ScanTextsIn,
    ScanTextsOut,
    SpanOut,
    TableScanIn,
    TableScanOut,
    TextFindingsOut,
)

router = Router(tags=["pii"])


@router.post("/scan", response=ScanTextsOut)
def scan_texts(request: ApiRequest, payload: ScanTextsIn) -> ScanTextsOut:
    """Scan texts you send (nothing is stored): identity numbers and special categories, as
    spans and kinds. The same as ``personvern pii scan --jsonl``."""
    require_perm(request, "pii.view_finding")
    found = scan_many([item.text for item in payload.items])
    results = [
        TextFindingsOut(
            id=item.id,
            findings=[
                SpanOut(start=m.start, end=m.end, kind=m.kind, confidence=m.confidence)
                for m in matches
            ],
        )
        for item, matches in zip(payload.items, found, strict=True)
    ]
    return ScanTextsOut(results=results)


@router.get("/findings", response=list[FindingOut])
@paginate(Pagination)
def list_findings(
    request: ApiRequest,
    status: str | None = None,
    kind: str | None = None,
    target: str | None = None,
) -> QuerySet[Finding]:
    """The review queue (``status=open``) and what was decided, newest first."""
    require_perm(request, "pii.view_finding")
    findings = Finding.objects.all()
    if status:
        findings = findings.filter(status=status)
    if kind:
        findings = findings.filter(kind=kind)
    if target:
        findings = findings.filter(target=target)
    return findings


@router.post("/findings/{int:finding_id}/redact", response=FindingOut)
def redact_finding(request: ApiRequest, finding_id: DbId) -> Finding:
    """Replace the finding's span in its record (the value is gone from the database)."""
    require_perm(request, "pii.review_finding")
    finding = get_object_or_404(Finding, pk=finding_id)
    return services.redact_finding(actor=api_actor(request), finding=finding)


@router.post("/findings/{int:finding_id}/delete-record", response=FindingOut)
def delete_record(request: ApiRequest, finding_id: DbId) -> Finding:
    """Delete the record holding the finding (through the register's own service)."""
    require_perm(request, "pii.review_finding")
    finding = get_object_or_404(Finding, pk=finding_id)
    return services.delete_record_of_finding(actor=api_actor(request), finding=finding)


@router.post("/findings/{int:finding_id}/accept", response=FindingOut)
def accept_finding(request: ApiRequest, finding_id: DbId, payload: AcceptIn) -> Finding:
    """Keep what was found under a legal basis, with the reason."""
    require_perm(request, "pii.review_finding")
    finding = get_object_or_404(Finding, pk=finding_id)
    return services.accept_finding(
        actor=api_actor(request), finding=finding, basis=payload.basis, reason=payload.reason
    )


@router.get("/policies", response=list[PolicyOut])
def list_policies(request: ApiRequest) -> list[PolicyOut]:
    """Every scanned field and what a finding on write does (warn unless set)."""
    require_perm(request, "pii.view_fieldpolicy")
    set_actions = {(p.target, p.field): p.action for p in FieldPolicy.objects.all()}
    return [
        PolicyOut(target=t.label, field=name, action=set_actions.get((t.label, name), "warn"))
        for t in targets()
        for name in t.fields
    ]


@router.post("/policies", response=PolicyOut)
def set_policy(request: ApiRequest, payload: PolicyIn) -> FieldPolicy:
    """Set what a finding in one scanned field does on write: ``warn`` or ``refuse``."""
    require_perm(request, "pii.change_fieldpolicy")
    return services.set_field_policy(
        actor=api_actor(request), target=payload.target, field=payload.field,
        action=payload.action,
    )  # fmt: skip


@router.post("/table-scans", response=TableScanOut)
def scan_table(request: ApiRequest, payload: TableScanIn) -> TableScanOut:
    """Scan a stored table for at most ``max_batches`` batches; call again to go on (the
    scan resumes where it stopped). Counts only, never values."""
    require_perm(request, "pii.review_finding")
    report = services.scan_table(
        actor=api_actor(request),
        target=payload.target,
        batch_size=payload.batch_size,
        restart=payload.restart,
        max_batches=payload.max_batches,
    )
    finished = ScanProgress.objects.filter(
        target=payload.target, finished_at__isnull=False
    ).exists()
    return TableScanOut(
        target=report.target,
        scanned=report.scanned,
        resumed_after=report.resumed_after,
        finished=finished,
        found=dict(report.found),
        standing=report.standing,
    )
