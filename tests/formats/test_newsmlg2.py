from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from wiredesk.exceptions import ParseError
from wiredesk.formats import detect, newsmlg2, parse
from wiredesk.types import Item, Skipped, Subject

NS = "http://iptc.org/std/nar/2006-10-01/"


def news_item(
    guid: str = "urn:test:1",
    version: str = "1",
    item_class: str = "ninat:text",
    item_meta: str = "",
    content_meta: str = "<headline>Monsoon arrives</headline>",
    content_set: str = "<inlineData contenttype='text/plain'>Rain fell.</inlineData>",
) -> str:
    return f"""
<newsItem guid="{guid}" version="{version}" standard="NewsML-G2" xml:lang="en">
  <itemMeta>
    <itemClass qcode="{item_class}"/>
    <provider qcode="nprov:ACME"/>
    <versionCreated>2026-06-01T10:00:00Z</versionCreated>
    <pubStatus qcode="stat:usable"/>
    {item_meta}
  </itemMeta>
  <contentMeta>{content_meta}</contentMeta>
  <contentSet>{content_set}</contentSet>
</newsItem>"""


def single(xml: str) -> Item:
    data = f'<?xml version="1.0" encoding="UTF-8"?>{xml}'.replace(
        "<newsItem ", f'<newsItem xmlns="{NS}" ', 1
    )
    parsed = parse(data.encode())
    assert parsed.format == "newsmlg2"
    assert len(parsed.items) == 1, parsed.skipped
    return parsed.items[0]


def message(*items: str) -> bytes:
    body = "".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="{NS}"><header><sent>2026-06-01T10:00:00Z</sent></header>
