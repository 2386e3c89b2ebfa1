"""The reader-facing site: an ASGI app over the store, with no state of its own.

Every output asks the store through one visibility rule, so a kill or an embargo holds on
pages, listings, feeds, sitemaps, search and every rendition alike, from the next request on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wiredesk import images
from wiredesk.config import Config
from wiredesk.desk.lifecycle import is_correction
from wiredesk.formats import NOT_XML_TEXT
from wiredesk.scripts import direction
from wiredesk.site import derived, fonts, media, seo
from wiredesk.site.cache import CachedPages, PageCache, stories_header
from wiredesk.site.diff import word_diff
from wiredesk.site.forwarded import TrustedProxies
from wiredesk.site.render import (
    dates,
    feed_html,
    first_paragraph,
    first_sentence,
    item_of,
    language_attributes,
    news_language,
    raw_media_type,
    rfc822,
    safe_html,
    story_json,
    story_url,
    text_rendition,
)
from wiredesk.store import ShownPicture, Store
from wiredesk.store.models import GONE_STATES, Story

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
PAGE_SIZE = 20
FEED_SIZE = 50
MAX_PAGE = 500
FEED_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
LOGO_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


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


class Diffs:
    """Word diffs by version pair, made in a worker thread (never on the event loop) and kept:
    versions never change, so a pair's diff is made once however its page is asked for."""

    KEPT = 512

    def __init__(self) -> None:
        self._made: OrderedDict[tuple[int, int], Markup | None] = OrderedDict()
        self._lock = asyncio.Lock()
        self.made = 0

    async def between(self, old: tuple[int, str], new: tuple[int, str]) -> Markup | None:
        key = (old[0], new[0])
        async with self._lock:  # one diff at a time: a burst of requests makes each pair once
            if key in self._made:
                self._made.move_to_end(key)
                return self._made[key]
            diff = await run_in_threadpool(word_diff, old[1], new[1])
            self.made += 1
            self._made[key] = diff
            if len(self._made) > self.KEPT:
                self._made.popitem(last=False)
            return diff


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
    templates.env.filters["rfc822"] = rfc822
    # Sitemaps, feeds and canonical links carry URIs: a slug in Devanagari goes percent-encoded.
    templates.env.filters["uri"] = lambda url: quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    site_language = config.language or "en"
    templates.env.globals.update(
        site_title=config.site_title,
        site_lang=site_language,
        direction=direction,
        lang_attrs=language_attributes,
        news_language=news_language,
        story_lang=lambda story: story.language or site_language,
        story_url=story_url,
        feed_html=feed_html,
        base_url=base_url,
        dates=dates,
        first_paragraph=first_paragraph,
        first_sentence=first_sentence,
        media_url=media.media_url,
        srcset=media.srcset,
        share_url=media.share_url,
        share_height=media.share_height,
        share_width=images.share_width,
        sizes_lead=media.SIZES_LEAD,
        sizes_thumb=media.SIZES_THUMB,
        place_url=derived.place_url,
        country_url=derived.country_url,
        person_url=derived.person_url,
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
        context.setdefault("current_section", None)
        headers = stories_header(*shows) if shows else None
        return templates.TemplateResponse(
            request, name, context, status_code=status, headers=headers
        )

    def xml(name: str, **context: Any) -> Response:
        # Well-formed whatever the store holds: text from before the parsers refused these
        # characters (or written behind the desk's back) loses them here, in XML only.
        body = NOT_XML_TEXT.sub("", templates.get_template(name).render(**context))
        kind = {".atom.xml": "application/atom+xml", ".rss.xml": "application/rss+xml"}
        media_type = next((v for k, v in kind.items() if name.endswith(k)), "application/xml")
        return Response(body, media_type=f"{media_type}; charset=utf-8")

    def pictures_of(stories: Sequence[Story]) -> dict[str, list[ShownPicture]]:
        return store.pictures([s.uri for s in stories], now())

    def listing(request: Request, heading: str, section: str | None = None) -> Response:
        """Home and section pages: the newest story as lead, then the rest, page by page."""
        number = request.query_params.get("page", "1")
        if not number.isdigit() or not 1 <= int(number) <= MAX_PAGE:
            return page(request, "notfound.html", status=404)
        index = int(number)
        # One story more than a page shows says whether there is a next page.
        stories = store.latest(
            now(), section=section, limit=PAGE_SIZE + 1, offset=(index - 1) * PAGE_SIZE
        )
        if not stories and (section is not None or index > 1):
            return page(request, "notfound.html", status=404)
        shown = list(stories[:PAGE_SIZE])
        base = f"/{section}/" if section else "/"
        return page(
            request,
            "home.html",
            heading=heading,
            section=section,
            current_section=section,
            breaking=store.breaking(now(), timedelta(minutes=config.breaking_minutes)),
            lead=shown[0] if shown and index == 1 else None,
            stories=shown[1:] if index == 1 else shown,
            pictures=pictures_of(shown),
            page_number=index,
            prev_url=(base if index == 2 else f"{base}?page={index - 1}") if index > 1 else None,
            next_url=f"{base}?page={index + 1}" if len(stories) > PAGE_SIZE else None,
            canonical=base + (f"?page={index}" if index > 1 else ""),
        )

    def feed_entries(section: str | None) -> list[tuple[Story, Any, list[ShownPicture]]]:
        stories = store.latest(now(), section=section, limit=FEED_SIZE)
        shown = pictures_of(stories)
        return [(s, item_of(store.current_version(s)), shown.get(s.uri, [])) for s in stories]

    def lookup(request: Request, slug: str) -> Story | Response:
        """The story at this address, or the answer a reader gets instead (404 or 410)."""
        found = store.story_by_slug(slug)
        if found is None:
            moved = store.story_by_old_slug(slug)
            if moved is not None and moved.section == request.path_params["section"]:
                # An address published before (docs/urls.md): the same rendition, moved.
                tail = request.url.path.rsplit(slug, 1)[1]
                return RedirectResponse(quote(story_url(moved) + tail), status_code=301)
        if found is None or found.section != request.path_params["section"]:
            return page(request, "notfound.html", status=404)
        if found.state in GONE_STATES:
            return page(request, "gone.html", status=410, shows=(found.id,), story=found)
        if not found.is_visible(now()):
            return page(request, "notfound.html", status=404, shows=(found.id,))
        return found

    async def home(request: Request) -> Response:
        return listing(request, "Latest")

    async def section(request: Request) -> Response:
        name = request.path_params["section"]
        return listing(request, name.replace("-", " ").title(), section=name)

    async def search(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()[:200]
        hits = store.search(now(), query) if query else []
        shown = pictures_of([hit.story for hit in hits])
        return page(request, "search.html", query=query, hits=hits, pictures=shown)

    def section_of(request: Request) -> str | None | Response:
        """The section a feed is for (None: the whole site), or a 404 for one with no stories."""
        name = request.path_params.get("section")
        if (
            name is not None
            and name not in sections()
            and not store.latest(now(), section=name, limit=1)
        ):
            return page(request, "notfound.html", status=404)
        return name

    def feed(request: Request, template: str) -> Response:
        name = section_of(request)
        if isinstance(name, Response):
            return name
        entries = feed_entries(name)
        # The feed changed when its newest entry did (RFC 4287), so the same store gives the
        # same bytes, whichever process or static export renders it.
        updated = max((s.updated_at for s, _, _ in entries), default=FEED_EPOCH)
        return xml(template, entries=entries, updated=updated, section=name)

    async def atom(request: Request) -> Response:
        return feed(request, "feed.atom.xml")

    async def rss(request: Request) -> Response:
        return feed(request, "feed.rss.xml")

    async def sitemap(request: Request) -> Response:
        return xml("sitemap.xml", stories=store.latest(now(), limit=50000))

    async def news_sitemap(request: Request) -> Response:
        moment = now()
        fresh = [
            s
            for s in store.latest(moment, limit=1000)
            if s.published_at and s.published_at >= moment - NEWS_SITEMAP_AGE
        ]
        return xml("news-sitemap.xml", stories=fresh, pictures=pictures_of(fresh))

    async def latest_json(request: Request) -> Response:
        moment = now()
        latest = store.latest(moment, limit=50)
        shown = pictures_of(latest)
        stories = [
            story_json(s, item_of(store.current_version(s)), moment, pictures=shown.get(s.uri, []))
            for s in latest
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
        shown = pictures_of([found]).get(found.uri, [])
        extras = derived.story_extras(store, found, now())
        if rendition == "json":
            data = story_json(found, item, now(), sha256, pictures=shown)
            data["places"] = derived.ninjs_places(extras["places"])
            data["quotes"] = derived.ninjs_quotes(found, extras["quotes"])
            return JSONResponse(data, headers=shows)
        also = store.cluster(found, now()) if config.near_duplicates == "link" else []
        # "More in <section>", or the latest from the whole site when the section has no other.
        more_in: str | None = found.section
        more = [
            s
            for s in store.latest(now(), section=more_in, limit=derived.RELATED + 1)
            if s.id != found.id
        ][: derived.RELATED]
        if not more:
            more_in = None
            more = [
                s for s in store.latest(now(), limit=derived.RELATED + 1) if s.id != found.id
            ][: derived.RELATED]
        article = seo.news_article(
            found,
            item,
            dates(found),
            shown,
            base_url=base_url,
            site_title=config.site_title,
            places=extras["places"],
        )
        return page(
            request,
            "story.html",
            page_lang=found.language or site_language,
            shows=(found.id, *(s.id for s in (*also, *more, *extras["related"]))),
            story=found,
            current_section=found.section,
            more=more,
            more_in=more_in,
            share=seo.share_links(f"{base_url}{story_url(found)}", found.headline),
            item=item,
            body_html=safe_html(item.body_html),
            correction=is_correction(item),
            also=also,
            sha256=sha256,
            pictures=shown,
            description=seo.description(found),
            json_ld=seo.script_json(article),
            **extras,
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
        media_type, extension = raw_media_type(item_of(version).format, data)
        return Response(
            data,
            media_type=media_type,
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
        previous: tuple[int, str] | None = None
        for version, item in shown:
            text = f"{item.headline}\n\n{item.body_text}"
            diff = None
            if previous is not None:
                diff = await diffs.between(previous, (version.id, text))
            rows.append(
                {
                    "version": version,
                    "item": item,
                    "diff": diff,
                    "compared": previous is None or diff is not None,
                    "correction": is_correction(item),
                }
            )
            previous = (version.id, text)
        return page(request, "history.html", shows=(found.id,), story=found, rows=rows)

    def refuse_picture(request: Request, status: int) -> Response:
        name = "gone.html" if status == 410 else "notfound.html"
        return page(request, name, status=status, picture=True)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    logo_file = config.site_logo or HERE / "static" / "logo.svg"

    async def logo(request: Request) -> Response:
        """The masthead's logo: the publisher's file from wiredesk.toml, or wiredesk's mark."""
        return FileResponse(
            logo_file,
            media_type=LOGO_TYPES.get(logo_file.suffix.lower(), "application/octet-stream"),
            headers={"cache-control": "public, max-age=86400"},
        )

    diffs = Diffs()
    cache = PageCache(store, config.page_cache_seconds, now, max_bytes=config.page_cache_bytes)
    routes: list[BaseRoute] = [
        Route("/", home),
        Route("/feed.atom", atom),
        Route("/feed.rss", rss),
        Route("/sitemap.xml", sitemap),
        Route("/news-sitemap.xml", news_sitemap),
        Route("/robots.txt", robots),
        Route("/search", search),
        Route("/api/latest.json", latest_json),
        Route("/healthz", healthz),
        Route("/logo", logo),
        *(extra_routes or []),
        *fonts.routes(),  # before /static: the fonts live in their packages
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        *media.media_routes(store, config.renditions_dir, now, cache, refuse_picture),
        # Before /{section}/...: the desk never names a section after these (publish.RESERVED).
        *derived.routes(derived.Site(store, now, page, xml, pictures_of)),
        Route("/{section}/", section),
        Route("/{section}/feed.rss", rss),
        Route("/{section}/feed.atom", atom),
        Route("/{section}/{slug}/history", history),
        Route("/{section}/{slug}/raw", raw),
        Route("/{section}/{slug}", story),
    ]
    stack = [
        Middleware(TrustedProxies, trusted=config.security.trusted_proxies),
        Middleware(SecurityHeaders),
        *(middleware or []),
        Middleware(CachedPages, cache=cache),
    ]
    app = Starlette(routes=routes, middleware=stack)
    # The desk that feeds this store tells the cache of its changes at once (site_for).
    app.state.page_cache = cache
    app.state.diffs = diffs
    return app
