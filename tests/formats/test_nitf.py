from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiredesk.exceptions import ParseError
from wiredesk.formats import nitf, parse
from wiredesk.formats.nitf import dateline_beside
from wiredesk.types import Item, Subject


def story(head: str = "", body_head: str = "", content: str = "<p>Body.</p>") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf xml:lang="en-GB"><head><title>Title</title>{head}</head><body>
<body.head><hedline><hl1>Main headline</hl1><hl2>A subtitle</hl2></hedline>{body_head}</body.head>
<body.content>{content}</body.content></body></nitf>""".encode()


def single(data: bytes) -> Item:
    parsed = parse(data)
    assert parsed.format == "nitf"
    assert len(parsed.items) == 1
    return parsed.items[0]


def test_docdata_and_body_head_are_read() -> None:
    head = """
    <tobject><tobject.subject tobject.subject.refnum="15000000" tobject.subject.type="Sport"/></tobject>
    <docdata management-status="usable">
      <doc-id id-string=" story-42 "/><du-key key="CRICKET-IND" version="3"/>
      <urgency ed-urg="2"/>
      <date.issue norm="20260601T103000+0530"/>
      <date.release norm="20260602T000100+0100"/>
      <ed-msg info="Embargoed to 0001 Tuesday"/>
      <doc.copyright holder="ACME" year="2026"/>
    </docdata>"""
    body_head = "<byline>By A. Writer</byline><distributor>ACME News</distributor>"
    item = single(story(head, body_head, "<p>  One  two.  </p><p>Three.</p>"))
    assert item.uri == "story-42"
    assert item.version == "3"
    assert item.headline == "Main headline"
    assert item.slugline == "CRICKET-IND"
    assert item.urgency == 2
    assert item.versioncreated == datetime(
        2026, 6, 1, 10, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert item.embargoed == datetime(2026, 6, 1, 23, 1, tzinfo=UTC)
    assert item.ednote == "Embargoed to 0001 Tuesday"
    assert item.byline == "By A. Writer"
    assert item.agency == "ACME News"
    assert item.language == "en-GB"
    assert item.subject == [Subject("15000000", "Sport")]
    assert item.category == "Sport"
    assert item.body_text == "One  two.\n\nThree."


def test_a_dateline_of_only_structure_is_its_place_and_a_written_one_is_all_its_text() -> None:
    only_date = (
        '<dateline><!-- a note --><story.date norm="20170102T222800+0000">'
        "20170102T222800+0000</story.date></dateline>"
    )
    assert single(story(body_head=only_date)).dateline == ""
    parts = (
        "<dateline><location><city>Ottawa</city><state>Ontario</state>"
        "<country>Canada</country></location><story.date norm='20200703T165136-0400'/></dateline>"
    )
    assert single(story(body_head=parts)).dateline == "Ottawa, Ontario, Canada"
    text = '<dateline>Oslo <story.date norm="20200907T144526">7 Sep</story.date></dateline>'
    assert single(story(body_head=text)).dateline == "Oslo 7 Sep"


def test_a_dateline_already_in_the_text_is_not_shown_twice() -> None:
    parts = "<dateline><location><city>Ottawa</city><state>Ontario</state></location></dateline>"
    item = single(story(body_head=parts, content="<p>OTTAWA - A man was charged.</p>"))
    assert item.dateline == ""
    assert item.body_text == "OTTAWA - A man was charged."


def test_urgency_under_head_and_keyword_text() -> None:
    head = (
        '<urgency ed-urg="2"/><docdata><key-list><keyword>National</keyword></key-list></docdata>'
    )
    item = single(story(head))
    assert item.urgency == 2
    assert item.slugline == "National"


def test_canceled_and_corrected() -> None:
    head = '<docdata management-status="canceled"/>'
    item = single(story(head).replace(b"Main headline", b"CORRECTED-Main headline"))
    assert item.pubstatus == "canceled"
    assert item.headline == "CORRECTED-Main headline"
    assert item.signals == ["correction", "kill"]


def test_dateline_beside() -> None:
    assert dateline_beside("Oslo", ["Nei, dette stemmer ikke."]) == "Oslo"
    assert dateline_beside("Rome", ["(ANSA) - Rome, June 1 - Text."]) == ""
    assert dateline_beside("Hamburg (dpa) -", ["Teaser.", "Hamburg (dpa) - Text."]) == ""
    assert dateline_beside("Chennai", ["CHENNAI, June 1 (PTI) Text"]) == ""
    assert dateline_beside("Chennai", []) == "Chennai"
    assert dateline_beside("", ["Text"]) == ""


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_an_item_or_a_parse_error(data: bytes) -> None:
    try:
        results = nitf.parse(data)
    except ParseError:
        return
    assert all(isinstance(r, Item) for r in results)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(urgency=_TEXT, dateline=_TEXT, date=_TEXT, paragraph=_TEXT)
def test_fuzzed_stories_give_an_item_or_a_parse_error(
    urgency: str, dateline: str, date: str, paragraph: str
) -> None:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")

    data = story(
        f'<docdata><urgency ed-urg="{esc(urgency)}"/><date.issue norm="{esc(date)}"/></docdata>',
        f"<dateline>{esc(dateline)}</dateline>",
        f"<p>{esc(paragraph)}</p>",
    )
    try:
        (item,) = nitf.parse(data)
    except ParseError:
        return
    assert item.headline == "Main headline"
    assert item.body_text == paragraph.strip()
