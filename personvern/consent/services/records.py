"""What surrounds the ledger: published texts, the suppression and reservation lists, the
audit of campaign checks and the record of full verifications. These staff operations are in
the audit log."""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.audit.verification import verify as verify_audit
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person

from .. import anchoring, keys, ledger
from ..choices import (
    ConsentErrorCode,
    ReservationSource,
    TextKind,
)
from ..models import (
    ConsentState,
    ConsentText,
    LedgerVerification,
    ReservationImport,
    SuppressionEntry,
    TelemarketingReservation,
)
from ..verification import VerifyResult, verify


@transaction.atomic
def publish_text(
    *,
    actor: Actor,
    kind: str,
    slug: str,
    language: str,
    title: str,
    text: str,
    effective_from: datetime.datetime | None = None,
) -> ConsentText:
    """Store a new version of a text. Earlier versions stay, unchanged, for the consents that
    point at them."""
    errors: list[FieldError] = []
    if kind not in TextKind.values:
        errors.append(
            FieldError("kind", ConsentErrorCode.INVALID_ACTION, _("Select a valid kind."))
        )
    if language not in ("nb", "en"):
        errors.append(FieldError("language", ConsentErrorCode.TEXT_LANGUAGE, _("Use nb or en.")))
    for name, value in (("slug", slug), ("title", title), ("text", text)):
        if not value.strip():
            errors.append(FieldError(name, CoreErrorCode.REQUIRED, _("This field is required.")))
    collect(errors)
    latest = ConsentText.objects.filter(kind=kind, slug=slug, language=language).aggregate(
        v=Max("version")
    )["v"]
    try:
        with transaction.atomic():
            published = ConsentText.objects.create(
                kind=kind,
                slug=slug.strip(),
                language=language,
                version=(latest or 0) + 1,
                title=title.strip(),
                text=text,
                sha256=ledger.text_digest(text),
                effective_from=effective_from or timezone.now(),
            )
    except IntegrityError as exc:  # published concurrently: the caller may retry
        raise DomainError(
            code=ConsentErrorCode.DUPLICATE_TEXT_VERSION,
            message=_("This version was published at the same moment; try again."),
            field="slug",
        ) from exc
    record(actor=actor, event=AuditEventType.CONSENT_TEXT_PUBLISHED, obj=published, fields=["text"])
    return published


# Reading who may be contacted


def log_campaign_check(
    *,
    actor: Actor,
    addresses: int,
    subject_ids: Iterable[int],
    purpose: ProcessingActivity,
    channel: str,
    via: str,
) -> None:
    """A campaign check shows whether each address's people may be contacted, and why not: one
    audit entry for the run with the number of addresses and the ids of the people they
    belong to, never the addresses."""
    ids = sorted(set(subject_ids))
    record(
        actor=actor,
        event=AuditEventType.CAMPAIGN_CHECKED,
        object_type=ConsentState._meta.label_lower,
        detail={
            "via": via,
            "purpose_id": purpose.pk,
            "channel": channel,
            "addresses": addresses,
            "subjects": len(ids),
            "subject_ids": ids,
        },
    )


# The ledger


def suppress_person(*, person: Person, reason: str) -> list[str]:
    """Add the person's e-mail and phone, as keyed hashes, to the suppression list (also used
    when a person is erased). Returns the kinds added."""
    added = []
    for kind, value, digest in (
        (SuppressionEntry.Kind.EMAIL, person.email, keys.try_email_digest),
        (SuppressionEntry.Kind.PHONE, person.phone, keys.try_phone_digest),
    ):
        hashed = digest(value) if value else None
        if hashed:
            SuppressionEntry.objects.get_or_create(
                kind=kind, digest=hashed, defaults={"reason": reason}
            )
            added.append(str(kind))
    return added


@transaction.atomic
def import_reservations(
    *, actor: Actor, numbers: Iterable[str], source: str = ReservationSource.REGISTRY
) -> dict[str, int]:
    """Telemarketing reservations, kept as hashes. From Reservasjonsregisteret the numbers are
    the whole list as it stands: a number no longer on it has left the register and is
    removed, and the import is recorded (a phone campaign needs one from this month). Numbers
    reserved directly with us are only ever added."""
    if source not in ReservationSource.values:
        raise DomainError(
            code=ConsentErrorCode.INVALID_METHOD,
            message=_("Select registry or direct."),
            field="source",
        )
    hashed = [keys.try_phone_digest(number) for number in numbers]
    digests = {d for d in hashed if d}
    invalid = sum(1 for d in hashed if d is None)
    existing = set(
        TelemarketingReservation.objects.filter(digest__in=digests, source=source).values_list(
            "digest", flat=True
        )
    )
    new = [TelemarketingReservation(digest=d, source=source) for d in digests - existing]
    TelemarketingReservation.objects.bulk_create(new, batch_size=2000)
    counts = {"added": len(new), "already": len(existing), "invalid": invalid}
    if source == ReservationSource.REGISTRY:
        registered = TelemarketingReservation.objects.filter(source=source)
        left = sorted(set(registered.values_list("digest", flat=True)) - digests)
        # In chunks: a database takes only so many parameters in one statement.
        for start in range(0, len(left), 500):
            registered.filter(digest__in=left[start : start + 500]).delete()
        counts["removed"] = len(left)
        ReservationImport.objects.create(
            numbers=len(digests),
            added=len(new),
            removed=counts["removed"],
            actor_label=actor.label[:150],
        )
    record(actor=actor, event=AuditEventType.RESERVATIONS_IMPORTED,
           object_type="consent.telemarketingreservation",
           detail={**counts, "source": source})  # fmt: skip
    return counts


