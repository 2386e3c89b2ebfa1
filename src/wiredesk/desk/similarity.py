"""Duplicate detection: exact text per agency, and near-duplicates across agencies (MinHash).

Neither fingerprint is ever shown; folding case and whitespace here cannot touch the text.
Signatures are datasketch's "affine32" MinHash (crc32 of each 3-word shingle, the MurmurHash3
finalizer, then `a * h + b mod 2^32`), computed here with numpy alone so that the desk does not
import datasketch and scipy; a test checks the values are datasketch's, so stored signatures
stay comparable. The LSH index is banded like datasketch's (8 bands of 8 rows at 0.7) but keeps
one small int per band and story, and forgets stories older than the window.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import zlib
from array import array
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from wiredesk.types import Item

NUM_PERM = 64
LEAD_WORDS = 300
LEAD_CHARS = 4000
SEED = 7
# Reports of one event arrive within hours of each other; older stories are not indexed.
WINDOW = timedelta(hours=72)
_WORD = re.compile(r"\w+", re.UNICODE)
_U32 = np.uint32


def text_hash(item: Item) -> str:
    folded = " ".join(f"{item.headline}\n{item.body_text}".split()).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


def _lead_words(item: Item) -> list[str]:
    text = f"{item.headline} {item.body_text[:LEAD_CHARS]}".casefold()
    # Most leads have their 300 words in the first 2,400 characters; a word cut at that edge
    # is word 301 or later whenever more than 300 were found, so the result is the same.
    words: list[str] = _WORD.findall(text, 0, 2400)
    if len(words) <= LEAD_WORDS and len(text) > 2400:
        words = _WORD.findall(text)
    return words[:LEAD_WORDS]


def _shingles(item: Item, size: int = 3) -> set[bytes]:
    # Two agencies' reports of one event share their lead, not their tails: 300 words suffice.
    words = _lead_words(item)
    if len(words) < size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


@functools.cache
def _permutations() -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """datasketch's affine32 draws for (num_perm=64, seed=7): odd multipliers, any offsets."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=_U32) * _U32(2) + _U32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=_U32)
    return a, b


def _fmix32(h: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


def minhash(item: Item) -> list[int]:
    hashes = np.array([zlib.crc32(s) for s in _shingles(item)], dtype=_U32)
    a, b = _permutations()
    permuted = _fmix32(hashes)[:, None] * a + b
    return [int(v) for v in permuted.min(axis=0)]


@functools.cache
def bands_for(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) minimising false positives plus false negatives, as datasketch does."""
    steps = 100
    below = (np.arange(steps) + 0.5) * (threshold / steps)
    above = threshold + (np.arange(steps) + 0.5) * ((1 - threshold) / steps)
    best, best_error = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            false_positive = (1 - (1 - below**r) ** b).mean() * threshold
            false_negative = ((1 - above**r) ** b).mean() * (1 - threshold)
            error = 0.5 * float(false_positive) + 0.5 * float(false_negative)
            if error < best_error:
                best, best_error = (b, r), error
    return best


class NearDuplicates:
    """An in-memory LSH index of recent stories' signatures; O(1) to add and to query.

    Filled from the store's stored signatures once (on the first batch after start), then kept
    by the desk as it writes; entries older than the window are dropped as new ones arrive.
    """

    def __init__(self, threshold: float, window: timedelta = WINDOW) -> None:
        self.threshold = threshold
        self.bands, self.rows = bands_for(threshold)
        self.window = window
        # band key -> story id, or a list of them when several share a band.
        self._buckets: dict[int, int | list[int]] = {}
        self._known: set[int] = set()
        # Insertion order, for forgetting: when, which story, and its band keys.
        self._times = array("d")
        self._ids = array("q")
        self._keys = array("q")
        self._start = 0
        self.filled = False
        # Workers in one process share the index.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._known)

    def _band_keys(self, signature: list[int]) -> list[int]:
        r = self.rows
        return [hash((band, *signature[band * r : band * r + r])) for band in range(self.bands)]

    def add(self, story_id: int, signature: list[int], at: datetime | None = None) -> None:
        keys = self._band_keys(signature)
        stamp = (at or datetime.now(UTC)).timestamp()
        with self._lock:
            if story_id in self._known:
                return
            self._known.add(story_id)
            for key in keys:
                held = self._buckets.get(key)
                if held is None:
                    self._buckets[key] = story_id
                elif isinstance(held, list):
                    held.append(story_id)
                else:
                    self._buckets[key] = [held, story_id]
            self._times.append(stamp)
            self._ids.append(story_id)
            self._keys.extend(keys)
            self._forget_before(stamp - self.window.total_seconds())

    def add_many(self, rows: Iterable[tuple[int, list[int], datetime]]) -> None:
        for story_id, signature, at in rows:
            self.add(story_id, signature, at)

    def similar(self, signature: list[int]) -> list[int]:
        """Stories sharing at least one band with the signature (datasketch's candidates)."""
        keys = self._band_keys(signature)
        found: set[int] = set()
        with self._lock:
            for key in keys:
                held = self._buckets.get(key)
                if held is None:
                    continue
                if isinstance(held, list):
                    found.update(held)
                else:
                    found.add(held)
        return sorted(found)

    def _forget_before(self, cutoff: float) -> None:
        b = self.bands
        while self._start < len(self._ids) and self._times[self._start] < cutoff:
            story_id = self._ids[self._start]
            for key in self._keys[self._start * b : self._start * b + b]:
                held = self._buckets.get(key)
                if isinstance(held, list):
                    if story_id in held:
                        held.remove(story_id)
                    if len(held) == 1:
                        self._buckets[key] = held[0]
                elif held == story_id:
                    del self._buckets[key]
            self._known.discard(story_id)
            self._start += 1
        if self._start > 4096 and self._start * 2 > len(self._ids):
            # Drop the forgotten prefix now and then, so the arrays stay the window's size.
            self._times = self._times[self._start :]
            self._ids = self._ids[self._start :]
            self._keys = self._keys[self._start * b :]
            self._start = 0
