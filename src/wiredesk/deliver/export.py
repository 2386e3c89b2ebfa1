"""The public site as files: every page, rendition, feed, sitemap and asset, for nginx or a CDN.

Pages are rendered by calling the site's own ASGI app in-process, so the files are the bytes
`wiredesk serve` would send. What to write is discovered, not listed: the app's routes without
parameters, every story readers can reach (or that was withdrawn), and then every same-site
link found in what was rendered (HTML attributes, XML sitemaps and feeds, JSON, CSS, robots).
Pages other modules add are exported as soon as something links to them.

A manifest under DIR/.wiredesk/ (SQLite) records each exported path, its file, status, digest
and links. An incremental update re-renders only what a change can touch: the story's pages,
whatever links to them or they link to, the app's parameterless pages (home, feeds, sitemaps)
and the alternates of every page rendered; a new section (the navigation on every page
changes) re-renders everything. Files are replaced by atomic renames; a withdrawn story's
addresses keep only the withdrawal notice, and an empty marker `.wiredesk/gone/<path>.410`
tells the web server to answer them with 410 (docs/targets.md has the nginx lines).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from lxml import etree, html
from sqlalchemy import select
from starlette.routing import Route

from wiredesk.site.media import renditions
from wiredesk.site.render import story_url
from wiredesk.store import derived, visible
from wiredesk.store.archive import write_file
from wiredesk.store.models import GONE_STATES, Story

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from wiredesk.desk.pipeline import Desk

log = logging.getLogger(__name__)
STATE = ".wiredesk"
# Not part of a static site: the desk's own pages, push, operations, and search (a query).
PRIVATE = ("/admin", "/ingest", "/metrics", "/healthz", "/readyz", "/search", f"/{STATE}")
NOT_FOUND_PROBE = "/wiredesk-export/not-found"
NOT_FOUND_FILE = "404.html"
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
_XML_URL_TAGS = {"loc", "link", "url", "guid"}


@dataclass
class Result:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    full: bool = False
    # Paths that failed to render (a 5xx or an error), with why: their old files stay, the
    # round goes on, and the next round tries them again.
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> list[str]:
        return sorted({*self.written, *self.removed})


# How often a long crawl asks whether something more urgent (a kill) is waiting.
INTERRUPT_SECONDS = 0.1


class Interrupted(Exception):  # noqa: N818 - not an error: the export gives way
    """The crawl stopped because `Exporter.interrupt` said a removal is waiting. The pages
    rendered so far are on disk and in the manifest; a full export resumes where it was."""


@dataclass
class FullProgress:
    """A full export cut short: what it still has to render and what it already did."""

    pages: set[str]
    queue: list[str]
    visited: set[str]
    result: Result


@dataclass
class UpdateProgress:
    """An incremental run cut short, and the changes (outbox rows) it was rendering."""

    changes: set[int]
    owned: set[str]
    queue: list[str]
    visited: set[str]
    result: Result


@dataclass
class Rendered:
    path: str
    status: int
    content_type: str
    body: bytes
    links: set[str]
    alternates: set[str]


class Manifest:
    """What is in the folder: one row per exported path, and the links between them."""

    def __init__(self, root: Path) -> None:
        (root / STATE).mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(root / STATE / "pages.sqlite", check_same_thread=False)
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS pages (
                path TEXT PRIMARY KEY, file TEXT NOT NULL, status INTEGER NOT NULL,
                sha256 TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS links (src TEXT NOT NULL, dst TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS links_src ON links (src);
            CREATE INDEX IF NOT EXISTS links_dst ON links (dst);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """
        )

    def close(self) -> None:
        self.db.close()

    def page(self, path: str) -> tuple[str, int, str] | None:
        row = self.db.execute(
            "SELECT file, status, sha256 FROM pages WHERE path = ?", (path,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def has_file(self, file: str) -> bool:
        return self.db.execute("SELECT 1 FROM pages WHERE file = ?", (file,)).fetchone() is not None

    def paths(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT path FROM pages")}

    def gone(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM pages WHERE status = 410")]

    def links_from(self, path: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT dst FROM links WHERE src = ?", (path,))}

    def links_to(self, path: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT src FROM links WHERE dst = ?", (path,))}

    def record(self, path: str, file: str, status: int, sha256: str, links: set[str]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO pages (path, file, status, sha256) VALUES (?, ?, ?, ?)",
            (path, file, status, sha256),
        )
        self.db.execute("DELETE FROM links WHERE src = ?", (path,))
        self.db.executemany(
            "INSERT INTO links (src, dst) VALUES (?, ?)", [(path, d) for d in links]
        )

    def drop(self, path: str) -> None:
        self.db.execute("DELETE FROM pages WHERE path = ?", (path,))
        self.db.execute("DELETE FROM links WHERE src = ?", (path,))

    def get(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value))
        )

    def commit(self) -> None:
        self.db.commit()


def file_for(path: str, content_type: str) -> str | None:
    """Where a path's bytes live in the folder; None for a path no file can hold."""
    decoded = unquote(path)
    parts = decoded.split("/")
    if "\x00" in decoded or any(p in (".", "..") for p in parts) or not decoded.startswith("/"):
        return None
    rel = decoded.lstrip("/")
    is_html = content_type.startswith("text/html")
    if rel == "" or rel.endswith("/"):
        return rel + ("index.html" if is_html else "index")
    if is_html and not rel.endswith(".html"):
        return rel + ".html"
    return rel


def _public_mode() -> int:
    """0644 under the usual umask: a web server running as another user must read the files
    (folders get mkdir's 0777 less the umask, 0755)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(target: Path, data: bytes) -> None:
    write_file(target, data, prefix=f".{target.name}.", suffix=".tmp", mode=_public_mode())


class Links:
    """Same-site paths named in a response, whatever its type."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/") + "/"
        self.netloc = urlsplit(self.base).netloc

    def path(self, link: str, page: str) -> str | None:
        link = link.strip()
        if not link or link.startswith(("#", "mailto:", "javascript:", "data:", "tel:")):
            return None
        absolute = urlsplit(urljoin(urljoin(self.base, page.lstrip("/")), link))
        if absolute.scheme not in ("http", "https") or absolute.netloc != self.netloc:
            return None
        if absolute.query or not absolute.path.startswith("/"):
            return None  # a query is for a live server; a folder cannot answer it
        if absolute.path.startswith(PRIVATE):
            return None
        # One page whether a link names it percent-encoded (feeds, sitemaps) or as Unicode.
        return unquote(absolute.path)

    def found(self, rendered: Rendered) -> None:
        kind, body = rendered.content_type, rendered.body
        raw: list[str] = []
        alternates: list[str] = []
        try:
            if kind.startswith("text/html"):
                raw, alternates = self._html(body)
            elif "xml" in kind:
                raw = self._xml(body)
            elif "json" in kind:
                raw = list(_json_strings(json.loads(body)))
            elif kind.startswith("text/css"):
                raw = _CSS_URL.findall(body.decode("utf-8", "replace"))
            elif kind.startswith("text/plain"):
                text = body.decode("utf-8", "replace")
                raw = [w for w in text.split() if w.startswith(self.base)]
        except (ValueError, etree.LxmlError):
            log.warning("export: could not read the links of %s", rendered.path)
        for links, into in ((raw, rendered.links), (alternates, rendered.alternates)):
            for link in links:
                path = self.path(link, rendered.path)
                if path is not None and path != rendered.path:
                    into.add(path)
        rendered.links |= rendered.alternates

    @staticmethod
    def _html(body: bytes) -> tuple[list[str], list[str]]:
        doc = html.fromstring(body)
        raw = [str(link) for _el, _attr, link, _pos in doc.iterlinks()]  # type: ignore[attr-defined]
        for el in doc.iter():
            srcset = el.get("srcset") if isinstance(el.tag, str) else None
            if srcset:
                raw += [part.split()[0] for part in srcset.split(",") if part.split()]
            if el.tag == "meta" and el.get("content", "").startswith(("http://", "https://")):
                raw.append(el.get("content", ""))
        alternates = [
            el.get("href", "")
            for el in doc.iter("link")
            if "alternate" in (el.get("rel") or "").lower().split()
        ]
        return raw, alternates

    @staticmethod
    def _xml(body: bytes) -> list[str]:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(body, parser)
        raw = []
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            raw += [str(v) for k, v in el.attrib.items() if k in ("href", "url", "src")]
            if etree.QName(el).localname in _XML_URL_TAGS and el.text:
                raw.append(str(el.text))
        return raw


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        pathlike = (value.startswith("/") and not value.startswith("//")) or value.startswith(
            "http"
        )
        if pathlike and not any(c.isspace() for c in value) and len(value) < 2000:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def seed_paths(app: Starlette) -> set[str]:
    """The app's own pages that take no parameters: home, feeds, sitemaps, robots, APIs."""
    return {
        route.path
        for route in app.routes
        if isinstance(route, Route)
        and "{" not in route.path
        and "GET" in (route.methods or {"GET"})
        and not route.path.startswith(PRIVATE)
    }


class Exporter:
    def __init__(self, desk: Desk, root: Path, interrupt: Callable[[], bool] | None = None) -> None:
        self.desk = desk
        self.root = root
        self.links = Links(desk.config.base_url)
        self.manifest = Manifest(root)
        # Asked now and then during a long crawl; True stops it (`Interrupted`).
        self.interrupt = interrupt
        self._progress: FullProgress | None = None
        self._paused: UpdateProgress | None = None

    def close(self) -> None:
        self.manifest.close()

    @property
    def exported(self) -> bool:
        return self.manifest.get("sections") is not None

    @property
    def full_due(self) -> bool:
        """No full export yet, or removals rendered ahead of one that is due."""
        return not self.exported or bool(self.manifest.get("full_due"))

    def _app(self) -> Starlette:
        # The public site `wiredesk serve` runs (its other routes are private), fresh per run:
        # its section navigation is read now, not a few seconds ago, and the micro-cache is off
        # so every page is rendered from the database.
        from wiredesk.site.app import create_app

        config = dataclasses.replace(self.desk.config, page_cache_seconds=0)
        return create_app(config, self.desk.store)

    def _sections(self) -> list[str]:
        return self.desk.store.sections(datetime.now(UTC))

    def full(self) -> Result:
        """Everything readers can reach, and nothing else: stale files are removed."""
        with self._all_or_nothing():
            return self._full()

    def update(
        self,
        story_ids: Iterable[int],
        *,
        urgent: bool = False,
        changes: dict[int, int] | None = None,
    ) -> Result:
        """Re-render what these stories' changes can touch. `urgent` (removals): when a full
        export is due, render only these stories' own pages now and leave the rest to it.
        `changes` (change id -> story id): the run may stop for `interrupt` and resume."""
        with self._all_or_nothing():
            return self._update(story_ids, urgent=urgent, changes=changes)

    @contextmanager
    def _all_or_nothing(self) -> Iterator[None]:
        """A run that fails leaves the manifest as it was before it: files it already rewrote
        merely differ from their recorded digests, and the retry rewrites them."""
        try:
            yield
        except BaseException:
            self.manifest.db.rollback()
            raise

    def _full(self) -> Result:
        sections = self._sections()
        app = self._app()
        progress = self._progress
        fresh = progress is None
        if progress is None:
            with self.desk.store.session() as session:
                stories = session.execute(
                    select(Story.section, Story.slug).where(
                        visible(datetime.now(UTC)) | Story.state.in_(GONE_STATES)
                    )
                ).all()
            pages = {f"/{section}/{slug}" for section, slug in stories}
            seeds = seed_paths(app) | pages | self.manifest.paths()
            progress = FullProgress(pages, sorted(seeds), set(), Result(full=True))
            self._progress = progress
        pages, visited, result = progress.pages, progress.visited, progress.result
        try:
            asyncio.run(
                self._crawl(
                    app,
                    progress.queue,
                    visited,
                    follow_all=True,
                    result=result,
                    not_found=fresh,
                    interruptible=True,
                )
            )
        except Interrupted:
            self.manifest.commit()  # what was rendered is on disk: the resumed run keeps it
            raise
        except BaseException:
            self._progress = None  # the manifest rolls back: start again from it
            raise
        self._progress = None
        # A withdrawn story's page links to nothing, yet its renditions must answer 410 too:
        # ask for the ones live stories' pages link to (.txt, .json, /history, ...).
        suffixes = {
            link[len(page) :]
            for page in pages
            for link in self.manifest.links_from(page)
            if link.startswith(page) and link != page
        }
        more = {page + suffix for page in pages for suffix in suffixes}
        # Nor does it name its pictures: their renditions are asked for by their addresses.
        more |= {path for p in self.desk.store.withdrawn_pictures() for path in renditions(p)}
        asyncio.run(
            self._crawl(app, sorted(more - visited), visited, follow_all=True, result=result)
        )
        for path in self.manifest.paths() - visited:
            self._remove(path, result)
        for orphan in self.root.rglob(".*.tmp"):  # a write a crash cut short
            orphan.unlink(missing_ok=True)
        self._finish(result, sections)
        return result

    def _update(
        self,
        story_ids: Iterable[int],
        *,
        urgent: bool = False,
        changes: dict[int, int] | None = None,
    ) -> Result:
        ids = set(story_ids)
        sections = self._sections()
        if self.full_due or self.manifest.get("sections") != sections:
            if urgent:
                # Removals do not wait for it: their pages and the pages known to link to
                # them now (new links are not followed), and the full export stays due.
                return self._incremental(ids, None)
            resumed = self._progress is not None
            self._paused = None  # the full export renders everything
            result = self._full()
            sections = self._sections()
            if not resumed or self.full_due or self.manifest.get("sections") != sections:
                return result
            # Resumed: these stories may have changed after the part before the pause
            # rendered their pages.
        return self._incremental(ids, sections, None if urgent else changes)

    def _touched(self, ids: set[int]) -> tuple[set[str], set[str]]:
        """The stories' own pages, and the pages their changes can touch."""
        owned: set[str] = set()
        touched: set[str] = set(seed_paths(self._app())) if ids else set()
        with self.desk.store.session() as session:
            # Their developing stories' other stories link to it, or stop linking to it.
            ids = ids | derived.co_members(session, ids)
        for story_id in ids:
            story = self.desk.store.story(story_id)
            if story is None:
                continue
            url = story_url(story)
            owned.add(url)
            links = self.manifest.links_from(url)
            touched |= links | self.manifest.links_to(url)
            # Pages that link to the story's own renditions (.txt, .json, /history) or its
            # pictures. Not to everything it links to: every page links to the home page,
            # the sections and the style sheet, and following those re-rendered the whole
            # site for each story changed.
            for rendition in links:
                if rendition.startswith((url + ".", url + "/", "/media/")):
                    touched |= self.manifest.links_to(rendition)
        return owned, touched - owned

    def _incremental(
        self, ids: set[int], sections: list[str] | None, changes: dict[int, int] | None = None
    ) -> Result:
        """`changes` (change -> story id) makes the run stop for `interrupt` and resume on
        the next call: the pages of the changes it has not seen yet are (re)rendered then."""
        app = self._app()
        resumable = changes is not None and sections is not None
        progress = self._paused if resumable else None
        if progress is None:
            owned, touched = self._touched(ids)
            touched |= set(self.manifest.get("failed") or {})
            # The changed stories' own pages first (popped from the end).
            progress = UpdateProgress(
                set(changes or ()), owned, sorted(touched) + sorted(owned), set(), Result()
            )
        else:
            assert changes is not None
            new = {story for change, story in changes.items() if change not in progress.changes}
            owned, touched = self._touched(new)
            progress.changes |= set(changes)
            progress.owned |= owned
            progress.visited -= owned | touched
            progress.queue += sorted(touched) + sorted(owned)
        if resumable:
            self._paused = None
        try:
            asyncio.run(
                self._crawl(
                    app,
                    progress.queue,
                    progress.visited,
                    follow_all=False,
                    result=progress.result,
                    owned=progress.owned,
                    follow_new=sections is not None,
                    interruptible=resumable,
                )
            )
        except Interrupted:
            self.manifest.commit()  # what was rendered is on disk: the resumed run keeps it
            self._paused = progress
            raise
        self._finish(progress.result, sections)
        return progress.result

    async def _crawl(
        self,
        app: Starlette,
        queue: list[str],
        visited: set[str],
        *,
        follow_all: bool,
        result: Result,
        owned: set[str] | None = None,
        not_found: bool = False,
        interruptible: bool = False,
        follow_new: bool = True,
    ) -> None:
        """Render from the end of `queue` (popped, so the caller puts what goes first last),
        adding to `visited`; both are left as they are when `Interrupted` stops the crawl."""
        known = self.manifest.paths()
        asked = time.monotonic()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=self.links.base) as client:
            if not_found:
                await self._not_found_page(client)
            while queue:
                if interruptible and time.monotonic() - asked >= INTERRUPT_SECONDS:
                    asked = time.monotonic()
                    if self.interrupt is not None and self.interrupt():
                        raise Interrupted
                path = queue.pop()
                if path in visited:
                    continue
                visited.add(path)
                try:
                    rendered = await self._render(client, path)
                except Exception as exc:  # noqa: BLE001 - one path never stops a round
                    result.failed[path] = f"{type(exc).__name__}: {exc}"
                    log.warning("export: %s failed (%s); the round goes on", path, exc)
                    continue
                if rendered.status != 200:
                    # A page that is gone takes its own renditions (path.txt, path/history)
                    # along, even when its changes arrive in a later round than this render.
                    own = self.manifest.links_from(path)
                    queue += sorted(p for p in own if p.startswith(path) and p not in visited)
                self._store(rendered, result)
                if follow_all or (owned and path in owned):
                    follow = rendered.links
                elif follow_new:
                    follow = {p for p in rendered.links if p not in known} | rendered.alternates
                else:
                    follow = set()
                queue += sorted(p for p in follow if p not in visited)

    async def _render(self, client: httpx.AsyncClient, path: str) -> Rendered:
        response = await client.get(path)
        if response.status_code >= 500:
            raise RuntimeError(f"export: {path} answered {response.status_code}")
        kind = response.headers.get("content-type", "")
        rendered = Rendered(path, response.status_code, kind, response.content, set(), set())
        if response.status_code == 200:
            self.links.found(rendered)
        return rendered

    async def _not_found_page(self, client: httpx.AsyncClient) -> None:
        response = await client.get(NOT_FOUND_PROBE)
        if response.status_code == 404 and response.headers.get("content-type", "").startswith(
            "text/html"
        ):
            self._write(NOT_FOUND_FILE, response.content)

    def _store(self, rendered: Rendered, result: Result) -> None:
        if rendered.status not in (200, 410):
            if rendered.status in (404, 410) or rendered.status >= 400:
                self._remove(rendered.path, result)
            return  # redirects and the like are the live server's business
        file = file_for(rendered.path, rendered.content_type)
        if file is None:
            return
        sha = hashlib.sha256(rendered.body).hexdigest()
        known = self.manifest.page(rendered.path)
        if known is not None and known[0] != file:
            self._unlink(known[0])
        self._drop_unrecorded(rendered.path, file)
        if known is None or known[2] != sha or known[1] != rendered.status or known[0] != file:
            if not self._write(file, rendered.body):
                return
            result.written.append(rendered.path)
        else:
            result.unchanged += 1
        self.manifest.record(rendered.path, file, rendered.status, sha, rendered.links)

    def _drop_unrecorded(self, path: str, file: str) -> None:
        """The path's other file (a page and its withdrawal notice differ: `a.json` and
        `a.json.html`), when no path has it on record: a run killed before its manifest
        committed leaves such a file behind, and no later run would know to remove it."""
        for kind in ("text/html", "application/octet-stream"):
            other = file_for(path, kind)
            if (
                other is not None
                and other != file
                and (self.root / other).is_file()
                and not self.manifest.has_file(other)
            ):
                self._unlink(other)

    def _write(self, file: str, body: bytes) -> bool:
        target = self.root / file
        try:
            write_atomically(target, body)
        except (NotADirectoryError, IsADirectoryError, FileExistsError):
            log.warning("export: %s clashes with another exported path; skipped", file)
            return False
        return True

    def _remove(self, path: str, result: Result) -> None:
        known = self.manifest.page(path)
        if known is None:
            return
        self._unlink(known[0])
        self.manifest.drop(path)
        result.removed.append(path)

    def _unlink(self, file: str) -> None:
        target = self.root / file
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != self.root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

    def _finish(self, result: Result, sections: list[str] | None) -> None:
        """Mark withdrawn paths for the web server, note the navigation the pages were rendered
        with (read before rendering, so a section born meanwhile brings a full export), commit.
        None: a partial run (removals before a full export), which notes no navigation."""
        gone_root = self.root / STATE / "gone"
        want = {gone_root / (unquote(p).lstrip("/") + ".410") for p in self.manifest.gone()}
        have = set(gone_root.rglob("*.410")) if gone_root.is_dir() else set()
        for marker in want - have:
            write_atomically(marker, b"")
        for marker in have - want:
            marker.unlink()
        if sections is None:
            failed = {**(self.manifest.get("failed") or {}), **result.failed}
            self.manifest.put("full_due", True)  # the rest of the site still waits for it
        else:
            self.manifest.put("sections", sections)
            self.manifest.put("full_due", False)
            failed = result.failed
        self.manifest.put("failed", failed)
        self.manifest.commit()
