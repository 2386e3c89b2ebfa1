"""The formats' own location fields: NewsML-G2 `located`, NITF `evloc` and `<location>`, ninjs
`located`, `place` and `places`, read into Item.located as the file writes each name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import newsmlg2, ninjs, nitf
from wiredesk.formats.located import MAX_LOCATED
from wiredesk.types import Item

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
G2_NS = "http://iptc.org/std/nar/2006-10-01/"


def g2(content_meta: str, lang: str = "en", body: str = "<p>Talks went on.</p>") -> bytes:
    # A complete newsItem around IPTC's listing 28 shape (located with broader, then dateline).
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="{G2_NS}" guid="urn:t:g2" version="1" standard="NewsML-G2"
  standardversion="2.33" xml:lang="{lang}">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:REUTERS"/>
    <versionCreated>2026-02-09T09:17:00+03:00</versionCreated><pubStatus qcode="stat:usable"/>
  </itemMeta>
  <contentMeta><contentCreated>2026-02-09T09:17:00+03:00</contentCreated>
    {content_meta}<headline>Talks</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML>
  </contentSet>
</newsItem>""".encode()


def one_g2(data: bytes) -> Item:
    [item] = newsmlg2.parse(data)
    assert isinstance(item, Item)
    return item


def test_g2_located_name_then_its_broader_country() -> None:
    item = one_g2(
        g2(
            """<located type="cptype:city" qcode="geo:2950159">
                 <name xml:lang="de">Berlin</name>
                 <broader type="cptype:statprov" qcode="prov:BE"><name>Land Berlin</name></broader>
                 <broader type="cptype:country" qcode="iso3166-1a2:DE"><name>Germany</name></broader>
               </located>
               <dateline>MOSCOW, Monday (Reuters)</dateline>"""
        )
    )
    assert item.located == ["Berlin, Germany"]
    assert item.dateline == "MOSCOW, Monday (Reuters)"


def test_g2_located_name_in_the_items_language_and_not_a_mnemonic() -> None:
    meta = """<located qcode="city:Munich">
                <name role="nrol:mnemonic">MUC</name>
                <name xml:lang="en">Munich</name>
                <name xml:lang="de">München</name>
                <broader qcode="cntry:DE"><name xml:lang="en">Germany</name>
                  <name xml:lang="de">Deutschland</name></broader>
              </located>"""
    assert one_g2(g2(meta, lang="de")).located == ["München, Deutschland"]
    assert one_g2(g2(meta, lang="en-GB")).located == ["Munich, Germany"]
    # No name in the item's language: the first readable one.
    assert one_g2(g2(meta, lang="fr")).located == ["Munich, Germany"]


def test_g2_located_mixed_content_name_and_nameless_forms() -> None:
    item = one_g2(
        g2(
            """<located qcode="city:Moscow"><broader qcode="cntry:Russia"/></located>
               <located qcode="city:Kyiv"><broader qcode="cntry:UA"><name>Ukraine</name></broader>
               </located>
               <located literal="Tskhinvali"/>
               <located><name>  Frank<!-- x -->furt/<b>Main</b> </name></located>
               <located><name>Tskhinvali</name></located>"""
        )
    )
    # Listing 28's located gives only qcodes: no name, nothing read. A nameless one with a
    # named country is that country; each name once.
    assert item.located == ["Ukraine", "Tskhinvali", "Frankfurt/Main"]
    # The dateline stand-in reads the first located only, which names nothing: the places
    # reach the resolver through `located` all the same.
    assert item.dateline == ""


def test_g2_located_comes_before_an_inline_nitf_bodys_locations() -> None:
    nitf_body = (
        '<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>'
        "<p>Talks in <location><city>Geneva</city></location> ended.</p>"
        "</body.content></body></nitf>"
    )
    data = g2("<located><name>Kabul</name></located>").replace(
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Talks went on.</p></body></html>',
        nitf_body.encode(),
    )
    item = one_g2(data)
    assert item.located == ["Kabul", "Geneva"]
    assert item.body_text == "Talks in Geneva ended."


