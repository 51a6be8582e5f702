"""Erasure (GDPR Art. 17), source by source, resumable.

Each source is erased in its own transaction, which also records the source as done with its
report on the request. A worker killed half-way leaves every source either done (and
recorded) or untouched; the rerun skips the done ones and finishes the rest, so nothing is
lost and nothing is done twice. The reply lists what was kept, why, and until when.

Before the sources, every data package built for the person (access, portability) is
deleted, and ``reissue_download_link`` refuses from then on."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from personvern.core.actors import Actor
from personvern.register.models import Person

from ..choices import EventKind, RequestStatus, SourceStatus
from ..letters import KEPT_REASONS, RECORD_TYPES, erasure_context
from ..sources import configured_sources
from .common import complete, lock
from .events import log
from .packages import delete_subject_packages


def erase(request_id: int, actor: Actor) -> None:
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        if request.subject_id is not None:
            # First, so that no link can fetch them while the sources are being erased; the
            # files go when this commits (a rerun finds none left).
            delete_subject_packages(subject_id=request.subject_id, actor=actor)
    for source in configured_sources():
        with transaction.atomic():
            request = lock(request_id)
            if request.status != RequestStatus.IN_PROGRESS:
                return
            state = request.source_states.get(source.key, {})
            if state.get("status") == SourceStatus.DONE:
                continue
            person = (
                Person.objects.filter(pk=request.subject_id).first()
                if request.subject_id is not None
                else None
            )
            report: dict[str, Any] = (
                source.erase(person, actor=actor) if person is not None else {"person": "absent"}
            )
            request.source_states = {
                **request.source_states,
                source.key: {"status": SourceStatus.DONE, "report": report},
            }
            # Only this field: the person row (and so this request's link to it) may be gone.
            request.save(update_fields=["source_states"])
            log(
                request=request,
                kind=EventKind.SOURCE_DONE,
                actor=actor,
                detail={
                    "source": source.key,
                    "erased": report.get("erased", {}),
                    "kept": len(report.get("kept", [])),
                },
            )
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        kept = [
            {**item, "source": key}
            for key, state in request.source_states.items()
            for item in state.get("report", {}).get("kept", [])
        ]
        rows = [
            {
                # Lazy labels: the letter renders them in the person's language.
                "what": RECORD_TYPES.get(item["record_type"], item["record_type"]),
                "reason": KEPT_REASONS.get(item["reason"], item["reason"]),
                "until": item["keep_until"],
            }
            for item in kept
        ]
        erased = {
            key: state.get("report", {}).get("erased", {})
            for key, state in request.source_states.items()
        }
        complete(
            request,
            actor=actor,
            result={"erased": erased, "kept": kept},
            name="erased",
            context=erasure_context(kept=rows),
        )
