"""Sending portability data straight to another controller (GDPR Art. 20(2)), with retries.

Each attempt is one POST (``rights.delivery.post_json``) made outside any transaction, then
recorded at once on the locked request (``result["delivery_attempts"]``) with a timeline
entry. A job that dies between attempts is rerun and goes on from the attempts recorded, so
the person never gets more than ``RIGHTS_DELIVERY_ATTEMPTS`` attempts in all. Between attempts
the job waits with exponential back-off (tenacity). The outcome goes into
``result["delivery"]``: delivered (a 2xx answer), or failed with what the last attempt met;
either way the fulfilment then sends the single-use download link."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from tenacity import RetryCallState, Retrying, retry_if_result, stop_after_attempt
from tenacity.wait import wait_exponential

from personvern.core.actors import Actor

from .. import config
from ..choices import DeliveryError, EventKind
from ..delivery import post_json
from .common import lock
from .events import log

# The longest wait between two attempts, however many are configured.
MAX_BACKOFF_SECONDS = 300


def deliver(*, request_id: int, actor: Actor, url: str, document: dict[str, Any]) -> dict[str, Any]:
    """Try the POST until it is answered with 2xx, the address is refused, or the configured
    attempts are spent; record and return the outcome (``result["delivery"]``)."""
    with transaction.atomic():
        done = len(lock(request_id).result.get("delivery_attempts", []))
    remaining = config.delivery_attempts() - done
    if remaining > 0:
        backoff = config.delivery_backoff_seconds()
        retrying = Retrying(
            stop=stop_after_attempt(remaining),
            wait=wait_exponential(multiplier=backoff, min=backoff, max=MAX_BACKOFF_SECONDS),
            retry=retry_if_result(_worth_another_attempt),
            retry_error_callback=_last_result,
            reraise=True,
        )
        retrying(_attempt, request_id, actor, url, document)
    return _conclude(request_id, actor)


def _worth_another_attempt(receipt: dict[str, Any]) -> bool:
    return not _delivered(receipt) and receipt["error"] not in DeliveryError.final()


def _last_result(state: RetryCallState) -> Any:
    assert state.outcome is not None  # noqa: S101 - called after an attempt
    return state.outcome.result()


def _delivered(receipt: dict[str, Any]) -> bool:
    return 200 <= int(receipt["status"]) < 300


def _attempt(request_id: int, actor: Actor, url: str, document: dict[str, Any]) -> dict[str, Any]:
    receipt = post_json(url, document).as_json()
    with transaction.atomic():
        request = lock(request_id)
        attempts = [*request.result.get("delivery_attempts", []), receipt]
        request.result = {**request.result, "delivery_attempts": attempts}
        request.save(update_fields=["result"])
        if not _delivered(receipt):
            log(
                request=request,
                kind=EventKind.DELIVERY_ATTEMPT_FAILED,
                actor=actor,
                detail={
                    "attempt": len(attempts),
                    "status": receipt["status"],
                    "error": receipt["error"],
                },
            )
    return receipt


def _conclude(request_id: int, actor: Actor) -> dict[str, Any]:
    """The outcome from the attempts recorded: the last receipt, how many attempts were made,
    and whether the data arrived. Written once (a rerun finds it and sends the letter)."""
    with transaction.atomic():
        request = lock(request_id)
        if "delivery" in request.result:
            return dict(request.result["delivery"])
        attempts = request.result.get("delivery_attempts", [])
        last = attempts[-1]
        outcome = {
            **last,
            "delivered": _delivered(last),
            "attempts": len(attempts),
            "first_sent_at": attempts[0]["sent_at"],
        }
        request.result = {**request.result, "delivery": outcome}
        request.save(update_fields=["result"])
        summary = {k: outcome[k] for k in ("status", "error", "attempts", "sha256", "size")}
        if outcome["delivered"]:
            log(
                request=request,
                kind=EventKind.DELIVERED,
                actor=actor,
                detail={**summary, "sent_at": outcome["sent_at"]},
            )
        else:
            log(request=request, kind=EventKind.DELIVERY_FAILED, actor=actor, detail=summary)
        return outcome
