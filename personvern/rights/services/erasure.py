"""Erasure (GDPR Art. 17), source by source, resumable.

A transactional source (the register) is erased in its own transaction, which also records
the source as done with its report on the request. An external source (an SQL dataset) is
called outside our transaction and journals its own steps; once it returns, it is recorded
done. A worker killed half-way leaves every source either done (and recorded) or to be run
again; the rerun skips the done ones and finishes the rest, so nothing is lost and nothing is
done twice.

A source that cannot do its part (``SourceError``) is recorded as failing with its reason
code, shown on the timeline, and tried again with backoff (``retry_due_sources``, every
minute) while the other sources go on. The register, which holds the identity the others
are found by, is erased last and only once every other source is done; the reply goes out
only then, and lists per system what was erased and what was kept, why and until when.

Before the sources, every data package built for the person (access, portability) is
deleted, and ``reissue_download_link`` refuses from then on."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.register.models import Person

from .. import config
from ..choices import EventKind, RequestStatus, RequestType, RightsErrorCode, SourceStatus
from ..letters import KEPT_REASONS, RECORD_TYPES, erasure_context
from ..models import DataSubjectRequest
from ..sources import DataSource, SourceError, SourcePending, configured_sources
from . import art19, steps
from .common import complete, lock, require_perm
from .events import log
from .intake import schedule_fulfilment
from .packages import delete_subject_packages


def _person(request: DataSubjectRequest) -> Person | None:
    if request.subject_id is None:
        return None
    return Person.objects.filter(pk=request.subject_id).first()


def _done(
    request: DataSubjectRequest, source: DataSource, report: dict[str, Any], actor: Actor
) -> None:
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
            "erased": {k: int(v) for k, v in report.get("erased", {}).items()},
            "kept": len(report.get("kept", [])),
        },
    )


def _failed(
    request_id: int, source: DataSource, reason: str, actor: Actor, *, key: str = ""
) -> None:
    """Record the source as failing (``key``: where its state is kept, by default its own
    key), to be retried with backoff, or as failed once every attempt is spent."""
    key = key or source.key
    with transaction.atomic():
        request = lock(request_id)
        state = request.source_states.get(key, {})
        attempt = int(state.get("attempts", 0)) + 1
        final = attempt >= config.source_attempts()
        retry_at = timezone.now() + datetime.timedelta(
            seconds=config.source_backoff_seconds(attempt)
        )
        request.source_states = {
            **request.source_states,
            key: {
                "status": SourceStatus.FAILED if final else SourceStatus.FAILING,
                "attempts": attempt,
                "reason": reason,
                "retry_at": None if final else retry_at.isoformat(),
            },
        }
        request.save(update_fields=["source_states"])
        log(
            request=request,
            kind=EventKind.SOURCE_FAILED,
            actor=actor,
            detail={
                "source": source.key,
                "reason": reason,
                "attempt": attempt,
                "final": final,
                **({"step": steps.step_of(key)} if key != source.key else {}),
            },
        )


def _erase_source(request_id: int, source: DataSource, actor: Actor) -> bool:
    """Erase one source unless done; False when it failed (recorded) or the request closed."""
    if source.transactional:
        with transaction.atomic():
            request = lock(request_id)
            if request.status != RequestStatus.IN_PROGRESS:
                return False
            if request.source_states.get(source.key, {}).get("status") == SourceStatus.DONE:
                return True
            person = _person(request)
            try:
                report: dict[str, Any] = (
                    source.erase(person, actor=actor, job=request.reference)
                    if person is not None
                    else {"person": "absent"}
                )
            except SourcePending:
                return False  # a manual task is open: closing it runs the job again
            _done(request, source, report, actor)
            return True
    request = DataSubjectRequest.objects.get(pk=request_id)
    if request.status != RequestStatus.IN_PROGRESS:
        return False
    if request.source_states.get(source.key, {}).get("status") == SourceStatus.DONE:
        return True
    person = _person(request)
    try:
        report = (
            source.erase(person, actor=actor, job=request.reference)
            if person is not None
            else {"person": "absent"}
        )
    except SourceError as exc:
        _failed(request_id, source, exc.reason, actor)
        return False
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return False
        _done(request, source, report, actor)
    return True


def erase(request_id: int, actor: Actor) -> None:
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        # Who must be told (Art. 19), while the person is still in the register.
        if art19.KEY not in request.result and request.person is not None:
            art19.note_recipients(request)
            request.save(update_fields=["result"])
        if request.subject_id is not None:
            # First, so that no link can fetch them while the sources are being erased; the
            # files go when this commits (a rerun finds none left).
            delete_subject_packages(subject_id=request.subject_id, actor=actor)
    sources = configured_sources()
    others = [s for s in sources if not s.holds_identity]
    holders = [s for s in sources if s.holds_identity]
    all_done = True
    for source in others:
        all_done = _erase_source(request_id, source, actor) and all_done
    if not all_done:
        return  # the identity holders wait: the failing sources still need the identity
    for source in holders:
        if not _erase_source(request_id, source, actor):
            return
    with transaction.atomic():
        request = lock(request_id)
        if request.status != RequestStatus.IN_PROGRESS:
            return
        labels = {s.key: s.label for s in sources}
        systems = outcome_by_system(request, labels)
        kept = [
            {**item, "source": key}
            for key, state in request.source_states.items()
            for item in state.get("report", {}).get("kept", [])
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
            context=_reply_context(request, systems),
        )


def _kept_row(item: dict[str, Any]) -> dict[str, Any]:
    # Lazy labels: the letter renders them in the person's language.
    what = item.get("label") or RECORD_TYPES.get(item["record_type"], item["record_type"])
    return {
        "what": what,
        "reason": KEPT_REASONS.get(item["reason"], item["reason"]),
        "until": item["keep_until"],
        "count": item.get("count"),
    }


def _system_outcome(system: dict[str, Any]) -> str:
    """What was done in one system, in the active language, read from its report."""
    if system["status"] != "done":
        return gettext("not done yet; we will write to you again when it is")
    outcome = system["outcome"]
    if outcome == "nothing_found":
        return gettext("searched by hand, nothing found")
    if outcome == "kept":
        return gettext("searched by hand, kept (listed above)")
    if outcome:
        return gettext("handled by hand as our instructions say")
    erased = ngettext("%(count)s record erased", "%(count)s records erased", system["erased"]) % {
        "count": system["erased"]
    }
    return erased + (gettext(", some kept (listed above)") if system["kept"] else "")


def _reply_context(request: DataSubjectRequest, systems: list[dict[str, Any]]) -> dict[str, Any]:
    """The erasure reply: what was kept in any system, what is pending, and (where more than
    one system was searched) the outcome system by system, in the person's language."""
    language = request.language if request.language in ("nb", "en") else "nb"
    with translation.override(language):
        # The systems' names are lazy: rendered here, in the person's language.
        outcomes = [
            {"system": str(system["name"]), "outcome": _system_outcome(system)}
            for system in systems
        ]
        pending = [{"what": str(s["name"])} for s in systems if s["status"] != "done"]
    return erasure_context(
        kept=[row for system in systems for row in system["kept"]],
        pending=pending,
        outcomes=outcomes if len(systems) > 1 else (),
    )


