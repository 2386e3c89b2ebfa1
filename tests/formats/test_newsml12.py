from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from wiredesk.exceptions import ParseError
from wiredesk.formats import detect, newsml12, parse
from wiredesk.types import Item, Skipped, Subject


def news_item(
    item_id: str = "260601.abc",
    revision: str = '<RevisionId PreviousRevision="0" Update="N">1</RevisionId>',
    status: str = "Usable",
    management: str = "",
    lines: str = "<HeadLine>Monsoon reaches Kerala</HeadLine>",
    components: str = "",
) -> str:
    return f"""
  <NewsItem>
    <Identification>
      <NewsIdentifier>
        <ProviderId>agency.example</ProviderId>
        <DateId>20260601</DateId>
        <NewsItemId>{item_id}</NewsItemId>
        {revision}
        <PublicIdentifier>urn:newsml:agency.example:20260601:{item_id}:1</PublicIdentifier>
      </NewsIdentifier>
      <NameLabel>weather-monsoon</NameLabel>
    </Identification>
    <NewsManagement>
      <NewsItemType FormalName="News"/>
      <FirstCreated>20260601T050000Z</FirstCreated>
      <ThisRevisionCreated>20260601T060000Z</ThisRevisionCreated>
      <Status FormalName="{status}"/>
      <Urgency FormalName="3"/>
      {management}
    </NewsManagement>
    <NewsComponent>
      <NewsLines>{lines}</NewsLines>
      <AdministrativeMetadata><Provider><Party FormalName="AGX"/></Provider></AdministrativeMetadata>
      <DescriptiveMetadata>
        <Language FormalName="en"/>
        <Genre FormalName="Current"/>
        <SubjectCode><Subject FormalName="17000000"/><SubjectMatter FormalName="17004000"/></SubjectCode>
      </DescriptiveMetadata>
      {components}
    </NewsComponent>
  </NewsItem>"""


NITF_TEXT = """
      <NewsComponent>
        <Role FormalName="Main"/>
        <ContentItem>
          <MediaType FormalName="Text"/>
          <DataContent>
            <nitf><body><body.head><hedline><hl1>ignored</hl1></hedline></body.head>
            <body.content><p>The rains came early.</p><p>Farmers  cheered, “at last”.</p></body.content>
            </body></nitf>
          </DataContent>
        </ContentItem>
      </NewsComponent>"""

PHOTO = """
      <NewsComponent>
        <Role FormalName="Photo"/>
        <ContentItem Href="photo.jpg"><MediaType FormalName="Photo"/></ContentItem>
        <NewsComponent>
          <Role FormalName="Caption"/>
          <ContentItem><MediaType FormalName="Text"/><DataContent><p>A caption.</p></DataContent></ContentItem>
        </NewsComponent>
      </NewsComponent>"""


