"""The shapes the standards print and the agencies send, field by field, with mixed content.

NITF as its 3.6 documentation marks up a story; NewsML-G2 from IPTC's guideline listings (inline
NITF, located and dateline, a byline with <byttl>), recombined into whole items where a listing
prints only a fragment; NewsML 1.2 NewsLines with <Origin>; RSS and Atom bodies; an STT item
opening with standalone="no". Listings are read from the shared samples and skip without them.
"""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from conftest import samples
from wiredesk.exceptions import HostileInput
from wiredesk.formats import parse
from wiredesk.formats.xml import element_text, parse_xml
from wiredesk.types import Item

G2 = "{http://iptc.org/std/nar/2006-10-01/}"


def single(data: bytes, fmt: str) -> Item:
    parsed = parse(data)
    assert parsed.format == fmt
    (item,) = parsed.items
    return item


NITF_36 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- NITF 3.6, as its documentation marks up a story -->
<?publisher wire="PTI"?>
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" version="-//IPTC//NITF 3.6//EN">
 <head><docdata><doc-id id-string="pti-2021-09-01-panjshir"/></docdata></head>
 <body>
  <body.head>
   <hedline><hl1><org idsrc="pti">Taliban</org>, resistance front fight in <location>Panjshir</location></hl1></hedline>
   <byline>By <person>A Correspondent</person>, <byttl>PTI</byttl></byline>
   <dateline><location><city>Kabul</city></location>/New Delhi, <story.date norm="20210901">Sep 1</story.date></dateline>
  </body.head>
  <body.content>
   <p>Fighting is going on in the <location><city>Panjshir</city></location> province, led by <person>Ahmad Massoud</person> (<pronounce guide="ah-MAHD">Ahmad</pronounce>).</p>
   <p>The <org>Taliban</org> said on <chron norm="20210901">Wednesday</chron> that <num>40</num> fighters, worth <money unit="USD">$1m</money> in arms, were lost; see <virtloc>tolonews.com</virtloc> and <a href="https://tolonews.com/">the report</a>.</p>
   <p><q>The fighting started at 10 pm</q>, said <em>Baba Shirin</em>.<br/>He fled &amp; is safe.</p>
   <block><p>A quoted paragraph.</p><p>Another one.</p></block>
  </body.content>
 </body>
</nitf>
"""


def test_nitf_36_every_inline_element_keeps_its_text_and_tail() -> None:
    item = single(NITF_36.encode(), "nitf")
    assert item.headline == "Taliban, resistance front fight in Panjshir"
    assert item.byline == "By A Correspondent, PTI"
    assert item.dateline == "Kabul/New Delhi, Sep 1"
    assert item.paragraphs == [
        "Fighting is going on in the Panjshir province, led by Ahmad Massoud (Ahmad).",
        "The Taliban said on Wednesday that 40 fighters, worth $1m in arms, were lost; see "
        "tolonews.com and the report.",
        "The fighting started at 10 pm, said Baba Shirin.\nHe fled & is safe.",
        "A quoted paragraph.",
        "Another one.",
    ]


def test_nitf_in_utf16_with_a_bom_and_standalone() -> None:
    data = NITF_36.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert single(data, "nitf").dateline == "Kabul/New Delhi, Sep 1"


def listing(name: str) -> etree._Element:
    path = next(samples("iptc-newsml-g2").glob(f"LISTING_{name}_*.xml"))
    return etree.fromstring(path.read_bytes())


def test_g2_listing_2_byline_with_byttl_and_slugline() -> None:
    item = single(etree.tostring(listing("2")), "newsmlg2")
    assert item.byline == "By Meredith Jameson, Staff Reporter"
    assert item.slugline == "US-Finance-Fed"
    assert item.headline == 'Fed to halt QE to avert "bubble"'


def test_g2_listing_25_nitf_in_inline_xml_carried_by_listing_2s_item() -> None:
    item_root = listing("2")
    fragment = listing("25")  # LISTING 25 prints only the contentSet
    old = item_root.find(f"{G2}contentSet")
    assert old is not None
    item_root.replace(old, copy.deepcopy(fragment))
    item = single(etree.tostring(item_root), "newsmlg2")
    assert item.headline == 'Fed to halt QE to avert "bubble"'  # contentMeta wins over hl1
    assert item.byline == "Sports Network"
    nitf = "{http://iptc.org/std/NITF/2006-10-18/}"
    nitf_p = fragment.find(f".//{nitf}body.content/{nitf}p")  # the abstract is not the story
    assert item.paragraphs == [element_text(nitf_p).strip()]


def test_g2_listing_28_dateline_beside_located() -> None:
    item_root = listing("2")
    meta = item_root.find(f"{G2}contentMeta")
    assert meta is not None
    item_root.replace(meta, copy.deepcopy(listing("28")))  # LISTING 28 prints the contentMeta
    item = single(etree.tostring(item_root), "newsmlg2")
    assert item.dateline == "MOSCOW, Monday (Reuters)"


def test_g2_listing_22_byline_and_every_paragraph() -> None:
    path = next(samples("iptc-newsml-g2").glob("LISTING_22_*.xml"))
    item = single(path.read_bytes(), "newsmlg2")
    assert item.byline == "Sports Network"
    assert item.slugline == "AAV!PREVIEW-ARI-PHI"
    assert len(item.paragraphs) == 6
    assert item.paragraphs[-1].endswith(
        "Garcia has gone 0-2 \n                       over his last six starts."
    )


def test_the_stt_item_opening_with_standalone_no_parses() -> None:
    data = (samples("superdesk") / "stt_newsml_endash.xml").read_bytes()
    plain = single(data, "newsmlg2")
    declared = data.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        1,
    )
    assert declared != data
    assert single(declared, "newsmlg2") == plain


def test_a_declared_standalone_file_is_still_hardened() -> None:
    bomb = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        b'<!DOCTYPE nitf [<!ENTITY e SYSTEM "file:///etc/passwd">]><nitf>&e;</nitf>'
    )
    with pytest.raises(HostileInput):
        parse_xml(bomb)


def test_newsml_12_news_lines_with_origin() -> None:
    data = """<?xml version='1.0' encoding='ISO-8859-1' standalone='yes'?>
