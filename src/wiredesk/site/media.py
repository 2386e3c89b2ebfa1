"""/media/<sha256>/<width>.<ext>: the agency's pictures in the sizes pages ask for.

Renditions are made lazily, on the first request for each size, and kept on disk: most wire
pictures are never viewed, and making eight of each at ingest would take the worker's CPU
for pictures no page shows. The address names the bytes, so a rendition never changes and
is cached for a year; whether it may be served is asked of the store under the same rule as
the pages (a killed story's pictures answer 410, an embargoed one's 404), and remembered only
until the page cache hears of a change. The bytes stay out of the page cache.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from wiredesk import images
from wiredesk.site.cache import PageCache
from wiredesk.store import MediaState, ShownPicture, Store

log = logging.getLogger(__name__)
IMMUTABLE = "public, max-age=31536000, immutable"
# The widths the layout gives pictures (style.css): the front's lead is two thirds of a 76rem
# page from 56rem up; a grid card's picture is its card, one column on a phone.
SIZES_LEAD = "(min-width: 76rem) 50rem, (min-width: 56rem) 66vw, 100vw"
SIZES_THUMB = "(min-width: 56rem) 18rem, (min-width: 34rem) 50vw, 100vw"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^(\d{1,5})\.(jpg|webp)$")


def media_url(picture: ShownPicture, width: int, extension: str = "jpg") -> str:
    return f"/media/{picture.sha256}/{width}.{extension}"


def renditions(picture: ShownPicture) -> list[str]:
    """Every address the site serves the picture at."""
    return [
        media_url(picture, w, e) for w in images.widths(picture.width) for e in images.EXTENSIONS
    ]


def srcset(picture: ShownPicture, extension: str) -> str:
    """Every rendition of the picture: a static crawler finds them all in the page."""
    return ", ".join(
        f"{media_url(picture, w, extension)} {w}w" for w in images.widths(picture.width)
    )


def share_url(picture: ShownPicture) -> str:
    """The rendition for Open Graph, JSON-LD and feeds: 1024 wide, or the original if smaller."""
    return media_url(picture, images.share_width(picture.width))


def share_height(picture: ShownPicture) -> int:
    return round(picture.height * images.share_width(picture.width) / picture.width)


# Decodes at once in a process: each holds a whole decoded original (up to the pixel limit,
# 3 bytes a pixel), so this bounds the memory renditions take.
DECODES_AT_ONCE = 2
_FAILED_KEPT = 10_000


class Renditions:
    """Rendition files on disk, each made once, by one thread, and written atomically; the
    most requested kept in memory too (up to `memory_bytes`), so a busy picture costs no
    file read. One decode at a time per picture and DECODES_AT_ONCE in all; a rendition that
    cannot be made is remembered, so it is not decoded again on every request."""

    def __init__(self, store: Store, root: Path, memory_bytes: int = 64 * 1024 * 1024) -> None:
        self.store = store
        self.root = root
        self.memory_bytes = memory_bytes
        self._held: OrderedDict[tuple[str, int, str], bytes] = OrderedDict()
        self._held_bytes = 0
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._decoding = threading.BoundedSemaphore(DECODES_AT_ONCE)
        self.failed: dict[tuple[str, int, str], str] = {}
        self.made = 0

    def held(self, sha256: str, width: int, extension: str) -> bytes | None:
        key = (sha256, width, extension)
        data = self._held.get(key)
        if data is not None:
            self._held.move_to_end(key)
        return data

    def load(self, sha256: str, width: int, extension: str) -> bytes:
        data = self.path(sha256, width, extension).read_bytes()
        with self._guard:
            key = (sha256, width, extension)
            if key not in self._held:
                self._held[key] = data
                self._held_bytes += len(data)
            while self._held_bytes > self.memory_bytes and self._held:
                _key, dropped = self._held.popitem(last=False)
                self._held_bytes -= len(dropped)
        return data

    def path(self, sha256: str, width: int, extension: str) -> Path:
        """The rendition's file, made now if need be; BadPicture when it cannot be made."""
        target = self.root / sha256[:2] / sha256 / f"{width}.{extension}"
        if target.exists():
            return target
        key = (sha256, width, extension)
        with self._guard:
            lock = self._locks.setdefault(sha256, threading.Lock())
        with lock:
            reason = self.failed.get(key)
            if reason is not None:
                raise images.BadPicture(reason)
            if not target.exists():
                with self._decoding:
                    try:
                        data = images.render(self.store.archive.get(sha256), width, extension)
                    except images.BadPicture as exc:
                        if len(self.failed) >= _FAILED_KEPT:
                            self.failed.clear()
                        self.failed[key] = str(exc)
                        log.error("picture %s: %s", sha256, exc)
                        raise
                    self.made += 1
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".rendition-")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
        with self._guard:
            self._locks.pop(sha256, None)
        return target


def media_routes(
    store: Store,
    root: Path,
    now: Callable[[], datetime],
    pages: PageCache,
    refuse: Callable[[Request, int], Response],
) -> list[Route]:
    """The rendition route; `refuse` answers 404 and 410 as the site's pages do (the same
    withdrawal notice a static export keeps for every withdrawn address)."""
    renditions = Renditions(store, root)
    # Whether bytes may be served, remembered until anything a page shows changes: the page
    # cache's generation moves with every change it hears (a kill, a picture's arrival or
    # withdrawal, an embargo lifting), so a kill answers 410 on the next request, as pages do.
    decided: dict[str, tuple[float, MediaState, int]] = {}
    seen = [-1]

    def decide(sha256: str) -> tuple[MediaState, int]:
        if not pages.enabled:
            return store.media(sha256, now())
        pages.refresh()
        if pages.generation != seen[0]:
            decided.clear()
            seen[0] = pages.generation
        moment = time.monotonic()
        known = decided.get(sha256)
        if known is not None and known[0] > moment:
            return known[1], known[2]
        state, width = store.media(sha256, now())
        if len(decided) > 10_000:
            decided.clear()
        decided[sha256] = (moment + pages.max_age, state, width)
        return state, width

    def refused(request: Request, status: int) -> Response:
        # An embargoed picture's 404 must not outlive its embargo in anyone's cache.
        response = refuse(request, status)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def media(request: Request) -> Response:
        sha256 = request.path_params["sha256"]
        name = _NAME.match(request.path_params["name"])
        if not _SHA256.match(sha256) or name is None:
            return refused(request, 404)
        state, original = decide(sha256)
        if state == "gone":
            return refused(request, 410)
        width, extension = int(name.group(1)), name.group(2)
        if state != "shown" or width not in images.widths(original):
            return refused(request, 404)
        data = renditions.held(sha256, width, extension)
        if data is None:
            try:
                data = await run_in_threadpool(renditions.load, sha256, width, extension)
            except images.BadPicture:
                # Made once, failed: the page's other sizes still show it.
                return refused(request, 404)
        return Response(
            data, media_type=images.EXTENSIONS[extension], headers={"Cache-Control": IMMUTABLE}
        )

    return [Route("/media/{sha256}/{name}", media)]
