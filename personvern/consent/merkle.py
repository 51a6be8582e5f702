"""A Merkle tree over the ledger's events, as RFC 6962 (Certificate Transparency) defines it.

The leaves are the events' chain hashes, in sequence order: leaf ``i`` (from 0) is event
``i + 1``. A leaf's hash is SHA-256(0x00 || event hash), an inner node's SHA-256(0x01 || left ||
right), and a tree of ``n`` leaves splits at the largest power of two below ``n`` (RFC 6962 §2.1).
A signed head names the root of the first ``n`` events; an inclusion proof (the audit path,
§2.1.1) lets anyone holding one event and the signed head check that the event is in the ledger
without reading the ledger. ``scripts/verify_consent_proof.py`` checks such a proof on its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(event_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(event_hash)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class RootBuilder:
    """The root of a tree fed one leaf at a time, in memory of log2(n) hashes: a stack of the
    perfect subtrees so far (a binary counter), folded from the right at the end."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), heights strictly falling

    def add(self, event_hash: str) -> None:
        self.add_subtree(0, leaf_hash(event_hash))

    def add_subtree(self, height: int, digest: bytes) -> None:
        """Add a perfect subtree of 2**height leaves; the size so far must be a multiple of it."""
        self.size += 1 << height
        stack = self._stack
        while stack and stack[-1][0] == height:
            digest = node_hash(stack.pop()[1], digest)
            height += 1
        stack.append((height, digest))

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        digest = self._stack[-1][1]
        for _height, left in reversed(self._stack[:-1]):
            digest = node_hash(left, digest)
        return digest


def root(event_hashes: Iterable[str]) -> bytes:
    builder = RootBuilder()
    for event_hash in event_hashes:
        builder.add(event_hash)
    return builder.root()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """All levels of a tree in memory (32 bytes per node, in flat byte strings), so that the
    audit paths of any number of leaves cost one pass over the leaves."""

    def __init__(self, event_hashes: Sequence[str]) -> None:
        self.size = len(event_hashes)
        level = b"".join(leaf_hash(h) for h in event_hashes)
        self._levels = [level]
        while len(level) >= 64:
            level = b"".join(
                node_hash(level[i : i + 32], level[i + 32 : i + 64])
                for i in range(0, len(level) - 63, 64)
            )
            self._levels.append(level)

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH of leaves [start, end)."""
        n = end - start
        if n == 0:
            return EMPTY_ROOT
        height = n.bit_length() - 1
        if n == 1 << height and start % n == 0:
            index = start >> height
            return self._levels[height][index * 32 : index * 32 + 32]
        k = _split(n)
        return node_hash(self._subtree(start, start + k), self._subtree(start + k, end))

    def root(self) -> bytes:
        return self._subtree(0, self.size)

    def path(self, index: int) -> list[bytes]:
        """The audit path of leaf ``index`` (RFC 6962 §2.1.1), from the leaf upwards."""
        if not 0 <= index < self.size:
            raise IndexError(index)
        path: list[bytes] = []
        start, end = 0, self.size
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self._subtree(start + k, end))
                end = start + k
            else:
                path.append(self._subtree(start, start + k))
                start += k
        path.reverse()
        return path


def root_from_path(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """Recompute the root from a leaf and its audit path (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size:
        raise ValueError("leaf index outside the tree")
    fn, sn, digest = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            raise ValueError("audit path too long")
        if fn & 1 or fn == sn:
            digest = node_hash(sibling, digest)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            digest = node_hash(digest, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("audit path too short")
    return digest
