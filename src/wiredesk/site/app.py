"""The reader-facing site: an ASGI app over the store, with no state of its own.

Every output asks the store through one visibility rule, so a kill or an embargo holds on
pages, listings, feeds, sitemaps, search and every rendition alike, from the next request on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wiredesk.config import Config
from wiredesk.desk.lifecycle import is_correction
from wiredesk.site.cache import CachedPages, PageCache, stories_header
from wiredesk.site.diff import word_diff
from wiredesk.site.forwarded import TrustedProxies
from wiredesk.site.render import (
    feed_html,
    item_of,
    raw_media_type,
    safe_html,
    story_json,
    story_url,
    text_rendition,
)
from wiredesk.store import Store
from wiredesk.store.models import Story

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
Clock = Callable[[], datetime]
CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; img-src 'self' data:; style-src 'self'"
)
HSTS = b"max-age=31536000"
NEWS_SITEMAP_AGE = timedelta(days=2)
NAV_SECONDS = 5.0
FEED_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class SecurityHeaders:
    """Headers every response carries unless a route set its own (the admin sets a stricter CSP).

    Plain ASGI rather than BaseHTTPMiddleware: it wraps every request, cached pages included.
    HSTS goes only on responses to HTTPS requests (direct, or via a trusted proxy): a browser
    ignores it over plain HTTP, and a site reached only over HTTP must not promise HTTPS.
    """

    DEFAULTS = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        defaults: tuple[tuple[bytes, bytes], ...] = self.DEFAULTS
        if scope.get("scheme") == "https":
            defaults = (*defaults, (b"strict-transport-security", HSTS))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in defaults if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    config: Config,
    store: Store,
    clock: Clock | None = None,
    extra_routes: list[BaseRoute] | None = None,
    middleware: list[Middleware] | None = None,
) -> Starlette:
    now: Clock = clock or (lambda: datetime.now(UTC))
    templates = Jinja2Templates(directory=HERE / "templates")
    tz = config.tz
    base_url = config.base_url.rstrip("/")

    def when(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%-d %b %Y, %H:%M %Z") if moment else ""

    templates.env.filters["when"] = when
    templates.env.filters["iso"] = lambda m: m.astimezone(UTC).isoformat() if m else ""
    templates.env.globals.update(
        site_title=config.site_title, story_url=story_url, feed_html=feed_html, base_url=base_url
    )

    nav: dict[str, Any] = {"until": 0.0, "sections": []}

    def sections() -> list[str]:
        # Only section names, never story text: a few seconds stale costs nothing and spares
        # every page a scan of the stories table.
        if time.monotonic() >= nav["until"]:
            nav["sections"], nav["until"] = store.sections(now()), time.monotonic() + NAV_SECONDS
        return list(nav["sections"])

    def page(
        request: Request, name: str, status: int = 200, shows: tuple[int, ...] = (), **context: Any
    ) -> Response:
        """A rendered page; `shows` names the stories on it, whose changes drop it from the cache."""
        context.setdefault("sections", sections())
        headers = stories_header(*shows) if shows else None
        return templates.TemplateResponse(
            request, name, context, status_code=status, headers=headers
        )

    def xml(name: str, **context: Any) -> Response:
        body = templates.get_template(name).render(**context)
        media = "application/atom+xml" if name.endswith(".atom.xml") else "application/xml"
        return Response(body, media_type=f"{media}; charset=utf-8")

    def lookup(request: Request, slug: str) -> Story | Response:
        """The story at this address, or the answer a reader gets instead (404 or 410)."""
        found = store.story_by_slug(slug)
        if found is None or found.section != request.path_params["section"]:
            return page(request, "notfound.html", status=404)
        if found.state == "killed":
            return page(request, "gone.html", status=410, shows=(found.id,), story=found)
        if not found.is_visible(now()):
            return page(request, "notfound.html", status=404, shows=(found.id,))
        return found

    async def home(request: Request) -> Response:
        return page(request, "home.html", stories=store.latest(now(), limit=50), heading="Latest")

    async def section(request: Request) -> Response:
        name = request.path_params["section"]
        stories = store.latest(now(), section=name, limit=50)
        if not stories:
            return page(request, "notfound.html", status=404)
        return page(request, "home.html", stories=stories, heading=name.replace("-", " ").title())

    async def search(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()[:200]
        hits = store.search(now(), query) if query else []
        return page(request, "search.html", query=query, hits=hits)

    async def feed(request: Request) -> Response:
        entries = [(s, item_of(store.current_version(s))) for s in store.latest(now(), limit=50)]
        # The feed changed when its newest entry did (RFC 4287), so the same store gives the
        # same bytes, whichever process or static export renders it.
        updated = max((s.updated_at for s, _ in entries), default=FEED_EPOCH)
        return xml("feed.atom.xml", entries=entries, updated=updated)

    async def sitemap(request: Request) -> Response:
        return xml("sitemap.xml", stories=store.latest(now(), limit=50000))

    async def news_sitemap(request: Request) -> Response:
        moment = now()
        fresh = [
            s
            for s in store.latest(moment, limit=1000)
            if s.published_at and s.published_at >= moment - NEWS_SITEMAP_AGE
        ]
        return xml("news-sitemap.xml", stories=fresh)

    async def latest_json(request: Request) -> Response:
        moment = now()
        stories = [
            story_json(s, item_of(store.current_version(s)), moment)
            for s in store.latest(moment, limit=50)
        ]
        return JSONResponse({"stories": stories})

    async def robots(request: Request) -> Response:
        return PlainTextResponse(
            f"User-agent: *\nAllow: /\nSitemap: {base_url}/sitemap.xml\nSitemap: {base_url}/news-sitemap.xml\n"
        )

    async def story(request: Request) -> Response:
        slug: str = request.path_params["slug"]
        rendition = "html"
        for suffix in (".txt", ".json"):
            if slug.endswith(suffix):
                slug, rendition = slug[: -len(suffix)], suffix[1:]
        found = lookup(request, slug)
        if isinstance(found, Response):
            return found
        version = store.current_version(found)
        item = item_of(version)
        sha256 = version.sha256 if version is not None else ""
        shows = stories_header(found.id)
        if rendition == "txt":
            return PlainTextResponse(text_rendition(found, item, tz), headers=shows)
        if rendition == "json":
            return JSONResponse(story_json(found, item, now(), sha256), headers=shows)
        also = store.cluster(found, now()) if config.near_duplicates == "link" else []
        return page(
            request,
            "story.html",
            shows=(found.id, *(s.id for s in also)),
            story=found,
            item=item,
            body_html=safe_html(item.body_html),
            correction=is_correction(item),
            also=also,
            sha256=sha256,
        )

    async def raw(request: Request) -> Response:
        """The raw file of the version on show, byte for byte, under the story's own rule."""
        found = lookup(request, request.path_params["slug"])
        if isinstance(found, Response):
            return found
        version = store.current_version(found)
        moment = now()
        # A file that also carries copy not public (another item embargoed, held, killed) is
        # not served: the raw bytes would break that story's rule.
        if version is None or not all(
            s.is_visible(moment) for s in store.stories_from_raw(version.sha256)
        ):
            return page(request, "notfound.html", status=404)
        try:
            data = store.archive.get(version.sha256)
        except FileNotFoundError:
            log.error(
                "raw file %s of story %s is missing from the archive", version.sha256, found.id
            )
            return page(request, "notfound.html", status=404)
        media, extension = raw_media_type(item_of(version).format, data)
        return Response(
            data,
            media_type=media,
            headers={
                "content-disposition": f'attachment; filename="{found.slug}.{extension}"',
                "x-wiredesk-sha256": version.sha256,
            },
        )

    async def history(request: Request) -> Response:
        found = lookup(request, request.path_params["slug"])
        if isinstance(found, Response):
            return found
        moment = now()
        items = [
            (v, item_of(v))
            for v in sorted(store.versions(found), key=lambda v: (v.versioncreated, v.id))
        ]
        # Only text that was (or is) public belongs in the public record.
        shown = [
            (v, i)
            for v, i in items
            if i.pubstatus == "usable" and (i.embargoed is None or i.embargoed <= moment)
        ]
        rows = []
        previous = ""
        for version, item in shown:
            text = f"{item.headline}\n\n{item.body_text}"
            rows.append(
                {
                    "version": version,
                    "item": item,
                    "diff": word_diff(previous, text) if previous else None,
                    "correction": is_correction(item),
                }
            )
            previous = text
        return page(request, "history.html", shows=(found.id,), story=found, rows=rows)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes: list[BaseRoute] = [
        Route("/", home),
        Route("/feed.atom", feed),
        Route("/sitemap.xml", sitemap),
        Route("/news-sitemap.xml", news_sitemap),
        Route("/robots.txt", robots),
        Route("/search", search),
        Route("/api/latest.json", latest_json),
        Route("/healthz", healthz),
        *(extra_routes or []),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Route("/{section}/", section),
        Route("/{section}/{slug}/history", history),
        Route("/{section}/{slug}/raw", raw),
        Route("/{section}/{slug}", story),
    ]
    cache = PageCache(store, config.page_cache_seconds, now)
    stack = [
        Middleware(TrustedProxies, trusted=config.security.trusted_proxies),
        Middleware(SecurityHeaders),
        *(middleware or []),
        Middleware(CachedPages, cache=cache),
    ]
    app = Starlette(routes=routes, middleware=stack)
    # The desk that feeds this store tells the cache of its changes at once (site_for).
    app.state.page_cache = cache
    return app
