"""One part of a request run in every data source, resumably: rectification and restriction
follow the erasure's pattern (``erasure``).

A transactional source (the register, a manual source) runs in a transaction that also
records it as done on the request; an external one (an SQL dataset, an HTTP API) is called
outside our transaction and lock and recorded once it returns, so a worker killed half-way
leaves each source done and recorded, or to be run again (every source's part is safe to
repeat). A source that cannot do its part now (``SourceError``) is recorded as failing with
its reason code and retried with backoff (``erasure.retry_due_sources``); one that waits for
a staff member's task (``SourcePending``) is run again when the task is closed.

A restriction put in place or lifted outside the request's own part (an objection's interim
restriction, a lift) is a *step* (``steps``): its sources' states are kept under the step's
own keys and its job runs while the step is wanted (``steps.active``).

``systems`` reads, per system, what its report says was done, for the reply: never more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, ngettext

from personvern.core.actors import Actor
from personvern.register.models import Person

from ..choices import EventKind, ManualTaskStatus, SourceStatus
from ..letters import KEPT_REASONS
from ..models import DataSubjectRequest
from ..sources import DataSource, SourceError, SourcePending
from . import steps
from .common import lock
from .erasure import _failed
from .events import log

# What a source is asked to do: (source, person, the request's reference) -> its report.
Call = Callable[[DataSource, Person, str], dict[str, Any]]


def record_done(
    request: DataSubjectRequest,
    source: DataSource,
    report: dict[str, Any],
    actor: Actor,
    *,
    step: str = "",
) -> None:
    """Record the source's part (of ``step``) as done with its report; the caller holds the
    request's lock."""
    request.source_states = {
        **request.source_states,
        steps.state_key(source.key, step): {"status": SourceStatus.DONE, "report": report},
    }
    request.save(update_fields=["source_states"])
    detail: dict[str, Any] = {"source": source.key}
    if step:
        detail["step"] = step
    if "rectified" in report:
        detail["rectified"] = {k: int(v) for k, v in report["rectified"].items()}
        detail["not_changed"] = len(report.get("not_changed", []))
    if "restricted" in report:
        detail["restricted"] = bool(report["restricted"])
    if report.get("by_hand"):
        detail["by_hand"] = True
    log(request=request, kind=EventKind.SOURCE_DONE, actor=actor, detail=detail)


def is_done(request: DataSubjectRequest, source: DataSource, step: str = "") -> bool:
    state = request.source_states.get(steps.state_key(source.key, step), {})
    return bool(state.get("status") == SourceStatus.DONE)


DONE, PENDING, FAILED, STOPPED = "done", "pending", "failed", "stopped"


def _job(request: DataSubjectRequest, step: str) -> str:
    """The run's name a source is given: the request's reference, with the step's name for
    a step (a manual source finds the step's task by it)."""
    return f"{request.reference}:{step}" if step else request.reference


def run_source(
    request_id: int, source: DataSource, actor: Actor, call: Call, step: str = ""
) -> str:
    """Run one source's part (of ``step``) unless done. Returns ``DONE``; ``PENDING`` while
    it waits for a staff member's task; ``FAILED`` when it could not (recorded, retried
    later); ``STOPPED`` when the request (or the step) is no longer wanted."""
    if source.transactional:
        with transaction.atomic():
            request = lock(request_id)
            if not steps.active(request, step) or request.person is None:
                return STOPPED
            if is_done(request, source, step):
                return DONE
            try:
                report = call(source, request.person, _job(request, step))
            except SourcePending:
                return PENDING  # a manual task is open: closing it runs the job again
            record_done(request, source, report, actor, step=step)
            return DONE
    request = DataSubjectRequest.objects.select_related("person").get(pk=request_id)
    if not steps.active(request, step) or request.person is None:
        return STOPPED
    if is_done(request, source, step):
        return DONE
    try:
        report = call(source, request.person, _job(request, step))
    except SourcePending:
        return PENDING
    except SourceError as exc:
        _failed(request_id, source, exc.reason, actor, key=steps.state_key(source.key, step))
        return FAILED
    with transaction.atomic():
        request = lock(request_id)
        if not steps.active(request, step):
            return STOPPED
        record_done(request, source, report, actor, step=step)
    return DONE


