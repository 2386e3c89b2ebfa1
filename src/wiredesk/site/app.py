"""The reader-facing site: an ASGI app over the store, with no state of its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from wiredesk.config import Config
from wiredesk.site.render import (
    feed_html,
    item_of,
    safe_html,
    story_json,
    story_url,
    text_rendition,
)
from wiredesk.store import Store
from wiredesk.store.models import Story

HERE = Path(__file__).parent
Clock = Callable[[], datetime]
CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; img-src 'self' data:; style-src 'self'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response


def create_app(config: Config, store: Store, clock: Clock | None = None) -> Starlette:
    now: Clock = clock or (lambda: datetime.now(UTC))
    templates = Jinja2Templates(directory=HERE / "templates")
    tz = config.tz

    def when(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%-d %b %Y, %H:%M %Z") if moment else ""

    templates.env.filters["when"] = when
    templates.env.filters["iso"] = lambda m: m.astimezone(UTC).isoformat() if m else ""
    templates.env.globals.update(
        site_title=config.site_title, story_url=story_url, feed_html=feed_html
    )

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("sections", store.sections(now()))
        return templates.TemplateResponse(request, name, context, status_code=status)

    async def home(request: Request) -> Response:
        return page(request, "home.html", stories=store.latest(now(), limit=50), heading="Latest")

    async def section(request: Request) -> Response:
        name = request.path_params["section"]
        stories = store.latest(now(), section=name, limit=50)
        if not stories:
            return page(request, "notfound.html", status=404)
        return page(request, "home.html", stories=stories, heading=name.replace("-", " ").title())

    async def feed(request: Request) -> Response:
        stories = store.latest(now(), limit=50)
        entries = [(s, item_of(store.current_version(s))) for s in stories]
        body = templates.get_template("feed.atom.xml").render(
            entries=entries, base_url=config.base_url.rstrip("/"), updated=now()
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    async def story(request: Request) -> Response:
        slug: str = request.path_params["slug"]
        rendition = "html"
        for suffix in (".txt", ".json"):
            if slug.endswith(suffix):
                slug, rendition = slug[: -len(suffix)], suffix[1:]
        found = store.story_by_slug(slug)
        if found is None or found.section != request.path_params["section"]:
            return page(request, "notfound.html", status=404)
        if found.state == "killed":
            return page(request, "gone.html", status=410, story=found)
        if not _visible(found, now()):
            return page(request, "notfound.html", status=404)
        item = item_of(store.current_version(found))
        if rendition == "txt":
            return PlainTextResponse(text_rendition(found, item, tz))
        if rendition == "json":
            return JSONResponse(story_json(found, item))
        return page(
            request, "story.html", story=found, item=item, body_html=safe_html(item.body_html)
        )

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/", home),
        Route("/feed.atom", feed),
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Route("/{section}/", section),
        Route("/{section}/{slug}", story),
    ]
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])


def _visible(story: Story, now: datetime) -> bool:
    return (
        story.state in ("published", "embargoed")
        and story.published_at is not None
        and story.published_at <= now
    )
