"""API schemas for requests: one input and one output schema per operation. Lists carry no
contact details; the detail endpoint does, and its reads are audited."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from personvern.core.api import DbId, InSchema

from .choices import ObjectionScope, RequestType

_TYPES = ", ".join(RequestType.values)
_SCOPES = ", ".join(ObjectionScope.values)


class WebsiteSubmitIn(InSchema):
    """A request from the organisation's own website, on the person's behalf."""

    request_type: str = Field(description=f"One of {_TYPES}.")
    email: str = Field(description="The person's address; the verification link goes there.")
    language: str = Field("nb", description="nb or en: the language of every letter.")
    details: str = ""
    destination_url: str = Field("", description="Portability only: HTTPS address to POST to.")
    objection_scopes: list[str] = Field(default_factory=list, description=f"Objection: {_SCOPES}.")
    consent_purpose_ids: list[DbId] = Field(
        default_factory=list, description="Consent withdrawal: activity ids; empty for all."
    )


class WebsiteSubmitOut(Schema):
    """The same answer for every address: nothing here says whether it is in the register."""

    reference: str
    status: str


class StaffCreateIn(WebsiteSubmitIn):
    received_channel: str = Field(description="phone, letter or email.")
    verification_note: str = Field(
        "",
        description="How the person's identity was verified; empty to send a link instead. "
        "Needs rights.verify_datasubjectrequest (403 otherwise).",
    )


class RequestListOut(Schema):
    id: int
    reference: str
    request_type: str
    status: str
    received_channel: str
    received_at: datetime.datetime
    due_on: datetime.date
    extended_until: datetime.date | None
    deadline: datetime.date
    subject_id: DbId | None


class RequestEventOut(Schema):
    at: datetime.datetime
    kind: str
    actor_label: str
    detail: dict[str, Any]


class RequestOut(RequestListOut):
    contact_email: str
    language: str
    details: str
    destination_url: str
    objection_scopes: list[str]
    verified_at: datetime.datetime | None
    verification_method: str
    verification_note: str
    extension_reason: str
    refusal_reason: str
    compelling_grounds: str
    completed_at: datetime.datetime | None
    result: dict[str, Any]
    source_states: dict[str, Any]
    events: list[RequestEventOut]

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.order_by("at", "pk"))


class NoteIn(InSchema):
    note: str


class RectificationIn(InSchema):
    """The note to the person and, optionally, the corrected values (register field names:
    first_name, last_name, email, phone, position, role), carried to every data source."""

    note: str
    changes: dict[str, str] = {}


class ReasonIn(InSchema):
    reason: str


class ExtendIn(InSchema):
    until: datetime.date
    reason: str


class ObjectionDecisionIn(InSchema):
    compelling_grounds: str = Field(
        "", description="The compelling legitimate grounds; empty to uphold the objection."
    )


class MatchPersonIn(InSchema):
    person_id: DbId