def run_all(
    request_id: int, sources: list[DataSource], actor: Actor, call: Call, step: str = ""
) -> bool:
    """Every source but the one holding the identity (the register), then that one once no
    other has failed: a failing source is retried later, and finds the person by the
    identity the register holds (a task's staff member needs it not: the task names what to
    do). True when every source is done."""
    others = [run_source(request_id, s, actor, call, step) for s in sources if not s.holds_identity]
    if FAILED in others or STOPPED in others:
        return False
    holders = [run_source(request_id, s, actor, call, step) for s in sources if s.holds_identity]
    return all(outcome == DONE for outcome in [*others, *holders])


def _manual(outcome: str) -> str:
    if outcome == ManualTaskStatus.NOTHING_FOUND:
        return gettext("searched by hand, nothing found")
    return gettext("handled by hand as our instructions say")


def _rectified(report: dict[str, Any]) -> tuple[str, bool]:
    """One system's rectification, in the active language, and whether it fell short."""
    if report.get("outcome"):
        if report["outcome"] == ManualTaskStatus.KEPT:
            return gettext("not changed by our staff: %(reason)s") % {
                "reason": report["not_changed"][0]["reason"]
            }, True
        return _manual(report["outcome"]), False
    if report.get("by_hand"):
        return gettext("not corrected: this system offers us no way to correct it"), True
    count = sum(int(n) for n in report.get("rectified", {}).values())
    parts = []
    if count:
        parts.append(
            ngettext("%(count)s record corrected", "%(count)s records corrected", count)
            % {"count": count}
        )
    for item in report.get("not_changed", []):
        reason = KEPT_REASONS.get(item["reason"], item["reason"])
        parts.append(
            gettext("%(what)s not changed (%(count)s kept as issued): %(reason)s")
            % {"what": item["label"], "count": item["count"], "reason": reason}
        )
    return ("; ".join(parts) or gettext("nothing to correct")), bool(report.get("not_changed"))


def _restricted(report: dict[str, Any]) -> tuple[str, bool]:
    """One system's restriction, in the active language, and whether it fell short."""
    if report.get("outcome"):
        return _manual(report["outcome"]), False
    if report.get("by_hand"):
        return gettext("not marked: this system offers us no way to mark data as restricted"), True
    if "marked" not in report and "records" not in report:
        return gettext("processing restricted"), False
    count = int(report.get("records", 0)) + sum(int(n) for n in report.get("marked", {}).values())
    text = ngettext(
        "%(count)s record marked as restricted", "%(count)s records marked as restricted", count
    ) % {"count": count}
    if report.get("without_column"):
        text += gettext(" (some of its tables have no such mark)")
    return text, False


DESCRIBE = {"rectify": _rectified, "restrict": _restricted}


def systems(
    request: DataSubjectRequest, sources: list[DataSource], what: str, step: str = ""
) -> tuple[list[dict[str, str]], bool]:
    """Per system, what was done, in the person's language (for the reply), and whether any
    system fell short (the reply then says not everywhere)."""
    language = request.language if request.language in ("nb", "en") else "nb"
    rows = []
    short = False
    with translation.override(language):
        for source in sources:
            state = request.source_states.get(steps.state_key(source.key, step), {})
            if state.get("status") != SourceStatus.DONE:
                text, fell_short = (
                    gettext("not done yet; we will write to you again when it is"),
                    True,
                )
            else:
                text, fell_short = DESCRIBE[what](state.get("report", {}))
            short = short or fell_short
            rows.append({"system": str(source.label), "outcome": text})
    return rows, short
