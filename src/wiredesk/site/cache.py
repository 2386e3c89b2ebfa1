"""Public pages, cached until something they show changes.

A page that names its stories (the `x-wiredesk-stories` header, stripped before it leaves)
is dropped when one of them changes; every other page (listings, feeds, sitemaps, search, a
404 for an unknown address) when any story changes. Changes arrive two ways: from this
process's desk directly (the cache is one of its listeners, told after commit), and from
other processes through the page-change log the desk writes in the same transaction
(store/pages.py). Checking the log is cheap per request: SQLite's `PRAGMA data_version` says
whether anyone committed since the last look; on PostgreSQL one indexed `max(id)` on a
connection of the cache's own. (LISTEN/NOTIFY is not enough: a notification reaches the
listener some moments after the writer's commit returns, so the next request could miss it.)
So a kill is gone on the next request after its commit, in every `serve`.

An embargo lifts by time, with no transaction: no entry outlives the next embargo instant, and
the log announces each embargo as it is set. Nothing is cached before it is visible, and no
entry lives longer than `max_age`, whatever else happens.

Bounded: the key is the path and only the query parameters public routes read (QUERY_READ:
`?page=` and search's `?q=`), so random query strings share one entry; entries are held up to
`max_bytes` in all (64 MiB; `[site] page_cache_bytes`) and `max_entries`, oldest out first,
and expired entries leave as new ones arrive, not only when their own key is asked again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wiredesk.desk.changes import Change
from wiredesk.store import Store, derived, pages

log = logging.getLogger(__name__)
# /media is served from rendition files on disk: holding picture bytes here would cost memory.
# Its decisions (shown, gone, missing) follow this cache's generation instead (site/media.py).
PRIVATE_PREFIXES = ("/admin", "/ingest", "/metrics", "/healthz", "/readyz", "/static", "/media")
CACHEABLE = frozenset({200, 404, 410})
STORIES_HEADER = b"x-wiredesk-stories"
Key = tuple[str, bytes]
# Every query parameter a public route reads; the others cannot change a page.
QUERY_READ = ("page", "q")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def canonical_query(query_string: bytes) -> bytes:
    """The parameters public routes read, each its last value (as Starlette reads it), sorted."""
    if not query_string:
        return b""
    values: dict[str, str] = {}
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if name in QUERY_READ:
            values[name] = value
    return urlencode(sorted(values.items())).encode("latin-1", "replace")


def stories_header(*story_ids: int) -> dict[str, str]:
    """The header a route sets to say which stories its page shows."""
    return {STORIES_HEADER.decode(): ",".join(str(i) for i in story_ids)}


@dataclass
class Entry:
    expires: float
    start: Message
    body: bytes
    # None: the page depends on every story (a listing).
    stories: frozenset[int] | None


class ChangeLog:
    """This process's place in the page-change log, and a cheap way to know it moved."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.dialect = store.engine.dialect.name
        self._raw: Any = None
        self._version: Any = None
        with store.engine.connect() as conn:
            self.last = pages.latest(conn)
        self._connect()

    def _connect(self) -> None:
        if self.dialect == "sqlite":
            self._raw = self.store.engine.raw_connection()
            self._version = self._data_version()
        elif self.dialect == "postgresql":
            import psycopg

            url = self.store.engine.url.set(drivername="postgresql")
            self._raw = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def _data_version(self) -> int:
        cursor = self._raw.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def _moved(self) -> bool:
        if self.dialect == "sqlite":
            version = self._data_version()
            moved = bool(version != self._version)
            self._version = version
            return moved
        if self.dialect == "postgresql":
            row = self._raw.execute("SELECT coalesce(max(id), 0) FROM page_changes").fetchone()
            return bool(int(row[0]) != self.last)
        return True  # no cheap signal: read the log every time

    def read(self) -> tuple[list[tuple[int, int | None, datetime | None]], bool]:
        """New rows since the last read, and whether to drop everything (rows were missed)."""
        try:
            if not self._moved():
                return [], False
        except Exception:
            log.warning("page cache: lost the change signal; reconnecting", exc_info=True)
            self.close()
            self._connect()
            return [], True
        with self.store.engine.connect() as conn:
            rows, pruned = pages.since(conn, self.last)
        if rows:
            self.last = rows[-1][0]
        return rows, pruned

    def close(self) -> None:
        try:
            if self._raw is not None:
                self._raw.close()
        except Exception:  # closing a broken connection may fail; it is gone either way
            pass
        self._raw = None


