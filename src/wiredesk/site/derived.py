"""Pages over what ties stories together: places, countries, people and developing stories.

Each lists visible stories only (store/derived.py selects through `visible(now)`), and none
names its stories to the page cache: like a section, such a page changes when any story is
published, updated or killed (a new story at a place is not on the cached page yet), so the
cache drops it on every change. Their URLs end in ids where names are ambiguous; a page found
by its id under another name redirects to its one address.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from wiredesk.enrich.types import Place
from wiredesk.site.render import item_of, story_url
from wiredesk.store import ShownPicture, Store, derived, developing
from wiredesk.store.models import Story, StoryPlace, StoryQuote
from wiredesk.types import Item

PAGE_SIZE = 20
FEED_SIZE = 50
MAX_PAGE = 500
FEED_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Site:
    """What these routes borrow from the site's app (site/app.py)."""

    store: Store
    now: Callable[[], datetime]
    page: Callable[..., Response]
    xml: Callable[..., Response]
    pictures_of: Callable[[Sequence[Story]], dict[str, list[ShownPicture]]]


def place_slug(row: StoryPlace | derived.PlaceInfo) -> str:
    return Place(text=row.name, geonameid=row.geonameid, name=row.name).slug


def place_url(row: StoryPlace | derived.PlaceInfo) -> str:
    return f"/places/{place_slug(row)}"


def country_url(code: str) -> str:
    return f"/countries/{code.lower()}"


def person_url(slug: str) -> str:
    return f"/people/{slug}"


def page_number(request: Request) -> int | None:
    number = request.query_params.get("page", "1")
    if not number.isdigit() or not 1 <= int(number) <= MAX_PAGE:
        return None
    return int(number)


def pages_of(path: str, index: int, more: bool) -> dict[str, Any]:
    return {
        "page_number": index,
        "prev_url": (path if index == 2 else f"{path}?page={index - 1}") if index > 1 else None,
        "next_url": f"{path}?page={index + 1}" if more else None,
        "canonical": path + (f"?page={index}" if index > 1 else ""),
    }


# Stories a story page links under "Related" and under "More in <section>".
RELATED = 4


def story_extras(store: Store, story: Story, now: datetime) -> dict[str, Any]:
    """What the story page shows beside the text: its places, links to its quotations'
    paragraphs, and its developing story when that has other visible stories."""
    with store.session() as session:
        places = derived.places_of(session, story.id)
        quotes = derived.quotes_of(session, story.id)
        development = derived.development_of(session, story.id)
        translations = derived.translations_of(session, now, story)
        if development is not None and derived.visible_members(session, now, development) < 2:
            development = None
        related = derived.related(session, now, story, limit=RELATED)
    return {
        "places": places,
        "quotes": [q for q in quotes if q.end_offset <= len(story.body_text)],
        "development": development,
        "translations": translations,
        "related": related,
    }


def ninjs_places(places: Sequence[StoryPlace]) -> list[dict[str, Any]]:
    """ninjs `places`: a resolved place by its GeoNames URI with a GeoJSON point; an
    unresolved one by its name as written."""
    shown: list[dict[str, Any]] = []
    for p in places:
        if p.geonameid is None:
            shown.append({"name": p.text, "literal": p.text, "rel": p.origin})
            continue
        entry: dict[str, Any] = {
            "name": p.name,
            "rel": p.origin,
            "uri": f"http://sws.geonames.org/{p.geonameid}/",
            "literal": p.text,
            "country": p.country_code,
        }
        if p.latitude is not None and p.longitude is not None:
            entry["geometry_geojson"] = {"type": "Point", "coordinates": [p.longitude, p.latitude]}
        shown.append(entry)
    return shown


def ninjs_quotes(story: Story, quotes: Sequence[StoryQuote]) -> list[dict[str, Any]]:
    """The quotations as an extension field: offsets into body_text, never a copy of it."""
    return [
        {
            "speaker": q.speaker,
            "role": q.role,
            "uri": person_url(q.speaker_slug),
            "start": q.start_offset,
            "end": q.end_offset,
            "paragraphs": [q.first_paragraph + 1, q.last_paragraph + 1],
        }
        for q in quotes
        if q.end_offset <= len(story.body_text)
    ]