def outcome_by_system(
    request: DataSubjectRequest, labels: dict[str, str | Promise]
) -> list[dict[str, Any]]:
    """Per system, for the reply and for staff: ``status`` (done or pending), how many
    records were erased, and what was kept (why, until when). No source error text."""
    systems = []
    for key, label in labels.items():
        state = request.source_states.get(key, {})
        report = state.get("report", {})
        done = state.get("status") == SourceStatus.DONE
        systems.append(
            {
                "key": key,
                "name": label,
                "status": "done" if done else "pending",
                "outcome": report.get("outcome", ""),
                "erased": sum(int(n) for n in report.get("erased", {}).values()),
                "kept": [_kept_row(item) for item in report.get("kept", [])],
            }
        )
    return systems


# The types whose sources are run one by one (``across`` for rectification and restriction),
# and those whose package waits for a failing source (``fulfilment._package``).
RETRIED_TYPES = (
    RequestType.ERASURE,
    RequestType.RECTIFICATION,
    RequestType.RESTRICTION,
    RequestType.ACCESS,
    RequestType.PORTABILITY,
)
PACKAGE_TYPES = (RequestType.ACCESS, RequestType.PORTABILITY)
# The types with restriction steps (``steps``), run whatever the request's status.
STEP_TYPES = (RequestType.RESTRICTION, RequestType.OBJECTION)


