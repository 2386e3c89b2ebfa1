"""Developments through the real Desk with the real quotation finder and near-duplicate index."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from seedwire import nitf, read_seed
from wire import g2
from wiredesk import Desk
from wiredesk.store.developing import development_of, timeline
from wiredesk.store.models import Story, StoryQuote

EVENT = [
    "Heavy rain lashed the national capital on Thursday, flooding underpasses and stalling "
    "traffic on the Ring Road for several hours, officials of the Delhi traffic police said.",
    "The India Meteorological Department issued an orange alert for the city and forecast "
    "more rain over the next two days, with waterlogging reported in several low-lying areas.",
]
OTHER = [
    "A new metro line connecting the airport to the city centre was opened on Thursday by "
    "the urban development ministry, which said it would carry fifty thousand riders a day.",
]


def dev(desk: Desk, uri: str) -> tuple[int, int] | None:
    with desk.store.session() as session:
        sid = session.scalar(select(Story.id).where(Story.uri == uri))
        return development_of(session, sid or 0, desk.clock())


def test_three_agencies_on_one_event_share_a_development_the_same_city_story_does_not(
    desk: Desk,
) -> None:
    for provider in ("PTI", "IANS", "ANI"):
        desk.receive(
            g2(f"urn:{provider}:rain", EVENT, headline="Rain floods Delhi", provider=provider)
        )
        desk.clock.now += timedelta(minutes=10)  # type: ignore[attr-defined]
    desk.receive(g2("urn:PTI:metro", OTHER, headline="Airport metro opens", provider="PTI"))
    desk.clock.now += timedelta(minutes=1)  # type: ignore[attr-defined]
    found = [dev(desk, f"urn:{p}:rain") for p in ("PTI", "IANS", "ANI")]
    assert found[0] is not None and found[0][1] == 3 and found.count(found[0]) == 3
    other = dev(desk, "urn:PTI:metro")
    assert other is not None and other[0] != found[0][0] and other[1] == 1
    with desk.store.session() as session:
        entries = timeline(session, found[0][0], desk.clock())
    assert [e.agency for e in entries] == ["PTI", "IANS", "ANI"]
    # An update keeps its development and shows as a revision.
    desk.receive(
        g2(
            "urn:IANS:rain",
            [*EVENT, "More later."],
            version=2,
            provider="IANS",
            versioncreated="2026-06-01T11:00:00Z",
            headline="Rain floods Delhi",
        )
    )
    desk.clock.now += timedelta(minutes=1)  # type: ignore[attr-defined]
    assert dev(desk, "urn:IANS:rain") == found[0]
    with desk.store.session() as session:
        entries = timeline(session, found[0][0], desk.clock())
    assert [len(e.revisions) for e in entries] == [0, 1, 0]


def test_the_seed_s_three_quotes_are_stored_with_their_speakers(desk: Desk, seed_text: str) -> None:
    desk.receive(nitf(read_seed(seed_text)))
    with desk.store.session() as session:
        quotes = session.execute(
            select(
                StoryQuote.speaker, StoryQuote.start_offset, StoryQuote.end_offset, Story.body_text
            )
            .join(Story, Story.id == StoryQuote.story_id)
            .order_by(StoryQuote.position)
        ).all()
    speakers = [q[0] for q in quotes]
    assert set(speakers) >= {"Anaamullah Samangani", "Baba Shirin", "Fahim Dashti"}
    for _speaker, start, end, body in quotes:
        assert 0 <= start < end <= len(body)
