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
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from wiredesk import images
from wiredesk.store import ShownPicture, Store

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
    """Rendition files on disk, each made once, by one thread, and written atomically."""

    def __init__(self, store: Store, root: Path) -> None:
        self.store = store
        self.root = root
        self._locks: dict[Path, threading.Lock] = {}
        self._guard = threading.Lock()

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


def media_routes(store: Store, root: Path, now: Callable[[], datetime]) -> list[Route]:
    renditions = Renditions(store, root)

    async def media(request: Request) -> Response:
        sha256 = request.path_params["sha256"]
        name = _NAME.match(request.path_params["name"])
        if not _SHA256.match(sha256) or name is None:
            return _plain(404, "no such picture")
        state, original = store.media(sha256, now())
        if state == "gone":
            return _plain(410, "this picture was withdrawn with its story")
        width, extension = int(name.group(1)), name.group(2)
        if state != "shown" or width not in images.widths(original):
            return _plain(404, "no such picture")
        path = await run_in_threadpool(renditions.path, sha256, width, extension)
        return FileResponse(
            path, media_type=images.EXTENSIONS[extension], headers={"Cache-Control": IMMUTABLE}
        )

    return [Route("/media/{sha256}/{name}", media)]


def _plain(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers={"Cache-Control": "no-store"})
