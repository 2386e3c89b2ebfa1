"""The enricher through the real Desk: rows replaced per version, developments, embargoes, kills.

Places and quotations come from the resolver and extractor (issues 13p and 13q); until those are
merged, these tests feed constructed Place and Quote values through the enricher's one call site
for each, derived from the item so that an update really changes them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from wire import ninjs
from wiredesk import Desk
from wiredesk.cli import main
from wiredesk.config import Config
from wiredesk.enrich import enricher
from wiredesk.enrich.types import Place, Quote
from wiredesk.store.developing import development_of, timeline
from wiredesk.store.models import Story, StoryPlace, StoryQuote
from wiredesk.types import Item

GAZ = {"Kabul": (1138958, "AF"), "New Delhi": (1261481, "IN"), "Mumbai": (1275339, "IN")}


def fake_places(item: Item) -> list[Place]:
    return [
        Place(name, "dateline", GAZ[name][0], name, GAZ[name][1])
        for name in item.headline.split("|")[0].split("/")
        if name in GAZ
    ]


def fake_quotes(item: Item) -> list[Quote]:
    found = []
    for speaker in ("Narendra Modi", "Anaamullah Samangani", "Baba Shirin"):
        start = item.body_text.find(speaker)
        if start >= 0:
            found.append(Quote(speaker, start, start + len(speaker), 0, 0, speaker))
    return found


@pytest.fixture(autouse=True)
def derived(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enricher, "places_of", fake_places)
    monkeypatch.setattr(enricher, "quotes_of", fake_quotes)


def rows(desk: Desk, uri: str) -> tuple[list[str], list[str], int | None]:
    with desk.store.session() as session:
        sid = session.scalar(select(Story.id).where(Story.uri == uri))
        assert sid is not None
        places = session.scalars(
            select(StoryPlace.name).where(StoryPlace.story_id == sid).order_by(StoryPlace.position)
        ).all()
        quotes = session.scalars(select(StoryQuote.speaker).where(StoryQuote.story_id == sid)).all()
        dev = development_of(session, sid, desk.clock())
    return list(places), list(quotes), dev[0] if dev else None


def test_rows_are_derived_on_publish_and_replaced_on_update(desk: Desk) -> None:
    desk.receive(ninjs("u1", "Narendra Modi said so.", headline="Kabul/New Delhi|talks"))
    assert rows(desk, "u1")[:2] == (["Kabul", "New Delhi"], ["Narendra Modi"])
    desk.clock.now += timedelta(minutes=5)  # type: ignore[attr-defined]
    desk.receive(ninjs("u1", "Baba Shirin said so.", headline="Mumbai|talks", version=2))
    assert rows(desk, "u1")[:2] == (["Mumbai"], ["Baba Shirin"])


def test_an_embargoed_story_has_no_rows_until_it_lifts(desk: Desk) -> None:
    at = desk.clock() + timedelta(hours=1)
    desk.receive(ninjs("e1", "Baba Shirin said so.", headline="Kabul|x", embargoed=at))
    assert rows(desk, "e1") == ([], [], None)
    desk.clock.now = at + timedelta(seconds=1)  # type: ignore[attr-defined]
    desk.release_due()
    places, quotes, dev = rows(desk, "e1")
    assert (places, quotes) == (["Kabul"], ["Baba Shirin"]) and dev is not None


def test_same_place_alone_stays_apart_place_and_speaker_join(desk: Desk) -> None:
    desk.receive_many(
        [
            (ninjs("pti", "Narendra Modi said the talks went well.", headline="New Delhi|a"), "a"),
            (ninjs("ani", "Traffic was slow near the fort.", headline="New Delhi|b"), "b"),
            (ninjs("ians", "Later Narendra Modi left.", headline="New Delhi|c"), "c"),
        ]
    )
    desk.clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]  # past the batch's stamps
    a, b, c = (rows(desk, u)[2] for u in ("pti", "ani", "ians"))
    assert a == c and a != b
    with desk.store.session() as session:
        assert [e.story_id for e in timeline(session, a or 0, desk.clock())] == [
            session.scalar(select(Story.id).where(Story.uri == u)) for u in ("pti", "ians")
        ]


def test_a_bridging_story_merges_two_developments(desk: Desk) -> None:
    desk.receive(ninjs("k1", "Baba Shirin spoke.", headline="Kabul|x"))
    desk.receive(ninjs("d1", "Narendra Modi spoke.", headline="New Delhi|y"))
    assert rows(desk, "k1")[2] != rows(desk, "d1")[2]
    desk.receive(ninjs("b1", "Baba Shirin and Narendra Modi spoke.", headline="Kabul/New Delhi|z"))
    assert rows(desk, "k1")[2] == rows(desk, "d1")[2] == rows(desk, "b1")[2]


def test_a_killed_member_stays_withdrawn_without_its_headline(desk: Desk) -> None:
    desk.receive(ninjs("x1", "Baba Shirin spoke.", headline="Kabul|first"))
    desk.receive(ninjs("x2", "Baba Shirin spoke again.", headline="Kabul|second"))
    desk.clock.now += timedelta(minutes=1)  # type: ignore[attr-defined]
    desk.receive(ninjs("x1", "", headline="Kabul|first", version=2, pubstatus="canceled"))
    dev = rows(desk, "x2")[2]
    with desk.store.session() as session:
        entries = timeline(session, dev or 0, desk.clock())
        assert [(e.killed, e.headline) for e in entries] == [
            (True, ""),
            (False, "Kabul|second"),
        ]
        found = development_of(session, entries[1].story_id, desk.clock())
        assert found == (dev, 1)


def test_the_enrich_command_fills_a_desk_from_before_the_feature_and_is_idempotent(
    desk: Desk, config: Config, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    desk.listeners[:] = [x for x in desk.listeners if not isinstance(x, enricher.Enricher)]
    desk.receive(ninjs("o1", "Baba Shirin spoke.", headline="Kabul|one"))
    desk.receive(ninjs("o2", "Baba Shirin spoke again.", headline="Kabul|two"))
    desk.receive(ninjs("o3", "Nothing said.", headline="Mumbai|three"))
    assert rows(desk, "o1") == ([], [], None)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = CliRunner().invoke(main, ["--db", config.database_url, "enrich"])
        assert result.exit_code == 0, result.output
        assert "enriched 3 stories" in result.output
        one, two, three = (rows(desk, u) for u in ("o1", "o2", "o3"))
        assert one[:2] == (["Kabul"], ["Baba Shirin"]) and one[2] == two[2] != three[2]
    with desk.store.session() as session:
        assert len(session.scalars(select(StoryPlace.id)).all()) == 3