def retry_due_sources(*, now: datetime.datetime | None = None) -> int:
    """Every minute: requests with a failing source whose wait is over are run again (the job
    continues where it stopped): the request's own job, or the job of the restriction step
    the source failed in (an interim restriction, a lift); so are access and portability
    requests whose package waits for a source once the deadline is near (then it goes
    without it), and those answered without a source whose supplement is due. Returns how
    many were scheduled."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    scheduled = 0
    candidates = DataSubjectRequest.objects.filter(
        Q(status=RequestStatus.IN_PROGRESS, request_type__in=RETRIED_TYPES)
        | Q(
            status=RequestStatus.DONE,
            request_type__in=PACKAGE_TYPES,
            result__has_key="not_searched",
        )
        | Q(request_type__in=STEP_TYPES, result__has_key=steps.ORDERED)
    ).exclude(source_states={})
    fields = ("pk", "status", "request_type", "source_states", "result", "person_id", "due_on",
              "extended_until")  # fmt: skip
    for request in candidates.only(*fields):
        due = {
            steps.step_of(key)
            for key, state in request.source_states.items()
            if state.get("status") == SourceStatus.FAILING
            and state.get("retry_at")
            and datetime.datetime.fromisoformat(state["retry_at"]) <= now
        }
        # The request's own part while it is in progress (or its package's supplement is
        # due); a step while it is wanted (an interim restriction is over once its lift is
        # ordered).
        due = {
            step
            for step in due
            if (steps.active(request, step) if step else _own_part_open(request))
        }
        # Near the deadline a waiting package goes with the sources that answered.
        states = list(request.source_states.values())
        if (
            request.status == RequestStatus.IN_PROGRESS
            and request.request_type in PACKAGE_TYPES
            and any(s.get("status") in (SourceStatus.FAILING, SourceStatus.FAILED) for s in states)
            and partial_package_due(request, today=today)
        ):
            due.add("")
        if due:
            with transaction.atomic():
                for step in sorted(due):
                    if step:
                        steps.schedule(request, step)
                    else:
                        schedule_fulfilment(request)
            scheduled += 1
    return scheduled


def retry_failed_sources(*, actor: Actor, request: DataSubjectRequest) -> int:
    """Staff try again, at once, the systems that failed the request (every attempt spent)
    or wait for their next attempt, each with a fresh count of attempts: the request's own
    part while it is open or its package's supplement waits, a restriction step while it is
    wanted (an interim restriction, a lift). Returns how many systems were scheduled."""
    require_perm(actor, "rights.change_datasubjectrequest")
    with transaction.atomic():
        request = lock(request.pk)
        states = request.source_states
        wanted = {
            key
            for key, state in states.items()
            if state.get("status") in (SourceStatus.FAILING, SourceStatus.FAILED)
            and (
                steps.active(request, steps.step_of(key))
                if steps.step_of(key)
                else _own_part_open(request)
            )
        }
        if not wanted:
            raise DomainError(
                code=RightsErrorCode.NO_FAILED_SOURCE,
                status=409,
                message=_("No system has failed for this request: there is nothing to retry."),
            )
        fresh = {
            "status": SourceStatus.FAILING,
            "attempts": 0,
            "retry_at": timezone.now().isoformat(),
        }
        request.source_states = {**states, **{key: {**states[key], **fresh} for key in wanted}}
        request.save(update_fields=["source_states"])
        log(
            request=request,
            kind=EventKind.STARTED,
            actor=actor,
            detail={"rerun": True, "sources": len(wanted)},
        )
        for step in sorted({steps.step_of(key) for key in wanted}):
            if step:
                steps.schedule(request, step)
            else:
                schedule_fulfilment(request)
    return len(wanted)


def _own_part_open(request: DataSubjectRequest) -> bool:
    """The request's own job may run: it is in progress, or it is an access or portability
    request answered without a source, whose supplement waits."""
    if request.status == RequestStatus.IN_PROGRESS:
        return True
    return (
        request.status == RequestStatus.DONE
        and request.request_type in PACKAGE_TYPES
        and bool(request.result.get("not_searched"))
    )


def partial_package_due(request: DataSubjectRequest, *, today: datetime.date | None = None) -> bool:
    """Whether an access or portability package may go without a source that still fails:
    from ``RIGHTS_PARTIAL_PACKAGE_DAYS`` before the request's deadline."""
    today = today or timezone.localdate()
    return today >= request.deadline - datetime.timedelta(days=config.partial_package_days())
