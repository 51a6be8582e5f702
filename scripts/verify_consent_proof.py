#!/usr/bin/env python3
"""Check a person's consent proof without Personvern and without its database.

    python3 verify_consent_proof.py proof-42.json --public-key ledger-public.pem \
        [--head head-000000001234-….json]

Needs Python 3.11 and the ``cryptography`` package only. For every event in the proof that a
signed head covers, it checks that:

1. the event's hash is the SHA-256 of its chained fields (compact JSON, sorted keys), and the
   fields shown (action, channel, method, recorded by, text) are those chained fields;
2. the text shown has the SHA-256 the event is chained to;
3. the RFC 6962 inclusion proof leads from the event to the Merkle root of the signed head;
4. the signed head is signed by the Ed25519 key given (the key the controller publishes:
   ``personvern ledger public-key``). ``--head`` checks against a copy of the head kept
   elsewhere (a file from the heads directory or from the privacy officer's mail) instead of
   the copy inside the proof; the two must name the same tree size.

Prints one line per event and exits 0 only if every event and the head check out.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def compact(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_path(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2: recompute the root from a leaf hash and its audit path."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    fn, sn, digest = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            raise ValueError("audit path too long")
        if fn & 1 or fn == sn:
            digest = node(sibling, digest)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            digest = node(digest, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("audit path too short")
    return digest


def check_head(document: dict[str, Any], key: Ed25519PublicKey) -> dict[str, Any]:
    head = document["head"]
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if head.get("key_id") != hashlib.sha256(raw).hexdigest()[:16]:
        raise ValueError("the head names another key")
    try:
        key.verify(base64.b64decode(document["signature"]), compact(head))
    except InvalidSignature as exc:
        raise ValueError("the head's signature does not verify") from exc
    return dict(head)


PERSONAL_EVIDENCE = ("masked_ip", "user_agent")


def _evidence_matches(event: dict[str, Any], chained: dict[str, Any]) -> bool:
    """The evidence shown is the chained one. Newer events chain the personal parts (masked
    IP address, browser) as SHA-256(salt + their compact JSON); once their retention period
    is over they and the salt are gone and only the digest is left."""
    if "personal_sha256" not in chained:
        return bool(event["evidence"] == chained["evidence"])
    evidence = event["evidence"]
    personal = {k: v for k, v in evidence.items() if k in PERSONAL_EVIDENCE}
    rest = {k: v for k, v in evidence.items() if k not in PERSONAL_EVIDENCE}
    if rest != chained["evidence"]:
        return False
    salt = event.get("personal_salt", "")
    if not salt and not personal:
        return True  # removed after its retention period: the digest stays in the chain
    text = salt + (compact(personal).decode() if personal else "{}")
    return hashlib.sha256(text.encode()).hexdigest() == chained["personal_sha256"]


def check_event(event: dict[str, Any], head: dict[str, Any]) -> str:
    chained = event["chained"]
    digest = hashlib.sha256(compact(chained)).hexdigest()
    if digest != event["hash"]:
        raise ValueError("the event's fields do not give its hash")
    shown = {"action": "action", "channel": "channel", "method": "method",
             "recorded_by": "actor_label", "prev_hash": "prev_hash"}  # fmt: skip
    for field, name in shown.items():
        if event[field] != chained[name]:
            raise ValueError(f"'{field}' shown is not the chained one")
    if event["sequence"] != chained["sequence"] or not _evidence_matches(event, chained):
        raise ValueError("sequence or evidence shown is not the chained one")
    text = event.get("text")
    if text is not None and (
        hashlib.sha256(text["text"].encode()).hexdigest() != chained["text_sha256"]
    ):
        raise ValueError("the text shown is not the one the event is chained to")
    inclusion = event.get("inclusion")
    if inclusion is None:
        return "not yet in a signed head (appended after it); check a later proof"
    if inclusion["tree_size"] != head["tree_size"]:
        raise ValueError("the inclusion proof is for another tree size")
    if inclusion["leaf_index"] != chained["sequence"] - 1:
        raise ValueError("the inclusion proof is for another event")
    leaf = hashlib.sha256(b"\x00" + bytes.fromhex(digest)).digest()
    path = [bytes.fromhex(h) for h in inclusion["audit_path"]]
    root = root_from_path(inclusion["leaf_index"], inclusion["tree_size"], leaf, path)
    if root.hex() != head["merkle_root"]:
        raise ValueError("the inclusion proof does not lead to the signed root")
    return f"included in the signed head of {head['tree_size']} events"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("proof", type=Path)
    parser.add_argument("--public-key", type=Path, required=True)
    parser.add_argument("--head", type=Path, help="A signed head kept outside the proof.")
    args = parser.parse_args(argv)
    proof = json.loads(args.proof.read_text(encoding="utf-8"))
    key = serialization.load_pem_public_key(args.public_key.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        print("FAILED: the public key is not Ed25519")
        return 1
    document = proof.get("signed_head")
    if args.head is not None:
        document = json.loads(args.head.read_text(encoding="utf-8"))
    if document is None:
        print("FAILED: the proof carries no signed head; give one with --head")
        return 1
    try:
        head = check_head(document, key)
    except (ValueError, KeyError) as exc:
        print(f"FAILED: signed head: {exc}")
        return 1
    print(f"signed head: {head['tree_size']} events, root {head['merkle_root']}, "
          f"signed {head['signed_at']} by key {head['key_id']}")  # fmt: skip
    failed, included = 0, 0
    for event in proof["events"]:
        try:
            outcome = check_event(event, head)
            included += outcome.startswith("included")
            print(f"event #{event['sequence']}: ok, {outcome}")
        except (ValueError, KeyError, TypeError) as exc:
            failed += 1
            print(f"event #{event.get('sequence')}: FAILED: {exc}")
    if failed or not included:
        print("FAILED" if failed else "FAILED: no event is in the signed head")
        return 1
    print(f"ok: {included} of {len(proof['events'])} events proven against the signed head")
    return 0


if __name__ == "__main__":
    sys.exit(main())
