"""The format's own location fields reach the stored places through a real Desk and the real
resolver: after the dateline's places, one row per GeoNames id."""

from __future__ import annotations

from sqlalchemy import select

from wire import g2, ninjs
from wiredesk import Desk
from wiredesk.store.models import Story, StoryPlace

KABUL, NEW_DELHI, INDIA, MUMBAI = 1138958, 1261481, 1269750, 1275339


def stored(desk: Desk, uri: str) -> list[tuple[str, str, int | None, str]]:
    with desk.store.session() as session:
        sid = session.scalar(select(Story.id).where(Story.uri == uri))
        assert sid is not None
        found = session.execute(
            select(
                StoryPlace.text, StoryPlace.origin, StoryPlace.geonameid, StoryPlace.country_code
            )
            .where(StoryPlace.story_id == sid)
            .order_by(StoryPlace.position)
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in found]


def talks(desk: Desk, uri: str, dateline: str, places: list[dict[str, str]]) -> None:
    body = "Talks went on late into the night."
    desk.receive(ninjs(uri, body, agency="PTI", dateline=dateline, places=places))


def test_a_story_whose_dateline_says_nothing_gets_its_formats_place(desk: Desk) -> None:
    talks(desk, "urn:l:1", "Monday", [{"name": "Kabul", "rel": "mentions"}])
    assert stored(desk, "urn:l:1") == [("Kabul", "located", KABUL, "AF")]


def test_the_dateline_place_comes_first_and_each_place_once(desk: Desk) -> None:
    places = [{"name": "Kabul"}, {"name": "New Delhi"}, {"name": "Mumbai", "country": "India"}]
    talks(desk, "urn:l:2", "New Delhi, Sep 1", places)
    assert stored(desk, "urn:l:2") == [
        ("New Delhi", "dateline", NEW_DELHI, "IN"),
        ("Kabul", "located", KABUL, "AF"),
        ("Mumbai, India", "located", MUMBAI, "IN"),
    ]


def test_a_located_country_name_is_the_country(desk: Desk) -> None:
    data = g2("urn:l:3", ["Rain fell on the plains all week."]).replace(
        b"<contentMeta>",
        b'<contentMeta><located qcode="x:1"><broader type="cptype:country">'
        b"<name>India</name></broader></located>",
    )
    desk.receive(data)
    assert stored(desk, "urn:l:3") == [("India", "located", INDIA, "IN")]
