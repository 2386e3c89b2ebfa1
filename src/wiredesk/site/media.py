"""/media/<sha256>/<width>.<ext>: the agency's pictures in the sizes pages ask for.

Renditions are made lazily, on the first request for each size, and kept on disk: most wire
pictures are never viewed, and making eight of each at ingest would take the worker's CPU
for pictures no page shows. The address names the bytes, so a rendition never changes and
is cached for a year; whether it may be served is asked of the store on every request, under
the same rule as the pages (a killed story's pictures answer 410, an embargoed one's 404).
"""

from __future__ import annotations

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
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from wiredesk import images
from wiredesk.store import MediaState, ShownPicture, Store

IMMUTABLE = "public, max-age=31536000, immutable"
SIZES_LEAD = "(min-width: 46rem) 42rem, 100vw"
SIZES_THUMB = "(min-width: 46rem) 10rem, 33vw"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^(\d{1,5})\.(jpg|webp)$")


def media_url(picture: ShownPicture, width: int, extension: str = "jpg") -> str:
    return f"/media/{picture.sha256}/{width}.{extension}"


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


class Renditions:
    """Rendition files on disk, each made once, by one thread, and written atomically; the
    most requested kept in memory too (up to `memory_bytes`), so a busy picture costs no
    file read."""

    def __init__(self, store: Store, root: Path, memory_bytes: int = 64 * 1024 * 1024) -> None:
        self.store = store
        self.root = root
        self.memory_bytes = memory_bytes
        self._held: OrderedDict[tuple[str, int, str], bytes] = OrderedDict()
        self._held_bytes = 0
        self._locks: dict[Path, threading.Lock] = {}
        self._guard = threading.Lock()

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
        target = self.root / sha256[:2] / sha256 / f"{width}.{extension}"
        if target.exists():
            return target
        with self._guard:
            lock = self._locks.setdefault(target, threading.Lock())
        with lock:
            if not target.exists():
                data = images.render(self.store.archive.get(sha256), width, extension)
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".rendition-")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)
        with self._guard:
            self._locks.pop(target, None)
        return target


def media_routes(
    store: Store, root: Path, now: Callable[[], datetime], cache_seconds: float = 0.0
) -> list[Route]:
    renditions = Renditions(store, root)
    # Whether bytes may be served, remembered as briefly as pages are: a kill still shows
    # within a second, and a busy picture costs one query per interval, not per request.
    decided: dict[str, tuple[float, MediaState, int]] = {}

    def decide(sha256: str) -> tuple[MediaState, int]:
        moment = time.monotonic()
        known = decided.get(sha256)
        if known is not None and known[0] > moment:
            return known[1], known[2]
        state, width = store.media(sha256, now())
        if cache_seconds > 0:
            if len(decided) > 10_000:
                decided.clear()
            decided[sha256] = (moment + cache_seconds, state, width)
        return state, width

    async def media(request: Request) -> Response:
        sha256 = request.path_params["sha256"]
        name = _NAME.match(request.path_params["name"])
        if not _SHA256.match(sha256) or name is None:
            return _plain(404, "no such picture")
        state, original = decide(sha256)
        if state == "gone":
            return _plain(410, "this picture was withdrawn with its story")
        width, extension = int(name.group(1)), name.group(2)
        if state != "shown" or width not in images.widths(original):
            return _plain(404, "no such picture")
        data = renditions.held(sha256, width, extension)
        if data is None:
            data = await run_in_threadpool(renditions.load, sha256, width, extension)
        return Response(
            data, media_type=images.EXTENSIONS[extension], headers={"Cache-Control": IMMUTABLE}
        )

    return [Route("/media/{sha256}/{name}", media)]


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers={"Cache-Control": "no-store"})