@transaction.atomic
def record_verification(
    *,
    actor: Actor,
    result: VerifyResult,
    started_at: datetime.datetime,
    duration: datetime.timedelta,
) -> LedgerVerification:
    """Keep the outcome of a full verification of the ledger, for the proofs to show."""
    verification = LedgerVerification.objects.create(
        verified_at=started_at,
        ok=result.ok,
        event_count=result.count,
        first_broken_sequence=result.first_broken_sequence,
        problem=result.problem[:100],
        duration=duration,
        heads_checked=result.heads_checked,
        findings=list(result.findings),
    )
    record(actor=actor, event=AuditEventType.LEDGER_VERIFIED, obj=verification,
           detail={"ok": result.ok, "events": result.count, "heads": result.heads_checked,
                   "findings": len(result.findings)})  # fmt: skip
    return verification


def verify_ledger(
    *,
    actor: Actor,
    heads_dir: Path | None = None,
    public_key: Ed25519PublicKey | None = None,
) -> LedgerVerification:
    """Recompute the whole chain and keep the outcome: ``personvern ledger verify`` and the
    nightly job, so that every proof can show a recent full verification. The chain is checked
    against the signed heads in ``heads_dir`` (by default the configured directory, when there
    is one and a key to trust), with ``public_key`` or the configured signing key's. The
    verification itself holds no transaction (it reads a million rows); only its record is
    written."""
    heads = _signed_heads(heads_dir, public_key)
    started_at, started = timezone.now(), time.perf_counter()
    result = verify(heads=heads)
    if heads:
        audit = _audit_against_heads(heads)
        if audit:
            result = dataclasses.replace(
                result, ok=False, findings=result.findings + tuple(audit),
                first_broken_sequence=result.first_broken_sequence if not result.ok else None,
                problem=result.problem if not result.ok else audit[0]["kind"],
            )  # fmt: skip
    duration = datetime.timedelta(seconds=time.perf_counter() - started)
    return record_verification(actor=actor, result=result, started_at=started_at,
                               duration=duration)  # fmt: skip


def _audit_against_heads(heads: list[anchoring.SignedHead]) -> list[dict[str, Any]]:
    """The audit log's chain, and its size and last hash at each signed head: a deleted,
    edited or cut-off entry is named even when the chain was recomputed around it."""
    valid = sorted((h for h in heads if h.signature_ok), key=lambda h: h.audit_size)
    result = verify_audit(frozenset(h.audit_size for h in valid))
    findings: list[dict[str, Any]] = []
    if not result.ok:
        findings.append({"kind": "audit_chain", "sequence": None, "message": (
            f"audit log: entry #{result.first_broken_sequence}: {result.problem}"
        )})  # fmt: skip
        return findings
    hashes = result.hashes_at or {}
    for head in valid:
        label = f"the head signed {ledger.utc_timestamp(head.signed_at)} ({head.name})"
        if head.audit_size > result.count:
            findings.append({"kind": "audit_truncation", "sequence": None, "message": (
                f"audit log truncation: entries #{result.count + 1} to #{head.audit_size} are "
                f"missing; {label} covers {head.audit_size} entries"
            )})  # fmt: skip
            break
        stored = hashes.get(head.audit_size) if head.audit_size else ledger.GENESIS_HASH
        if stored != head.audit_hash:
            findings.append({"kind": "audit_rewrite", "sequence": None, "message": (
                f"audit log rewrite: entry #{head.audit_size} is not the one {label} covers"
            )})  # fmt: skip
            break
    return findings


def _signed_heads(
    directory: Path | None, public_key: Ed25519PublicKey | None
) -> list[anchoring.SignedHead]:
    explicit = directory is not None
    directory = directory or anchoring.heads_dir()
    if directory is None or not (explicit or directory.is_dir()):
        return []
    if public_key is None:
        if not explicit and not anchoring.has_signing_key():
            return []
        public_key = anchoring.signing_key().public_key()
    if not directory.is_dir():
        raise anchoring.no_heads_dir()
    return anchoring.read_heads(directory, public_key)
