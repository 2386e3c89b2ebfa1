"""A micro-cache for public pages: each page is rendered at most once per half second.

Readers and crawlers hammer the same few pages; a cache this short keeps the promises (a kill
is gone from every output within a second, an embargo never shows early, since nothing is
cached before it is visible) while the database sees one query per page per interval.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# /media is served from rendition files on disk: holding picture bytes here would cost memory.
PRIVATE_PREFIXES = ("/admin", "/ingest", "/metrics", "/healthz", "/readyz", "/static", "/media")
CACHEABLE = frozenset({200, 404, 410})


@dataclass
class Entry:
    expires: float
    start: Message
    body: bytes


class MicroCache:
    def __init__(self, app: ASGIApp, seconds: float, max_entries: int = 4096) -> None:
        self.app = app
        self.seconds = seconds
        self.max_entries = max_entries
        self.entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.seconds <= 0
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"].startswith(PRIVATE_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        key = (scope["method"] + scope["path"], scope.get("query_string", b""))
        now = time.monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry.expires > now:
            await send(entry.start)
            await send({"type": "http.response.body", "body": entry.body})
            return
        captured: list[Message] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured.append(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if captured and captured[0]["status"] in CACHEABLE:
            self.entries[key] = Entry(now + self.seconds, captured[0], b"".join(chunks))
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
