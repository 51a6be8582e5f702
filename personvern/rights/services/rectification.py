"""Rectification (GDPR Art. 16) in every system that holds the person's data.

The corrections come from the person (the portal's self-service profile) or from staff
(``complete_rectification`` with the corrected values). They are checked and normalised as
the register would store them at once (a wrong value is refused with its field), kept on the
request, and carried out by the request's job, source by source (``across``): every SQL
dataset's tables that name the corrected kind of data (``rectify`` in the dataset), every
HTTP source with an ``update`` call, a task for the staff member of every manual source
naming the corrections, and the register last, since the other systems find the person by
the identity it holds. A source that fails is retried with backoff; a worker killed half-way
leaves the rest to the next run.

Only when every system is done does the reply go out, listing per system what was corrected,
what had nothing to correct and what was not changed, and why (a table kept under the
Bookkeeping Act, a system with no way to correct it); the corrected values are then dropped
from the request. The Art. 19 notices go with the reply (``common.complete``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from personvern.connectors.choices import PersonField
from personvern.connectors.identities import Identity, normalise_corrections
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.core.records import reject_unknown
from personvern.register.models import Person
from personvern.register.services import PersonValues, clean_person, require_unrestricted

from ..choices import EventKind, RequestStatus, RequestType, RightsErrorCode
from ..models import DataSubjectRequest, ManualSource
from ..sources import Corrections, DataSource, configured_sources
from ..sources.sql import identity_of
from . import across, manual
from .common import complete, lock, matched_person, require_open, require_perm, require_text
from .events import log
from .intake import schedule_fulfilment

PORTAL_ACTOR = Actor.for_system("portal")
# What the person may correct themselves in the portal's profile.
SELF_SERVICE_FIELDS = ("first_name", "last_name", "phone", "position", "role")
# What staff may correct through a rectification request (carried to the other systems).
STAFF_FIELDS = ("first_name", "last_name", "email", "phone", "position", "role")
# The request's result holds the corrections under this key until the reply has gone.
PENDING = "rectification"


def _record(
    request: DataSubjectRequest,
    person: Person,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    by: str,
    note: str,
) -> None:
    """Check the corrections as the register would (a wrong value fails here, naming its
    field), keep the ones that change something, and let the job carry them out."""
    require_unrestricted(actor=actor, person=person)
    cleaned = clean_person(replace(PersonValues.of(person), **changes))
    register = {
        name: str(getattr(cleaned, name) or "")
        for name in changes
        if getattr(cleaned, name) != getattr(person, name)
    }
    request.result = {
        **request.result,
        PENDING: {
            "register": register,
            "by": by,
            "user": actor.user.pk if actor.user is not None else None,
            "note": note,
        },
    }
    request.save(update_fields=["result"])
    schedule_fulfilment(request)


@transaction.atomic
def rectify_self_service(*, request: DataSubjectRequest, changes: Mapping[str, Any]) -> Person:
    """The verified person corrects their own profile in the portal; the job carries the
    corrections to every system and replies."""
    request = lock(request.pk)
    _check_rectifiable(request)
    reject_unknown(changes, SELF_SERVICE_FIELDS, RightsErrorCode.UNKNOWN_FIELD)
    person = matched_person(request)
    _record(request, person, changes, actor=PORTAL_ACTOR, by="person", note="")
    return person


@transaction.atomic
def complete_rectification(
    *,
    actor: Actor,
    request: DataSubjectRequest,
    note: str,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Staff tell the person what was corrected. With ``changes`` (the corrected values),
    they are carried to every system, the register last, and the reply lists per system what
    was done. Without, staff corrected the register by hand (audited there) and the reply
    gives their note alone."""
    require_perm(actor, "rights.change_datasubjectrequest")
    request = lock(request.pk)
    _check_rectifiable(request)
    note = require_text(
        note,
        field="note",
        code=RightsErrorCode.NOTE_REQUIRED,
        message=_("Tell the person what was corrected."),
    )
    if changes:
        reject_unknown(changes, STAFF_FIELDS, RightsErrorCode.UNKNOWN_FIELD)
        _record(request, matched_person(request), changes, actor=actor, by="staff", note=note)
        return
    log(request=request, kind=EventKind.RECTIFIED, actor=actor, detail={"by": "staff"})
    complete(
        request,
        actor=actor,
        result={"rectified_by": "staff"},
        name="rectified",
        context={"fields": [], "note": note},
    )


