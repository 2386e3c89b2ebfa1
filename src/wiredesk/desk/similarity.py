"""Duplicate detection: exact text per agency, and near-duplicates across agencies (MinHash).

Neither fingerprint is ever shown; folding case and whitespace here cannot touch the text.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import zlib
from datetime import timedelta
from typing import Any, Literal

from datasketch import MinHash, MinHashLSH

from wiredesk.types import Item

NUM_PERM = 64
LEAD_WORDS = 300
LEAD_CHARS = 4000
# Reports of one event arrive within hours of each other; older stories are not indexed.
WINDOW = timedelta(hours=72)
SCHEME: Literal["affine32"] = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def text_hash(item: Item) -> str:
    folded = " ".join(f"{item.headline}\n{item.body_text}".split()).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


def _shingles(item: Item, size: int = 3) -> set[bytes]:
    # Two agencies' reports of one event share their lead, not their tails: 300 words suffice.
    words = _WORD.findall(f"{item.headline} {item.body_text[:LEAD_CHARS]}".casefold())[:LEAD_WORDS]
    if len(words) < size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


@functools.cache
def _permutations() -> Any:
    # Drawing the permutations costs more than hashing a story; draw them once.
    return MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME).permutations


def minhash(item: Item) -> list[int]:
    signature = MinHash(
        num_perm=NUM_PERM, seed=7, scheme=SCHEME, hashfunc=zlib.crc32, permutations=_permutations()
    )
    signature.update_batch(list(_shingles(item)))
    return [int(v) for v in signature.hashvalues]


class NearDuplicates:
    """An in-memory LSH index of recent stories' signatures, filled lazily from the store."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._known: set[int] = set()
        self.filled = False
        # Workers in one process share the index; datasketch's LSH is not thread-safe.
        self._lock = threading.Lock()

    def add(self, story_id: int, signature: list[int]) -> None:
        with self._lock:
            if story_id in self._known:
                return
            self._lsh.insert(story_id, self._minhash(signature))
            self._known.add(story_id)

    def similar(self, signature: list[int]) -> list[int]:
        query = self._minhash(signature)
        with self._lock:
            return sorted(int(k) for k in self._lsh.query(query))

    @staticmethod
    def _minhash(signature: list[int]) -> MinHash:
        import numpy as np

        return MinHash(
            num_perm=NUM_PERM,
            seed=7,
            scheme=SCHEME,
            permutations=_permutations(),
            hashvalues=np.array(signature, dtype=np.uint64),
        )
