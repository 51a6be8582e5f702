"""A person's consent history as proof (GDPR Art. 7(1)): JSON for machines, HTML for people.

The proof lists every ledger event about the person in chain order with the exact text shown,
its SHA-256, the evidence and the chain hashes, so that anyone can recompute them.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from personvern.organisation.selectors import get_controller
from personvern.register.models import Person

from .choices import Channel, ConsentAction, ConsentMethod
from .models import ConsentEvent, LedgerVerification
from .verification import verify_person


def build_proof(person: Person) -> dict[str, Any]:
    """The proof verifies the person's own events (their hashes and their links to the events
    around them) and names the last full verification of the ledger, which ``personvern
    ledger verify`` records: the whole chain is never read in a request."""
    events = (
        ConsentEvent.objects.filter(person_id=person.pk)
        .select_related("text", "purpose")
        .order_by("sequence")
    )
    checked = verify_person(person.pk)
    last = LedgerVerification.objects.order_by("-verified_at", "-pk").first()
    controller = get_controller()
    return {
        "generated_at": timezone.now().isoformat(),
        "controller": controller.legal_name if controller else "",
        "person": {"id": person.pk, "name": str(person)},
        "chain": {
            "verified": checked.ok,
            "scope": "person",
            "events_verified": checked.count,
            "first_broken_sequence": checked.first_broken_sequence,
            "problem": checked.problem,
            "last_full_verification": None
            if last is None
            else {
                "at": last.verified_at.isoformat(),
                "ok": last.ok,
                "events": last.event_count,
                "first_broken_sequence": last.first_broken_sequence,
            },
        },
        "events": [_event(event) for event in events],
    }


def _event(event: ConsentEvent) -> dict[str, Any]:
    text = event.text
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.isoformat(),
        "purpose": event.purpose.name if event.purpose else None,
        "channel": event.channel,
        "action": event.action,
        "method": event.method,
        "recorded_by": event.actor_label,
        "evidence": event.evidence,
        "text": None
        if text is None
        else {
            "slug": text.slug,
            "version": text.version,
            "language": text.language,
            "title": text.title,
            "text": text.text,
            "sha256": text.sha256,
        },
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def render_proof_html(proof: dict[str, Any], *, language: str) -> str:
    """The readable page, in Norwegian bokmål or English."""
    labels = {
        "action": dict(ConsentAction.choices),
        "method": dict(ConsentMethod.choices),
        "channel": dict(Channel.choices),
    }
    with translation.override(language):
        events = [
            {
                **event,
                "action_label": str(labels["action"].get(event["action"], event["action"])),
                "method_label": str(labels["method"].get(event["method"], event["method"])),
                "channel_label": str(labels["channel"].get(event["channel"], event["channel"])),
            }
            for event in proof["events"]
        ]
        return render_to_string(
            "consent/proof.html", {"proof": proof, "events": events, "language": language}
        )