def routes(site: Site) -> list[BaseRoute]:
    store, now = site.store, site.now

    def missing(request: Request) -> Response:
        return site.page(request, "notfound.html", status=404)

    def place_of(request: Request) -> derived.PlaceInfo | Response:
        name, _, number = request.path_params["slug"].rpartition("-")
        if not name or not number.isdigit():
            return missing(request)
        with store.session() as session:
            found = derived.place(session, now(), int(number))
        if found is None:
            return missing(request)
        if place_slug(found) != request.path_params["slug"]:
            tail = request.url.path.rsplit(request.path_params["slug"], 1)[1]
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(place_url(found) + tail + query, status_code=301)
        return found

    def country_of(request: Request) -> str | Response:
        code: str = request.path_params["cc"]
        if len(code) != 2 or not code.isalpha():
            return missing(request)
        if code != code.lower():
            tail = request.url.path.rsplit(code, 1)[1]
            return RedirectResponse(country_url(code) + tail, status_code=301)
        return code.upper()

    def stories_for(kind: str, key: int | str, limit: int, offset: int = 0) -> Sequence[Story]:
        with store.session() as session:
            if kind == "place":
                return derived.stories_at(session, now(), int(key), limit=limit, offset=offset)
            return derived.stories_in(session, now(), str(key), limit=limit, offset=offset)

    def listing(request: Request, kind: str, key: int | str, path: str, **context: Any) -> Response:
        index = page_number(request)
        if index is None:
            return missing(request)
        stories = stories_for(kind, key, PAGE_SIZE + 1, (index - 1) * PAGE_SIZE)
        if not stories:
            return missing(request)
        shown = list(stories[:PAGE_SIZE])
        return site.page(
            request,
            "derived_list.html",
            stories=shown,
            pictures=site.pictures_of(shown),
            path=path,
            **pages_of(path, index, len(stories) > PAGE_SIZE),
            **context,
        )

    def feed(kind: str, key: int | str, path: str, title: str, template: str) -> Response:
        stories = stories_for(kind, key, FEED_SIZE)
        shown = site.pictures_of(stories)
        entries: list[tuple[Story, Item, list[ShownPicture]]] = [
            (s, item_of(store.current_version(s)), shown.get(s.uri, [])) for s in stories
        ]
        updated = max((s.updated_at for s, _, _ in entries), default=FEED_EPOCH)
        return site.xml(
            template,
            entries=entries,
            updated=updated,
            section=None,
            path=path,
            feeds=path + "/",
            title=title,
        )

    def place_title(found: derived.PlaceInfo) -> str:
        where = [p for p in (found.admin1, derived.country_name(found.country_code)) if p]
        return f"{found.name} ({', '.join(where)})" if where else found.name

    async def place_page(request: Request) -> Response:
        found = place_of(request)
        if isinstance(found, Response):
            return found
        return listing(
            request,
            "place",
            found.geonameid,
            place_url(found),
            heading=found.name,
            place=found,
            country=derived.country_name(found.country_code),
            country_url=country_url(found.country_code) if found.country_code else None,
            title=place_title(found),
        )

    async def country_page(request: Request) -> Response:
        code = country_of(request)
        if isinstance(code, Response):
            return code
        name = derived.country_name(code)
        return listing(
            request, "country", code, country_url(code), heading=name, place=None, title=name
        )

    def place_feed(template: str) -> Callable[[Request], Any]:
        async def handler(request: Request) -> Response:
            found = place_of(request)
            if isinstance(found, Response):
                return found
            if not stories_for("place", found.geonameid, 1):
                return missing(request)
            path = place_url(found)
            return feed("place", found.geonameid, path, place_title(found), template)

        return handler

    def country_feed(template: str) -> Callable[[Request], Any]:
        async def handler(request: Request) -> Response:
            code = country_of(request)
            if isinstance(code, Response):
                return code
            if not stories_for("country", code, 1):
                return missing(request)
            name = derived.country_name(code)
            return feed("country", code, country_url(code), name, template)

        return handler

    async def person_page(request: Request) -> Response:
        slug: str = request.path_params["slug"]
        index = page_number(request)
        if index is None:
            return missing(request)
        with store.session() as session:
            said = derived.said_by(
                session, now(), slug, limit=PAGE_SIZE + 1, offset=(index - 1) * PAGE_SIZE
            )
        if not said:
            return missing(request)
        shown = said[:PAGE_SIZE]
        roles = list(dict.fromkeys(s.role for s in shown if s.role))
        return site.page(
            request,
            "person.html",
            heading=shown[0].speaker,
            roles=roles,
            said=shown,
            **pages_of(person_url(slug), index, len(said) > PAGE_SIZE),
        )

    async def developing_page(request: Request) -> Response:
        number: str = request.path_params["id"]
        if not number.isdigit():
            return missing(request)
        with store.session() as session:
            entries = developing.timeline(session, int(number), now())
        if not entries:
            return missing(request)
        # A killed story shows as withdrawn: no headline, no text, no link.
        urls = {
            e.story_id: story_url(found)
            for e in entries
            if not e.killed and (found := store.story(e.story_id)) is not None
        }
        return site.page(
            request,
            "developing.html",
            entries=entries,
            urls=urls,
            heading=next((e.headline for e in entries if not e.killed), "Developing story"),
        )

    return [
        Route("/developing/{id}", developing_page),
        Route("/places/{slug}", place_page),
        Route("/places/{slug}/feed.atom", place_feed("feed.atom.xml")),
        Route("/places/{slug}/feed.rss", place_feed("feed.rss.xml")),
        Route("/countries/{cc}", country_page),
        Route("/countries/{cc}/feed.atom", country_feed("feed.atom.xml")),
        Route("/countries/{cc}/feed.rss", country_feed("feed.rss.xml")),
        Route("/people/{slug}", person_page),
    ]