def newsml(*items: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2">
  <NewsEnvelope><DateAndTime>20260601T060000Z</DateAndTime></NewsEnvelope>
  {"".join(items)}
</NewsML>""".encode()


def single(*items: str) -> Item:
    parsed = parse(newsml(*items))
    assert parsed.format == "newsml12"
    assert len(parsed.items) == 1, parsed.skipped
    return parsed.items[0]


def test_a_nitf_story_in_nested_components_is_read_with_its_metadata() -> None:
    lines = (
        "<HeadLine>Monsoon reaches Kerala</HeadLine><ByLine>By R. Writer</ByLine>"
        "<DateLine>Thiruvananthapuram, June 1 (AGX)</DateLine><SlugLine>monsoon</SlugLine>"
    )
    item = single(news_item(lines=lines, components=NITF_TEXT + PHOTO))
    assert item.uri == "urn:newsml:agency.example:20260601:260601.abc"
    assert item.version == "1"
    assert item.headline == "Monsoon reaches Kerala"
    assert item.byline == "By R. Writer"
    assert (item.dateline, item.credit) == ("Thiruvananthapuram, June 1", "AGX")
    assert item.slugline == "monsoon"
    assert item.body_text == "The rains came early.\n\nFarmers  cheered, “at last”."
    assert item.firstcreated == datetime(2026, 6, 1, 5, tzinfo=UTC)
    assert item.versioncreated == datetime(2026, 6, 1, 6, tzinfo=UTC)
    assert item.pubstatus == "usable"
    assert item.urgency == 3
    assert item.language == "en"
    assert item.agency == "AGX"
    assert item.category == "Current"
    assert item.subject == [Subject("17000000"), Subject("17004000")]
    assert item.signals == []
    assert item.format == "newsml12"


def test_xhtml_bare_paragraphs_and_plain_text_data_content() -> None:
    xhtml = (
        '<NewsComponent><ContentItem><MediaType FormalName="Text"/><DataContent>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>One.</p><p>Two.</p></body></html>'
        "</DataContent></ContentItem></NewsComponent>"
    )
    bare = (
        '<NewsComponent><ContentItem><MediaType FormalName="Text"/><DataContent>'
        "<p>Three.</p></DataContent></ContentItem></NewsComponent>"
    )
    plain = (
        '<ContentItem><MediaType FormalName="Text"/><DataContent>Four\n  wrapped.\n\nFive.'
        "</DataContent></ContentItem>"
    )
    item = single(news_item(components=xhtml + bare + plain))
    assert item.paragraphs == ["One.", "Two.", "Three.", "Four\n  wrapped.", "Five."]


def test_several_news_items_in_one_file() -> None:
    parsed = parse(
        newsml(
            news_item("a", components=NITF_TEXT),
            news_item("b", lines="<HeadLine>Second</HeadLine>", components=NITF_TEXT + PHOTO),
        )
    )
    assert [i.uri.rsplit(":", 1)[-1] for i in parsed.items] == ["a", "b"]
    assert [i.headline for i in parsed.items] == ["Monsoon reaches Kerala", "Second"]
    assert parsed.items[1].body_text == parsed.items[0].body_text  # the caption is not the story


def test_an_item_with_only_a_picture_is_a_picture() -> None:
    photo_only = """<NewsComponent><ContentItem Href="p.jpg"><MediaType FormalName="Photo"/>
        </ContentItem></NewsComponent>"""
    parsed = parse(newsml(news_item("p", components=photo_only)))
    assert parsed.items == [] and parsed.skipped == []
    [picture] = parsed.pictures
    assert (picture.uri, picture.href) == ("urn:newsml:agency.example:20260601:p", "p.jpg")


def test_an_item_with_only_a_video_is_skipped_with_a_reason() -> None:
    video_only = """<NewsComponent><ContentItem Href="v.mp4"><MediaType FormalName="Video"/>
        </ContentItem></NewsComponent>"""
    parsed = parse(newsml(news_item("p", components=video_only)))
    assert parsed.items == []
    assert parsed.skipped == [
        Skipped(
            "urn:newsml:agency.example:20260601:p",
            "a NewsML 1.2 NewsItem holding video, not text; skipped",
        )
    ]


def test_versions_of_one_story_share_a_uri_and_later_ones_signal_an_update() -> None:
    first = single(news_item(components=NITF_TEXT))
    second = single(
        news_item(
            revision='<RevisionId PreviousRevision="1" Update="N"> 2 </RevisionId>',
            components=NITF_TEXT,
        )
    )
    assert first.uri == second.uri
    assert (first.version, second.version) == ("1", "2")
    assert second.signals == ["update"]


def test_the_public_identifier_alone_loses_its_revision() -> None:
    xml = newsml(news_item(components=NITF_TEXT))
    xml = xml.replace(b"<ProviderId>agency.example</ProviderId>", b"")
    item = parse(xml).items[0]
    assert item.uri == "urn:newsml:agency.example:20260601:260601.abc"


@pytest.mark.parametrize(
    ("status", "pubstatus", "signals"),
    [("Withheld", "withheld", []), ("Canceled", "canceled", ["kill"]), ("Usable", "usable", [])],
)
def test_status(status: str, pubstatus: str, signals: list[str]) -> None:
    item = single(news_item(status=status, components=NITF_TEXT))
    assert item.pubstatus == pubstatus
    assert item.signals == signals


def test_an_embargo_is_a_status_that_will_change() -> None:
    change = (
        '<StatusWillChange><FutureStatus FormalName="Usable"/>'
        "<DateAndTime>20260602T000100Z</DateAndTime></StatusWillChange>"
    )
    item = single(news_item(status="Embargoed", management=change, components=NITF_TEXT))
    assert item.pubstatus == "usable"
    assert item.embargoed == datetime(2026, 6, 2, 0, 1, tzinfo=UTC)


def test_embargoed_without_a_time_is_held_back() -> None:
    item = single(news_item(status="Embargoed", components=NITF_TEXT))
    assert "embargo" in item.signals
    assert item.embargoed is None


def test_detection_and_errors() -> None:
    assert detect(newsml(news_item(components=NITF_TEXT))) == "newsml12"
    with pytest.raises(ParseError, match="no NewsItem"):
        parse(newsml())
    # No identifier at all: the last fallback, a digest with the provider (see the dialect tests).
    no_id = newsml(news_item(components=NITF_TEXT)).replace(b"NewsIdentifier>", b"Other>")
    assert parse(no_id).items[0].uri.startswith("urn:wiredesk:newsml12:agx:")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    try:
        results = newsml12.parse(data)
    except ParseError:
        return
    assert all(isinstance(r, Item | Skipped) for r in results)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(headline=_TEXT, body=_TEXT, revision=_TEXT, status=_TEXT)
def test_fuzzed_items_give_items_or_a_parse_error(
    headline: str, body: str, revision: str, status: str
) -> None:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")

    components = (
        '<ContentItem><MediaType FormalName="Text"/>'
        f"<DataContent>{esc(body)}</DataContent></ContentItem>"
    )
    xml = news_item(
        revision=f'<RevisionId PreviousRevision="{esc(revision)}">{esc(revision)}</RevisionId>',
        status=esc(status),
        lines=f"<HeadLine>{esc(headline)}</HeadLine>",
        components=components,
    )
    try:
        results = newsml12.parse(newsml(xml))
    except ParseError:
        return
    item = results[0]
    assert isinstance(item, Item)
    # An empty HeadLine gives way to the item's NameLabel.
    assert item.headline == (headline.strip() or "weather-monsoon")
    assert item.pubstatus in ("usable", "withheld", "canceled")


_XML_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xD7FF), max_size=20)
_NAMES = st.sampled_from(
    [
        "NewsItem", "Identification", "NewsIdentifier", "ProviderId", "DateId", "NewsItemId",
        "RevisionId", "PublicIdentifier", "NewsManagement", "Status", "Urgency", "StatusWillChange",
        "DateAndTime", "NewsComponent", "Role", "NewsLines", "HeadLine", "DateLine", "ContentItem",
        "MediaType", "DataContent", "nitf", "body.content", "p", "SubjectCode", "Subject",
    ]
)  # fmt: skip


def _tree(depth: int = 0) -> st.SearchStrategy[etree._Element]:
    @st.composite
    def build(draw: st.DrawFn) -> etree._Element:
        el = etree.Element(draw(_NAMES))
        for key, value in draw(
            st.dictionaries(st.sampled_from(["FormalName", "PreviousRevision"]), _XML_TEXT)
        ).items():
            el.set(key, value)
        el.text = draw(_XML_TEXT)
        if depth < 3:
            el.extend(draw(st.lists(_tree(depth + 1), max_size=4)))
        return el

    return build()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_tree(1), max_size=3))
def test_random_newsml_shaped_trees_give_items_or_a_parse_error(
    items: list[etree._Element],
) -> None:
    root = etree.Element("NewsML")
    root.extend(items)
    try:
        results = newsml12.parse(etree.tostring(root))
    except ParseError:
        return
    assert all(isinstance(r, Item | Skipped) for r in results)
