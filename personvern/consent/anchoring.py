"""Signed heads: the ledger anchored outside the database.

Whoever runs the database can rewrite the chain from any event onward, cut off its tail or add
events, and fix the head row; the chain alone still verifies. A signed head holds what the
ledger was at one moment — its size, the last event's chain hash, the Merkle root of its events
(RFC 6962) and the audit log's size and last hash — signed with an Ed25519 key that is never in
the database. Heads are written to a directory the operator chooses (one file each, never
overwritten) and mailed to the privacy officers; a copy on another machine is a ``rsync`` of
that directory. ``personvern ledger verify --heads DIR`` checks the ledger against every head.

The signed bytes are the head's fields as compact JSON with sorted keys, so a short script with
only the standard library and ``cryptography`` checks a head (``scripts/verify_consent_proof.py``).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from personvern.core.errors import DomainError, ErrorCode

HEAD_FORMAT = "personvern-signed-head/1"


class AnchoringErrorCode(ErrorCode):
    NO_SIGNING_KEY = "no_signing_key"
    BAD_SIGNING_KEY = "bad_signing_key"
    NO_HEADS_DIR = "no_heads_dir"
    SIGNING_REFUSED = "signing_refused"


def _error(code: AnchoringErrorCode, message: str) -> DomainError:
    return DomainError(code=code, status=409, message=message)


def no_heads_dir() -> DomainError:
    return _error(AnchoringErrorCode.NO_HEADS_DIR, "PERSONVERN_LEDGER_HEADS_DIR is not set.")


def signing_refused(reason: str) -> DomainError:
    return _error(AnchoringErrorCode.SIGNING_REFUSED, f"Not signed: {reason}.")


def parse_time(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def load_private_key(value: str) -> Ed25519PrivateKey:
    """``value`` is a PEM (PKCS#8) Ed25519 private key, or the path of a file holding one."""
    value = value.strip()
    pem = value.encode() if value.startswith("-----BEGIN") else Path(value).read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise _error(AnchoringErrorCode.BAD_SIGNING_KEY, "The ledger signing key is not Ed25519.")
    return key


@cache
def _configured_key(value: str) -> Ed25519PrivateKey:
    try:
        return load_private_key(value)
    except (OSError, ValueError) as exc:
        raise _error(
            AnchoringErrorCode.BAD_SIGNING_KEY,
            f"PERSONVERN_LEDGER_SIGNING_KEY cannot be read ({type(exc).__name__}).",
        ) from exc


def signing_key() -> Ed25519PrivateKey:
    value: str = getattr(settings, "PERSONVERN_LEDGER_SIGNING_KEY", "")
    if not value:
        raise _error(AnchoringErrorCode.NO_SIGNING_KEY, "PERSONVERN_LEDGER_SIGNING_KEY is not set.")
    return _configured_key(value)


def has_signing_key() -> bool:
    return bool(getattr(settings, "PERSONVERN_LEDGER_SIGNING_KEY", ""))


def heads_dir() -> Path | None:
    value: str = getattr(settings, "PERSONVERN_LEDGER_HEADS_DIR", "")
    return Path(value) if value else None


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key."""
    return hashlib.sha256(raw_public_key(key)).hexdigest()[:16]


def canonical_head(head: dict[str, Any]) -> bytes:
    return json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class SignedHead:
    """One signed head as read back from its file (``signature_ok`` against the trusted key)."""

    name: str
    tree_size: int
    chain_hash: str
    merkle_root: str
    audit_size: int
    audit_hash: str
    signed_at: datetime.datetime
    key_id: str
    signature_ok: bool
    document: dict[str, Any]


def sign(fields: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The head document: the fields (with format and key id) and their signature."""
    public = key.public_key()
    head = {"format": HEAD_FORMAT, **fields, "key_id": key_id(public)}
    return {
        "head": head,
        "signature": base64.b64encode(key.sign(canonical_head(head))).decode(),
        "public_key": base64.b64encode(raw_public_key(public)).decode(),
    }


def file_name(head: dict[str, Any]) -> str:
    stamp = head["signed_at"].replace("-", "").replace(":", "").replace(".", "")
    return f"head-{int(head['tree_size']):012d}-{stamp}.json"


def write(document: dict[str, Any], directory: Path) -> Path:
    """Write the document as a new file; an existing file is never overwritten."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name(document["head"])
    data = json.dumps(document, indent=2, sort_keys=True).encode() + b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def check(document: dict[str, Any], trusted: Ed25519PublicKey, name: str = "") -> SignedHead:
    """Read a head document and check its signature against the trusted key (never against
    the key the document carries: anyone can sign with a key of their own)."""
    head = document["head"]
    try:
        trusted.verify(base64.b64decode(document["signature"]), canonical_head(head))
        ok = head.get("key_id") == key_id(trusted) and head.get("format") == HEAD_FORMAT
    except (InvalidSignature, ValueError):
        ok = False
    return SignedHead(
        name=name,
        tree_size=int(head["tree_size"]),
        chain_hash=str(head["chain_hash"]),
        merkle_root=str(head["merkle_root"]),
        audit_size=int(head.get("audit_size", 0)),
        audit_hash=str(head.get("audit_hash", "")),
        signed_at=parse_time(head["signed_at"]),
        key_id=str(head.get("key_id", "")),
        signature_ok=ok,
        document=document,
    )


def read_heads(directory: Path, trusted: Ed25519PublicKey) -> list[SignedHead]:
    """Every head file in ``directory``, by tree size then time."""
    heads = []
    for path in sorted(directory.glob("head-*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            heads.append(check(document, trusted, path.name))
        except (ValueError, KeyError, TypeError):
            never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
            heads.append(SignedHead(path.name, 0, "", "", 0, "", never, "", False, {}))
    return sorted(heads, key=lambda h: (h.tree_size, h.signed_at))
