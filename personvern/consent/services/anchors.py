"""Signing the ledger's head (``anchoring.py``): at an interval through the scheduler, and on
demand with ``personvern ledger sign``."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from personvern.accounts.choices import Role
from personvern.audit.choices import AuditEventType
from personvern.audit.models import AuditHead
from personvern.audit.services import record
from personvern.core.actors import Actor

from .. import anchoring, merkle
from ..ledger import GENESIS_HASH, utc_timestamp
from ..models import ConsentEvent, LedgerHead, SignedLedgerHead

logger = logging.getLogger(__name__)
CHUNK = 50_000


def _event_hashes(tree_size: int) -> merkle.RootBuilder:
    """The Merkle root of events 1..tree_size (as far as they run without a gap), read in
    keyset-paginated chunks, or streamed with COPY on PostgreSQL (several times faster)."""
    builder = merkle.RootBuilder()
    table = ConsentEvent._meta.db_table
    if connection.vendor == "postgresql":
        query = f"SELECT sequence, hash FROM {table} WHERE sequence <= {int(tree_size)} ORDER BY sequence"  # noqa: E501, S608
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY ({query}) TO STDOUT") as copy,
        ):
            for expected, data in enumerate(copy, start=1):
                sequence, digest = bytes(data).decode().rstrip("\n").split("\t")
                if int(sequence) != expected:
                    break
                builder.add(digest)
        return builder
    sql = f"SELECT sequence, hash FROM {table} WHERE sequence > %s AND sequence <= %s ORDER BY sequence LIMIT %s"  # noqa: E501, S608
    last = 0
    with connection.cursor() as cursor:
        while last < tree_size:
            cursor.execute(sql, [last, tree_size, CHUNK])
            rows = cursor.fetchall()
            if not rows:
                return builder
            for sequence, digest in rows:
                if sequence != last + 1:
                    return builder
                builder.add(digest)
                last = sequence
    return builder


def _head_fields() -> dict[str, Any]:
    """What the ledger and the audit log are now. The heads are read first and the time taken
    then: an event beyond this head was appended after it was signed."""
    ledger = LedgerHead.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    audit = AuditHead.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    signed_at = timezone.now()
    tree_size, chain_hash = ledger or (0, GENESIS_HASH)
    builder = _event_hashes(tree_size)
    if builder.size != tree_size:
        raise anchoring.signing_refused(
            f"the ledger's head names {tree_size} events, but events 1..{builder.size} are all "
            "that are there: run personvern ledger verify"
        )
    last = ConsentEvent.objects.filter(sequence=tree_size).values_list("hash", flat=True).first()
    if tree_size and last != chain_hash:
        raise anchoring.signing_refused(
            f"the ledger's head does not match event #{tree_size}: run personvern ledger verify"
        )
    audit_size, audit_hash = audit or (0, GENESIS_HASH)
    return {
        "tree_size": tree_size,
        "chain_hash": chain_hash,
        "merkle_root": builder.root().hex(),
        "audit_size": audit_size,
        "audit_hash": audit_hash,
        "signed_at": utc_timestamp(signed_at),
    }


def _privacy_officers() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PRIVACY_OFFICER)
        .exclude(email="")
    )
    return sorted({user.email for user in users})


def _mail(document: dict[str, Any], name: str) -> int:
    """Send the head to the privacy officers, as an attachment they can keep and compare."""
    recipients = _privacy_officers()
    if not recipients:
        return 0
    head = document["head"]
    message = EmailMessage(
        subject=_("Signed head of the consent ledger: %(count)s events")
        % {"count": head["tree_size"]},
        body=_(
            "Personvern has signed the head of the consent ledger.\n\n"
            "Events: %(count)s\nLast event's hash: %(chain)s\nMerkle root: %(root)s\n"
            "Audit log entries: %(audit)s\nSigned at: %(at)s\nKey id: %(key)s\n\n"
            "Keep the attached file where the database administrator cannot change it. "
            "'personvern ledger verify --heads DIR' checks the ledger against every head "
            "kept in DIR, and shows any event rewritten, cut off or added afterwards.\n"
        )
        % {
            "count": head["tree_size"],
            "chain": head["chain_hash"],
            "root": head["merkle_root"],
            "audit": head["audit_size"],
            "at": head["signed_at"],
            "key": head["key_id"],
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach(name, json.dumps(document, indent=2, sort_keys=True), "application/json")
    message.send()
    return len(recipients)


@dataclass(frozen=True)
class Signing:
    head: SignedLedgerHead
    path: Path
    mailed_to: int


def sign_ledger_head(*, actor: Actor, output_dir: Path | None = None) -> Signing:
    """Sign the current head, keep a copy for the proofs, write it to the heads directory and
    mail it to the privacy officers. Refused before anything is written without a signing key
    or a directory to write to."""
    key = anchoring.signing_key()
    directory = output_dir or anchoring.heads_dir()
    if directory is None:
        raise anchoring.no_heads_dir()
    document = anchoring.sign(_head_fields(), key)
    head = document["head"]
    name = anchoring.file_name(head)
    with transaction.atomic():
        signed = SignedLedgerHead.objects.create(
            tree_size=head["tree_size"],
            chain_hash=head["chain_hash"],
            merkle_root=head["merkle_root"],
            signed_at=anchoring.parse_time(head["signed_at"]),
            key_id=head["key_id"],
            document=document,
            file_name=name,
        )
        detail = {"events": head["tree_size"], "audit_entries": head["audit_size"]}
        record(actor=actor, event=AuditEventType.LEDGER_HEAD_SIGNED, obj=signed, detail=detail)
        # Written before the commit: a head not kept outside the database anchors nothing.
        path = anchoring.write(document, directory)
    try:
        mailed = _mail(document, name)
    except OSError as exc:
        # The file is written; the letter is the second copy. Name the error's class only.
        logger.error("signed head %s could not be mailed (%s)", name, type(exc).__name__)
        mailed = 0
    return Signing(signed, path, mailed)