class PageCache:
    """The cache's state, shared by the middleware and the desk (as a change listener)."""

    def __init__(
        self,
        store: Store,
        max_age: float,
        clock: Callable[[], datetime],
        max_entries: int = 4096,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.store = store
        self.max_age = max_age
        self.clock = clock
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.by_story: dict[int, set[Key]] = {}
        self.generation = 0
        # Story ids this process's desk committed changes to; None means "everything".
        self._heard: deque[int | None] = deque()
        self._lock = threading.Lock()
        self._log: ChangeLog | None = None
        self._next_lift: datetime | None = None

    @property
    def enabled(self) -> bool:
        return self.max_age > 0

    # ---- the desk's listener ---------------------------------------------------------------

    def in_transaction(self, session: Session, changes: Sequence[Change]) -> None:
        """Nothing to add: the desk logs every change in the transaction for other processes."""

    def after_commit(self, changes: Sequence[Change]) -> None:
        self._heard.extend(change.story_id for change in changes)

    # ---- keeping entries true ------------------------------------------------------------

    def refresh(self) -> None:
        """Drop whatever changed since the last request; called before every cached lookup."""
        with self._lock:
            if self._log is None:
                self._log = ChangeLog(self.store)
                with self.store.engine.connect() as conn:
                    self._next_lift = pages.next_lift(conn, self.clock())
            touched: set[int] = set()
            everything = False
            while self._heard:
                story_id = self._heard.popleft()
                if story_id is None:
                    everything = True
                else:
                    touched.add(story_id)
            rows, missed = self._log.read()
            everything = everything or missed
            now = self.clock()
            for _, story_id, lifts_at in rows:
                if lifts_at is not None:
                    if lifts_at > now and (self._next_lift is None or lifts_at < self._next_lift):
                        self._next_lift = lifts_at
                elif story_id is not None:
                    touched.add(story_id)
            if self._next_lift is not None and now >= self._next_lift:
                # An embargo lifted by time: whatever was cached may now hide a visible story.
                everything = True
                with self.store.engine.connect() as conn:
                    self._next_lift = pages.next_lift(conn, now)
            if everything:
                self._drop_all()
            elif touched:
                # A story's page says whether its developing story has others: theirs change too.
                with self.store.engine.connect() as conn:
                    touched |= derived.co_members(conn, touched)
                self._drop(touched)

    def _drop_all(self) -> None:
        self.entries.clear()
        self.by_story.clear()
        self.bytes = 0
        self.generation += 1

    def _drop(self, story_ids: set[int]) -> None:
        doomed = {key for key, entry in self.entries.items() if entry.stories is None}
        for story_id in story_ids:
            doomed |= self.by_story.pop(story_id, set())
        for key in doomed:
            self._forget(key)
        self.generation += 1

    def _forget(self, key: Key) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.bytes -= _size(entry)
        if entry is not None and entry.stories:
            for story_id in entry.stories:
                keys = self.by_story.get(story_id)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del self.by_story[story_id]

    def get(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry.expires <= time.monotonic():
            with self._lock:
                self._forget(key)
            return None
        return entry

    def put(self, key: Key, entry: Entry, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return  # something changed while this page was rendered: it may be stale
            self._forget(key)
            if _size(entry) > self.max_bytes:
                return
            self.entries[key] = entry
            self.bytes += _size(entry)
            for story_id in entry.stories or ():
                self.by_story.setdefault(story_id, set()).add(key)
            # Entries are in the order they were put, which is the order they expire in (one
            # max_age for all): the oldest go first, expired or over a bound.
            moment = time.monotonic()
            while self.entries:
                oldest_key, oldest = next(iter(self.entries.items()))
                if (
                    oldest.expires > moment
                    and len(self.entries) <= self.max_entries
                    and self.bytes <= self.max_bytes
                ):
                    break
                self._forget(oldest_key)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()


class CachedPages:
    """The ASGI middleware in front of the public site."""

    def __init__(self, app: ASGIApp, cache: PageCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.cache
        if (
            not cache.enabled
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"].startswith(PRIVATE_PREFIXES)
        ):
            await self.app(scope, receive, _without_stories_header(send))
            return
        cache.refresh()
        key: Key = (
            scope["method"] + scope["path"],
            canonical_query(scope.get("query_string", b"")),
        )
        entry = cache.get(key)
        if entry is not None:
            await send(entry.start)
            await send({"type": "http.response.body", "body": entry.body})
            return
        generation = cache.generation
        captured: list[Message] = []
        chunks: list[bytes] = []
        stories: list[frozenset[int] | None] = [None]

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                for name, value in message.get("headers", []):
                    if name.lower() == STORIES_HEADER:
                        stories[0] = frozenset(int(i) for i in value.split(b",") if i)
                    else:
                        headers.append((name, value))
                message = {**message, "headers": headers}
                captured.append(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if captured and captured[0]["status"] in CACHEABLE:
            expires = time.monotonic() + cache.max_age
            cache.put(key, Entry(expires, captured[0], b"".join(chunks), stories[0]), generation)


def _size(entry: Entry) -> int:
    headers = sum(len(n) + len(v) for n, v in entry.start.get("headers", []))
    return len(entry.body) + headers + 256  # and the entry's own objects, roughly


def _without_stories_header(send: Send) -> Send:
    async def strip(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(n, v) for n, v in message.get("headers", []) if n.lower() != STORIES_HEADER]
            message = {**message, "headers": headers}
        await send(message)

    return strip
