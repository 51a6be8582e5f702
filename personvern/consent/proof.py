"""A person's consent history as proof (GDPR Art. 7(1)): JSON for machines, HTML for people.

The proof lists every ledger event about the person in chain order with the exact text shown,
its SHA-256, the evidence and the chain hashes, so that anyone can recompute them. Each event
signed into a head carries its inclusion proof (RFC 6962 audit path) against the latest signed
head, which the proof carries too: ``scripts/verify_consent_proof.py`` checks the event, the
path and the head's signature with nothing but the proof and the published public key.
"""

from __future__ import annotations

import json
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from personvern.organisation.selectors import get_controller
from personvern.register.models import Person

from . import merkle
from .choices import Channel, ConsentAction, ConsentMethod
from .ledger import canonical_evidence, split_evidence, utc_timestamp
from .models import ConsentEvent, LedgerVerification, SignedLedgerHead
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
    head = SignedLedgerHead.objects.order_by("-tree_size", "-signed_at").first()
    paths = _inclusion(head, [e.sequence for e in events]) if head else {}
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
        "signed_head": None if head is None else head.document,
        "events": [_event(event, paths.get(event.sequence)) for event in events],
    }


def _inclusion(head: SignedLedgerHead, sequences: list[int]) -> dict[int, dict[str, Any]]:
    """The audit path of each of ``sequences`` that the head covers. The tree is rebuilt from
    the stored event hashes (one read of the first ``tree_size`` hashes) and must have the
    signed root; if it does not, the ledger changed since it was signed and no path is given
    (``personvern ledger verify --heads`` says what changed)."""
    wanted = [s for s in sequences if s <= head.tree_size]
    if not wanted:
        return {}
    hashes = list(
        ConsentEvent.objects.filter(sequence__lte=head.tree_size)
        .order_by("sequence")
        .values_list("hash", flat=True)
    )
    tree = merkle.Tree(hashes)
    if len(hashes) != head.tree_size or tree.root().hex() != head.merkle_root:
        return {}
    return {
        sequence: {
            "leaf_index": sequence - 1,
            "tree_size": head.tree_size,
            "audit_path": [node.hex() for node in tree.path(sequence - 1)],
        }
        for sequence in wanted
    }


def _event(event: ConsentEvent, inclusion: dict[str, Any] | None) -> dict[str, Any]:
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
        # The personal evidence is chained through SHA-256(salt + its compact JSON); both go
        # when its retention period is over, and the digest stays.
        "personal_salt": event.personal_salt,
        # Exactly the fields the event's hash covers (ledger.canonical): SHA-256 of this object
        # as compact JSON with sorted keys is the hash.
        "chained": _chained(event),
        "inclusion": inclusion,
    }


def _chained(event: ConsentEvent) -> dict[str, Any]:
    text = event.text
    evidence = event.evidence
    if event.personal_sha256:
        evidence = split_evidence(evidence)[1]
    chained: dict[str, Any] = {
        "sequence": event.sequence,
        "person_id": event.person_id,
        "visitor_id": event.visitor_id,
        "purpose_id": event.purpose_id,
        "channel": event.channel,
        "action": event.action,
        "method": event.method,
        "text_id": event.text_id,
        "text_sha256": text.sha256 if text else "",
        "occurred_at": utc_timestamp(event.occurred_at),
        "evidence": json.loads(canonical_evidence(evidence)),
        "actor_label": event.actor_label,
        "prev_hash": event.prev_hash,
    }
    if event.personal_sha256:
        chained["personal_sha256"] = event.personal_sha256
    return chained


# The evidence's keys as staff and the person read them (the ledger stores the keys).
EVIDENCE_LABELS: dict[str, Promise] = {
    "masked_ip": gettext_lazy("IP address (masked)"),
    "user_agent": gettext_lazy("browser"),
    "form_id": gettext_lazy("form"),
    "campaign_id": gettext_lazy("campaign"),
    "privacy_notice": gettext_lazy("privacy notice in effect"),
}


def evidence_rows(evidence: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label in the active language, value) for each piece of evidence but the notice."""
    return [
        (str(EVIDENCE_LABELS.get(key, key)), value)
        for key, value in evidence.items()
        if key != "privacy_notice"
    ]


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
                "evidence_rows": evidence_rows(event.get("evidence") or {}),
            }
            for event in proof["events"]
        ]
        return render_to_string(
            "consent/proof.html", {"proof": proof, "events": events, "language": language}
        )