def nitf_doc(docdata: str = "", dateline: str = "", content: str = "<p>Text.</p>") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>T</title><docdata><doc-id id-string="urn:t:nitf"/>{docdata}</docdata></head>
<body><body.head><hedline><hl1>A headline</hl1></hedline>{dateline}</body.head>
<body.content>{content}</body.content></body></nitf>""".encode()


def one_nitf(data: bytes) -> Item:
    [item] = nitf.parse(data)
    return item


def test_nitf_evloc_attributes() -> None:
    item = one_nitf(
        nitf_doc(
            '<evloc city="Fort Washington" state-prov="PA" iso-cc="US" county-dist="Montgomery"/>'
            '<evloc state-prov="Karnataka"/><evloc iso-cc="DE"/>'
        )
    )
    # The ISO code and the county are left out: "DE" would read as Delaware.
    assert item.located == ["Fort Washington, PA", "Karnataka"]


def test_nitf_location_markup_in_dateline_and_body() -> None:
    item = one_nitf(
        nitf_doc(
            '<evloc city="Ottawa"/>',
            "<dateline><location><city>Kabul</city></location>/New Delhi, "
            "<story.date>Sep 1</story.date></dateline>",
            "<p>Near <location><city>Jalalabad</city>, <country>Afghanistan</country></location>"
            " and in <location>the Hindu Kush</location>, then <location><region>South Asia"
            "</region></location> and <location><country>India</country>"
            ", <city>Mumbai</city></location>; <location><city>Ottawa</city></location>.</p>"
            "<p><location><sublocation>Red Fort</sublocation> in Old Delhi</location></p>",
        )
    )
    assert item.located == [
        "Ottawa",
        "Kabul",
        "Jalalabad, Afghanistan",
        "the Hindu Kush",
        "South Asia",
        "Mumbai, India",
        "Red Fort in Old Delhi",
    ]
    # The markup gives names; the text keeps every word where the agency put it.
    assert item.dateline == "Kabul/New Delhi, Sep 1"
    assert item.paragraphs == [
        "Near Jalalabad, Afghanistan and in the Hindu Kush, then South Asia and India, Mumbai; "
        "Ottawa.",
        "Red Fort in Old Delhi",
    ]


def test_a_body_marking_up_every_word_gives_at_most_max_located() -> None:
    content = "<p>" + " ".join(f"<location>Town {n}</location>" for n in range(1000)) + "</p>"
    item = one_nitf(nitf_doc(content=content))
    assert item.located == [f"Town {n}" for n in range(MAX_LOCATED)]
    assert item.body_text.count("Town") == 1000


def one_ninjs(doc: dict[str, Any]) -> Item:
    [item] = ninjs.parse(json.dumps({"uri": "urn:t:n", "type": "text", **doc}).encode())
    assert isinstance(item, Item)
    return item


def test_ninjs_1_place_and_located() -> None:
    item = one_ninjs(
        {
            "located": "Grossetto, Italy",
            "place": [
                {"name": "Grossetto", "rel": "mentions"},
                {"name": "Italy", "code": "it", "scheme": "http://cvx.iptc.org/iso3166-1a2/"},
                {"code": "fr"},
            ],
        }
    )
    assert item.located == ["Grossetto, Italy", "Grossetto", "Italy"]
    assert item.dateline == "Grossetto, Italy"


def test_ninjs_2_and_3_places_with_state_and_country() -> None:
    item = one_ninjs(
        {
            "dateline": "WASHINGTON",
            "places": [
                {"literal": "Telemark"},
                {"name": "Moscow", "state": "Idaho", "country": "United States"},
                {"locality": "Paris", "country": "FR"},
                {"name": " ", "literal": "Oslo"},
                "Bergen",
                {"name": 7},
            ],
        }
    )
    assert item.located == ["Telemark", "Moscow, Idaho, United States", "Paris", "Oslo"]
    assert item.dateline == "WASHINGTON"


def test_a_located_name_holding_nul_is_refused() -> None:
    data = json.dumps({"uri": "u", "type": "text", "body_text": "x", "places": [{"name": "A\0"}]})
    with pytest.raises(ParseError, match="NUL"):
        formats.parse(data.encode(), "ninjs")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1), max_size=5))
def test_located_round_trips_and_old_versions_load(located: list[str]) -> None:
    item = Item(uri="u", dateline="Kabul", located=located)
    stored = json.loads(json.dumps(item.to_json()))
    assert Item.from_json(stored) == item
    del stored["located"]  # as a version stored before the field existed
    assert Item.from_json(stored) == Item(uri="u", dateline="Kabul")


SAMPLE_TABLE = [
    ("iptc-newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml", ["Berlin, Germany"]),
    ("iptc-newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml", ["New York, NY"]),
    ("iptc-newsml-g2/LISTING_22_Sports_story_in_NewsML-G2NITF.xml", []),
    ("dpa-newsml-g2/urn_newsml_dpa.com_20090101_170629-99-45965.xml", ["Moskau/Berlin"]),
    ("superdesk/efe_nitf.xml", ["Tegucigalpa"]),
    ("superdesk/nitf-ntb.xml", ["Norge"]),
    ("superdesk/pa4.xml", ["Britain's", "Portugal", "France"]),
    ("ninjs/2.1-ntb_text.json", ["Telemark"]),
    (
        "ninjs/3.1-005_complex_text_article.json",
        ["Grossetto, Italy", "Grossetto", "Tuscany", "Italy"],
    ),
]


@pytest.mark.parametrize(("name", "expected"), SAMPLE_TABLE)
def test_real_samples(name: str, expected: list[str]) -> None:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip("the shared samples are not here")
    items = formats.parse(path.read_bytes(), "auto").items
    assert [i.located for i in items][:1] == [expected]