def corrections_for(person: Person, register: Mapping[str, str]) -> Corrections:
    """The corrections as every system names them, and the identities the person's records
    are found by there: as the register holds them now (it is corrected last) and after."""
    values: dict[str, str | None] = {}
    if "first_name" in register or "last_name" in register:
        first = register.get("first_name", person.first_name)
        last = register.get("last_name", person.last_name)
        values.update(first_name=first, last_name=last, name=f"{first} {last}".strip())
    for name in (PersonField.EMAIL, PersonField.PHONE, PersonField.POSITION):
        if name in register:
            values[name] = register[name]
    before = identity_of(person)
    after = Identity(
        email=register.get("email", person.email) or "",
        phone=register.get("phone", person.phone) or "",
    )
    return Corrections(
        register=dict(register),
        systems=normalise_corrections(values),
        identities=(before,) if after == before else (before, after),
    )


def task_instructions(corrections: Corrections, source: ManualSource) -> str:
    """What the staff member of a manual source is asked to do (in the staff's language):
    which data to correct, not the values. The task's page shows the corrected values, read
    from the request while they are kept there (``corrected_values``); the task's text, which
    stays as long as the request does, holds no personal data."""
    labels = dict(PersonField.choices)
    names = ", ".join(str(labels[name]) for name in corrections.systems if name != PersonField.NAME)
    line = gettext(
        "Rectification (GDPR Art. 16): correct the person's data here (%(fields)s) to the "
        "corrected values shown on this task's page."
    ) % {"fields": names}
    return "\n".join([line, "", source.instructions])


def corrected_values(request: DataSubjectRequest) -> list[tuple[str, str]]:
    """The corrections a rectification request still waits to carry out, as (label, value)
    in the register's terms, for the staff member's task page; none once the reply has gone
    (the values are dropped from the request then)."""
    pending = request.result.get(PENDING)
    if request.request_type != RequestType.RECTIFICATION or not pending:
        return []
    return [
        (str(getattr(Person._meta.get_field(name), "verbose_name", name)), value)
        for name, value in sorted(pending["register"].items())
    ]


def _source_actor(pending: Mapping[str, Any], actor: Actor) -> Actor:
    """Who corrects: the person (through the portal) or the staff member who gave the
    corrections; the job's own actor if that staff member is gone."""
    if pending["by"] == "person":
        return PORTAL_ACTOR
    user_id = pending.get("user")
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return Actor(user=user) if user is not None else actor


def run(request_id: int, actor: Actor) -> None:
    """The job's part: carry the kept corrections to every system, then reply. Without
    corrections yet, the request waits for the person or staff."""
    with transaction.atomic():
        request = lock(request_id)
        pending = request.result.get(PENDING)
        if request.status != RequestStatus.IN_PROGRESS or pending is None:
            return
        corrections = corrections_for(matched_person(request), pending["register"])
        manual.ensure_tasks(
            request, actor=actor, instructions=partial(task_instructions, corrections)
        )
    by = _source_actor(pending, actor)

    def call(source: DataSource, person: Person, job: str) -> dict[str, Any]:
        return source.rectify(person, changes=corrections, actor=by, job=job)

    sources = configured_sources()
    if not across.run_all(request_id, sources, actor, call):
        return  # a source failed (retried later) or waits for a task
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS or PENDING not in request.result:
            return
        pending = request.result.pop(PENDING)  # the values go: the register holds them now
        register = request.source_states.get("register", {}).get("report", {})
        fields = sorted(register.get("fields", []))
        outcomes, short = across.systems(request, sources, "rectify")
        with translation.override(request.language if request.language in ("nb", "en") else "nb"):
            labels = [str(getattr(Person._meta.get_field(n), "verbose_name", n)) for n in fields]
        log(
            request=request,
            kind=EventKind.RECTIFIED,
            actor=by,
            detail={"by": pending["by"]},
            fields=tuple(fields),
        )
        complete(
            request,
            actor=by,
            result={"rectified_fields": fields},
            name="rectified",
            context={
                "fields": labels,
                "note": pending["note"],
                "outcomes": outcomes if len(sources) > 1 else [],
                "partial": short,
            },
        )


def _check_rectifiable(request: DataSubjectRequest) -> None:
    require_open(request)
    if (
        request.request_type != RequestType.RECTIFICATION
        or request.status not in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS)
        or PENDING in request.result
    ):
        raise DomainError(
            code=RightsErrorCode.INVALID_STATE,
            status=409,
            message=_("This request cannot be completed as a rectification."),
        )