<NewsML Version="1.2"><NewsItem><Identification><NewsIdentifier><ProviderId>afp.com</ProviderId>
<DateId>20210901</DateId><NewsItemId>panjshir</NewsItemId><RevisionId PreviousRevision="0" Update="N">1</RevisionId>
<PublicIdentifier>urn:newsml:afp.com:20210901:panjshir:1</PublicIdentifier></NewsIdentifier></Identification>
<NewsManagement><NewsItemType FormalName="News"/><Status FormalName="Usable"/></NewsManagement>
<NewsComponent><NewsLines>
<HeadLine>Combats au <Origin Href="#geo">Panchir</Origin>, selon les talibans</HeadLine>
<ByLine>Par <Origin Href="#author">Jean Dupont</Origin></ByLine>
<DateLine><Origin Href="#place">Kaboul</Origin>, 1 sept 2021 (AFP)</DateLine>
<SlugLine>Afghanistan-conflit</SlugLine></NewsLines>
<ContentItem><MediaType FormalName="Text"/><DataContent><nitf><body><body.content>
<p>Des combats opposent les <org>talibans</org> au Front de résistance.</p>
</body.content></body></nitf></DataContent></ContentItem></NewsComponent></NewsItem></NewsML>
""".encode("latin-1")
    item = single(data, "newsml12")
    assert item.headline == "Combats au Panchir, selon les talibans"
    assert item.byline == "Par Jean Dupont"
    assert (item.dateline, item.credit) == ("Kaboul, 1 sept 2021", "AFP")
    assert item.body_text == "Des combats opposent les talibans au Front de résistance."


def test_rss_html_description_and_atom_xhtml_content() -> None:
    rss = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>PTI</title>
<item><guid>urn:rss:1</guid><title>Fighting in Panjshir &amp; beyond</title>
<description>&lt;p&gt;Fighting is going on, &lt;a href="https://x.example/"&gt;Tolo News&lt;/a&gt;
reported.&lt;/p&gt;&lt;p&gt;&lt;em&gt;Baba Shirin&lt;/em&gt; said: &amp;ldquo;It started&amp;rdquo;.&lt;/p&gt;
</description></item></channel></rss>"""
    item = single(rss, "feed")
    assert item.headline == "Fighting in Panjshir & beyond"
    assert item.paragraphs == [
        "Fighting is going on, Tolo News\nreported.",
        "Baba Shirin said: \u201cIt started\u201d.",
    ]
    atom = b"""<?xml version='1.0' encoding='utf-8'?><feed xmlns="http://www.w3.org/2005/Atom">
<title>IANS</title><id>urn:f</id><updated>2021-09-01T09:00:00Z</updated><entry><id>urn:atom:1</id>
<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Talks <em>fail</em> again</div></title>
<updated>2021-09-01T09:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
<p>Amir Khan Muttaqi said the <strong>talks</strong> had failed<br/>so far.</p></div></content></entry></feed>"""
    item = single(atom, "feed")
    assert item.headline == "Talks fail again"
    assert item.paragraphs == ["Amir Khan Muttaqi said the talks had failed\nso far."]


def test_text_after_a_comment_is_kept_in_inline_data_and_data_content() -> None:
    g2 = (
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:c"><itemMeta>'
        b'<itemClass qcode="ninat:text"/></itemMeta><contentMeta><headline>H</headline>'
        b'</contentMeta><contentSet><inlineData contenttype="text/plain">One<!-- desk note -->'
        b" two.\n\nThree.</inlineData></contentSet></newsItem>"
    )
    assert single(g2, "newsmlg2").body_text == "One two.\n\nThree."
