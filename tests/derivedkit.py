"""Derived rows (places, quotes, developments) for site tests, written beside real stories.

The desk derives these itself on publish (issue 13's listener); tests of the read side set
them exactly, replacing whatever the desk wrote, so a page's expected content is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert

from wiredesk import Desk
from wiredesk.enrich.types import Place, Quote
from wiredesk.store.models import Development, StoryDevelopment, StoryPlace, StoryQuote
from wiredesk.store.writes import table_of

KABUL = Place("Kabul", "dateline", 1138958, "Kabul", "AF", "Kabul", 34.52813, 69.17233)
NEW_DELHI = Place("New Delhi", "dateline", 1261481, "New Delhi", "IN", "NCT", 28.63576, 77.22445)
MUMBAI = Place("Mumbai", "dateline", 1275339, "Mumbai", "IN", "Maharashtra", 19.07283, 72.88261)
UNRESOLVED = Place("Camp Nowhere", "located")


def quote(body: str, text: str, speaker: str, role: str = "") -> Quote:
    """The quotation at its first place in the body, with the paragraphs it spans."""
    start = body.index(text)
    end = start + len(text)
    first = body.count("\n\n", 0, start)
    return Quote(text, start, end, first, body.count("\n\n", 0, end), speaker, role)


def derive(
    desk: Desk,
    story_id: int,
    places: Sequence[Place] = (),
    quotes: Sequence[Quote] = (),
) -> None:
    with desk.store.session() as session, session.begin():
        session.execute(delete(StoryPlace).where(StoryPlace.story_id == story_id))
        session.execute(delete(StoryQuote).where(StoryQuote.story_id == story_id))
        if places:
            session.execute(
                insert(table_of(StoryPlace)),
                [
                    {
                        "story_id": story_id,
                        "position": n,
                        "text": p.text,
                        "origin": p.source,
                        "geonameid": p.geonameid,
                        "name": p.name,
                        "country_code": p.country_code,
                        "admin1": p.admin1,
                        "latitude": p.latitude,
                        "longitude": p.longitude,
                    }
                    for n, p in enumerate(places)
                ],
            )
        if quotes:
            session.execute(
                insert(table_of(StoryQuote)),
                [
                    {
                        "story_id": story_id,
                        "position": n,
                        "start_offset": q.start,
                        "end_offset": q.end,
                        "first_paragraph": q.first_paragraph,
                        "last_paragraph": q.last_paragraph,
                        "speaker": q.speaker,
                        "speaker_slug": q.speaker_slug,
                        "role": q.role,
                    }
                    for n, q in enumerate(quotes)
                ],
            )


def develop(desk: Desk, story_ids: Sequence[int]) -> int:
    """One developing story of these stories, replacing any they were in."""
    at = datetime(2026, 6, 1, tzinfo=UTC)
    with desk.store.session() as session, session.begin():
        session.execute(delete(StoryDevelopment).where(StoryDevelopment.story_id.in_(story_ids)))
        development = Development(started_at=at, updated_at=at)
        session.add(development)
        session.flush()
        for story_id in story_ids:
            session.add(
                StoryDevelopment(story_id=story_id, development_id=development.id, joined_at=at)
            )
        return development.id
