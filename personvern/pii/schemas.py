"""API schemas of the scanner: one input and one output schema per operation. No schema
carries a value found: spans only."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from personvern.core.api import InSchema

from .choices import Article9Basis, FieldPolicyAction, FindingKind

MAX_TEXTS = 1000
MAX_TEXT_CHARS = 200_000


class FindingBriefOut(Schema):
    """A finding as the staff member who saved the record is told it."""

    field: str
    kind: str = Field(description=f"One of {', '.join(FindingKind.values)}.")
    start: int
    end: int


class TextIn(InSchema):
    id: str = Field(max_length=200, description="Yours: returned with its findings.")
    text: str = Field(max_length=MAX_TEXT_CHARS)


class ScanTextsIn(InSchema):
    items: list[TextIn] = Field(max_length=MAX_TEXTS)


class SpanOut(Schema):
    start: int
    end: int
    kind: str
    confidence: float


class TextFindingsOut(Schema):
    id: str
    findings: list[SpanOut]


class ScanTextsOut(Schema):
    results: list[TextFindingsOut]


class FindingOut(Schema):
    id: int
    target: str = Field(description="The table, e.g. register.interaction.")
    object_id: str
    field: str
    subject_id: int | None
    start: int
    end: int
    kind: str
    confidence: float
    rule: str
    source: str
    status: str
    found_at: datetime.datetime
    resolved_at: datetime.datetime | None
    basis: str


class AcceptIn(InSchema):
    basis: str = Field(description=f"One of {', '.join(Article9Basis.values)}.")
    reason: str = Field(max_length=2000)


class PolicyOut(Schema):
    target: str
    field: str
    action: str = Field(description=f"One of {', '.join(FieldPolicyAction.values)}.")


class PolicyIn(InSchema):
    target: str = Field(max_length=100, description="A scanned table, e.g. register.interaction.")
    field: str = Field(max_length=100, description="A scanned field of it, e.g. summary.")
    action: str = Field(description=f"One of {', '.join(FieldPolicyAction.values)}.")


class TableScanIn(InSchema):
    target: str = Field(max_length=100, description="A scanned table, e.g. register.interaction.")
    batch_size: int = Field(200, ge=1, le=1000)
    max_batches: int = Field(50, ge=1, le=1000, description="Stop after these; call again.")
    restart: bool = False


class TableScanOut(Schema):
    target: str
    scanned: int
    resumed_after: int
    finished: bool
    found: dict[str, int] = Field(description="Findings recorded in this run, per kind.")
    standing: dict[str, int] = Field(description="Open or accepted findings now, per kind.")