<itemSet>{body}</itemSet></newsMessage>""".encode()


def test_a_message_with_many_items_keeps_text_and_skips_the_rest_with_reasons() -> None:
    data = message(
        news_item("urn:a", content_meta="<headline>First story</headline>"),
        news_item("urn:pic", item_class="ninat:picture"),
        news_item("urn:b", content_meta="<headline>Second story</headline>"),
        '<packageItem guid="urn:pkg"><groupSet root="r"><group id="r">'
        '<itemRef residref="urn:a"/><itemRef residref="urn:b"/></group></groupSet></packageItem>',
        '<conceptItem guid="urn:event"/>',
        '<planningItem guid="urn:plan"/>',
        news_item("urn:vid", item_class="icls:video"),
    )
    parsed = parse(data)
    assert [(i.uri, i.headline) for i in parsed.items] == [
        ("urn:a", "First story"),
        ("urn:b", "Second story"),
    ]
    reasons = {s.uri: s.reason for s in parsed.skipped}
    assert set(reasons) == {"urn:pkg", "urn:event", "urn:plan", "urn:vid"}
    # A picture item is read as a picture; a package linking no pictures is skipped.
    assert [p.uri for p in parsed.pictures] == ["urn:pic"]
    assert reasons["urn:vid"] == "a icls:video item, not a text story; skipped"
    assert "package" in reasons["urn:pkg"] and "urn:a, urn:b" in reasons["urn:pkg"]
    assert "concept item" in reasons["urn:event"]
    assert "planning item" in reasons["urn:plan"]


def test_reuters_and_ansa_icls_text_classes_are_text() -> None:
    item = single(news_item(item_class="icls:text"))
    assert item.body_text == "Rain fell."


def test_inline_data_cdata_holding_p_tags_with_indented_paragraphs() -> None:
    cdata = (
        "<p>\n      \n      (ANSA) - Rome, June 1 - The minister\nsaid the plan is\n"
        'ready.\n   "We are ready,"\nhe said.  Twice.\n   Talks resume\non Monday.\n    </p>'
    )
    item = single(
        news_item(
            content_set=f"<inlineData contenttype='text/plain'><![CDATA[{cdata}]]></inlineData>"
        )
    )
    # ANSA's credit-first opening is the dateline and credit, cut from the first paragraph.
    assert item.dateline == "Rome, June 1"
    assert item.paragraphs == [
        "The minister\nsaid the plan is\nready.",
        '"We are ready,"\nhe said.  Twice.',
        "Talks resume\non Monday.",
    ]


def test_plain_inline_data_keeps_every_character_inside_paragraphs() -> None:
    text = "  First  line,\n  wrapped   here.\n\nSecond\tparagraph — “quoted”.  \n"
    item = single(news_item(content_set=f"<inlineData>{text}</inlineData>"))
    assert item.body_text == "First  line,\n  wrapped   here.\n\nSecond\tparagraph — “quoted”."


def test_the_longest_text_rendition_is_the_story() -> None:
    content_set = (
        "<inlineData rendition='dpa7901rendition:headline'>Short head</inlineData>"
        "<inlineData rendition='dpa7901rendition:text'>The whole story text.</inlineData>"
    )
    assert single(news_item(content_set=content_set)).body_text == "The whole story text."


def test_headline_roles_pick_the_main_headline_and_keep_it_verbatim() -> None:
    meta = (
        '<headline role="hld:subHeadline">A subtitle</headline>'
        '<headline role="hld:main">  CORRECTED-Main  headline\n  here </headline>'
    )
    item = single(news_item(content_meta=meta))
    assert item.headline == "CORRECTED-Main  headline\n  here"
    assert "correction" in item.signals


def test_ranked_headlines_take_the_lowest_rank() -> None:
    meta = '<headline rank="2">Second</headline><headline rank="1">First</headline>'
    assert single(news_item(content_meta=meta)).headline == "First"


def test_reuters_padded_values_and_opaque_versions() -> None:
    xml = f"""<ns0:newsItem xmlns:ns0="{NS}" guid="
        tag:reuters.com,2018:newsml_X1 " version=" 472094323 ">
      <ns0:itemMeta>
        <ns0:itemClass qcode="  icls:text "/>
        <ns0:versionCreated>
            2018-01-03T20:13:08.000Z
        </ns0:versionCreated>
        <ns0:firstCreated>2018-01-03T19:00:00.000Z</ns0:firstCreated>
        <ns0:embargoed/>
        <ns0:pubStatus qcode=" stat:usable "/>
        <ns0:signal qcode=" edStat:C "/>
      </ns0:itemMeta>
      <ns0:contentMeta>
        <ns0:urgency>
            4
        </ns0:urgency>
        <ns0:slugline separator="-">SOCCER-PORTUGAL/RESULTS (UPDATE 2)
        </ns0:slugline>
        <ns0:headline>UPDATE
            2-Primeira Liga Results
        </ns0:headline>
        <ns0:creditline>Opta Sports
            Data
        </ns0:creditline>
        <ns0:dateline>2018-01-03 20:13:08
            GMT+00:00
        </ns0:dateline>
      </ns0:contentMeta>
      <ns0:contentSet><ns0:inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>
      Results  and fixtures
        Aves 1 Moreirense 2
      </body></html></ns0:inlineXML></ns0:contentSet>
    </ns0:newsItem>"""
    item = single(xml)
    assert item.uri == "tag:reuters.com,2018:newsml_X1"
    assert item.version == "472094323"
    assert item.versioncreated == datetime(2018, 1, 3, 20, 13, 8, tzinfo=UTC)
    assert item.firstcreated == datetime(2018, 1, 3, 19, 0, tzinfo=UTC)
    assert item.embargoed is None
    assert item.urgency == 4
    assert item.slugline == "SOCCER-PORTUGAL/RESULTS (UPDATE 2)"
    assert item.headline == "UPDATE\n            2-Primeira Liga Results"
    assert item.agency == "Opta Sports Data"
    assert item.dateline == ""  # a timestamp is not a dateline
    assert item.body_text == "Results  and fixtures\n        Aves 1 Moreirense 2"
    assert item.signals == ["edStat:C", "correction", "update"]


@pytest.mark.parametrize(
    ("qcodes", "expected"),
    [
        (["sig:update"], ["sig:update", "update"]),
        (["sig:correction"], ["sig:correction", "correction"]),
        (["edStat:U"], ["edStat:U", "update"]),
        (["edStat:D"], ["edStat:D", "kill"]),
        (["sig:repeat", "dpasig:isplanned"], ["sig:repeat", "dpasig:isplanned"]),
    ],
)
def test_signals_keep_raw_qcodes_and_add_plain_names(
    qcodes: list[str], expected: list[str]
) -> None:
    meta = "".join(f'<signal qcode="{q}"/>' for q in qcodes)
    assert single(news_item(item_meta=meta)).signals == expected


@pytest.mark.parametrize(
    ("qcode", "status"), [("stat:withheld", "withheld"), ("stat:canceled", "canceled")]
)
def test_pub_status_withheld_and_canceled(qcode: str, status: str) -> None:
    xml = news_item().replace("stat:usable", qcode)
    item = single(xml)
    assert item.pubstatus == status
    assert ("kill" in item.signals) == (status == "canceled")


def test_embargo_time_is_read() -> None:
    item = single(news_item(item_meta="<embargoed> 2026-06-02T00:01:00+01:00 </embargoed>"))
    assert item.embargoed == datetime(2026, 6, 2, 0, 1, tzinfo=timezone(timedelta(hours=1)))


def test_content_metadata_is_read() -> None:
    meta = """
      <urgency>3</urgency>
      <contentCreated>2026-05-31T08:00:00Z</contentCreated>
      <located><name>Chennai</name></located>
      <language tag="ta"/>
      <subject qcode="dpacountry:1" type="cpnat:geoArea"><name>India</name></subject>
      <subject qcode="medtop:20000822"><name role="nrol:mnemonic">spo</name><name>sport</name></subject>
      <subject literal="cricket"/>
      <genre qcode="genre:Feature"><name>Feature</name></genre>
      <slugline>CRICKET-IND</slugline>
      <headline>India win</headline>
      <by>By A. Writer</by>
      <creditline>ACME</creditline>"""
    item_meta = """
      <edNote>Note to editors: picture available.</edNote>
      <edNote pubconstraint="acme:nonpublic">Reporter: +91 99999</edNote>
      <edNote><section xmlns="http://www.w3.org/1999/xhtml">Notepad</section></edNote>"""
    item = single(news_item(item_meta=item_meta, content_meta=meta))
    assert item.urgency == 3
    assert item.firstcreated == datetime(2026, 5, 31, 8, tzinfo=UTC)
    assert item.dateline == "Chennai"
    assert item.language == "en"  # xml:lang on the item wins
    assert item.subject == [
        Subject("dpacountry:1", "India"),
        Subject("medtop:20000822", "sport"),
        Subject("cricket", ""),
    ]
    assert item.category == "sport"  # a topic, never a place
    assert item.slugline == "CRICKET-IND"
    assert item.byline == "By A. Writer"
    assert item.agency == "ACME"
    assert item.ednote == "Note to editors: picture available."


def test_provider_and_genre_are_fallbacks() -> None:
    meta = '<headline>H</headline><genre qcode="g:1"><name>Interview</name></genre>'
    item = single(news_item(content_meta=meta))
    assert item.agency == "ACME"
    assert item.category == "Interview"


def test_a_dateline_element_the_text_repeats_after_a_teaser_is_cut_there() -> None:
    meta = "<headline>H</headline><dateline>Hamburg (dpa) - </dateline>"
    body = (
        '<inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<header><h1>H</h1><p>Extra</p></header>"
        '<section class="main"><p class="teaser">Teaser.</p>'
        '<p><span class="dateline">Hamburg <span class="credit">(dpa)</span> - </span>Text.</p>'
        "</section></body></html></inlineXML>"
    )
    item = single(news_item(content_meta=meta, content_set=body))
    # dpa's element is the dateline; the words it repeats in the text are shown once.
    assert item.dateline == "Hamburg"
    assert (item.summary, item.body_text, item.credit) == ("Teaser.", "Text.", "dpa")


def test_inline_nitf_body() -> None:
    body = """<inlineXML contenttype="application/nitf+xml">
      <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head>
        <hedline><hl1>NITF head</hl1></hedline></body.head>
        <body.content><p>One.</p><p>Two.</p></body.content></body></nitf></inlineXML>"""
    item = single(news_item(content_meta="<headline>G2 head</headline>", content_set=body))
    assert item.headline == "G2 head"
    assert item.body_text == "One.\n\nTwo."
    assert item.format == "newsmlg2"


def test_items_without_headline_or_text_are_skipped() -> None:
    parsed = parse(message(news_item("urn:e", content_meta="", content_set="")))
    assert parsed.items == []
    assert parsed.skipped == [
        Skipped("urn:e", "the newsItem carries neither a headline nor any text")
    ]


def test_a_news_item_without_guid_is_refused() -> None:
    with pytest.raises(ParseError, match="no guid"):
        parse(message(news_item(guid="  ")))


@pytest.mark.parametrize("root", ["contentSet", "contentMeta"])
def test_fragments_are_refused_with_a_readable_reason(root: str) -> None:
    data = f'<{root} xmlns="{NS}"><headline>x</headline></{root}>'.encode()
    assert detect(data) == "newsmlg2"
    with pytest.raises(ParseError, match="fragment"):
        parse(data)


def test_an_empty_item_set_is_an_error() -> None:
    with pytest.raises(ParseError, match="no items"):
        parse(message())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    try:
        results = newsmlg2.parse(data)
    except ParseError:
        return
    assert all(isinstance(r, Item | Skipped) for r in results)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    headline=_TEXT,
    body=_TEXT,
    version=_TEXT,
    qcode=_TEXT,
    role=st.sampled_from(["", "hld:main", "hld:subHeadline"]),
)
def test_fuzzed_messages_give_items_or_a_parse_error(
    headline: str, body: str, version: str, qcode: str, role: str
) -> None:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")

    xml = news_item(
        version=esc(version),
        item_meta=f'<signal qcode="{esc(qcode)}"/>',
        content_meta=f'<headline role="{role}">{esc(headline)}</headline>',
        content_set=f"<inlineData>{esc(body)}</inlineData>",
    )
    try:
        results = newsmlg2.parse(message(xml))
    except ParseError:
        return
    for result in results:
        if isinstance(result, Item):
            assert result.headline == headline.strip()
            assert "\n\n\n" not in result.body_text


_NAMES = st.sampled_from(
    [
        "newsItem", "packageItem", "conceptItem", "itemSet", "itemMeta", "itemClass", "contentMeta",
        "contentSet", "inlineXML", "inlineData", "headline", "signal", "pubStatus", "embargoed",
        "versionCreated", "urgency", "subject", "name", "genre", "located", "dateline", "edNote",
        "nitf", "body", "body.content", "section", "p", "itemRef", "provider", "creditline",
    ]
)  # fmt: skip
_XML_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), max_size=20)
_ATTRS = st.dictionaries(
    st.sampled_from(
        ["guid", "version", "qcode", "role", "rank", "contenttype", "class", "literal"]
    ),
    _XML_TEXT,
    max_size=3,
)


def _tree(depth: int = 0) -> st.SearchStrategy[etree._Element]:
    @st.composite
    def build(draw: st.DrawFn) -> etree._Element:
        el = etree.Element(f"{{{NS}}}{draw(_NAMES)}")
        for key, value in draw(_ATTRS).items():
            el.set(key, value)
        el.text = draw(_XML_TEXT)
        if depth < 3:
            el.extend(draw(st.lists(_tree(depth + 1), max_size=4)))
        return el

    return build()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_tree(1), max_size=4))
def test_random_g2_shaped_trees_give_items_or_a_parse_error(items: list[etree._Element]) -> None:
    root = etree.Element(f"{{{NS}}}newsMessage")
    item_set = etree.SubElement(root, f"{{{NS}}}itemSet")
    item_set.extend(items)
    try:
        results = newsmlg2.parse(etree.tostring(root))
    except ParseError:
        return
    assert all(isinstance(r, Item | Skipped) for r in results)
