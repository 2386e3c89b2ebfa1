"""Real agency and feedparser sample files: ninjs 1.4-3.1, superdesk ninjs and Atom, pitfalls."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import SAMPLES, samples
from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats.encoding import decode_xml
from wiredesk.types import Item

CAPTAIN = "Captain of wrecked cruise ship on trial in Italy"
TRIAL = "The trial of the captain of the shipwrecked Costa Concordia cruise liner has begun"
FAVRE = "Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren». Der Trainer"
DPA = "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
MOJIBAKE = ("Ã©", "Ã¨", "Ã¼", "Ã¶", "â€™", "â€œ", "\ufffd")

NINJS = [
    (
        "1.4-businesswire-newsml-20130515006361.json",
        "Dell Redefines Workstation Computing Boundaries with Smallest Tower and Most Powerful Rack Workstations",
        "Dell today announced an expanded and stronger Dell\n",
    ),
    ("1.4-ninjsExComplex1.json", CAPTAIN, TRIAL),
    ("1.4-ninjsExMediumText1.json", CAPTAIN, TRIAL),
    ("1.4-ninjsExSimpleText1.json", CAPTAIN, TRIAL),
    ("2.1-dpa_text.json", DPA, FAVRE),
    ("2.1-ninjsExSimpleText_2.json", CAPTAIN, TRIAL),
    ("2.1-ntb_text.json", "Google har kjøpt giganttomt i Skien", ""),
    (
        "3.0-20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json",
        "Anti-doping measures at the 'Tour Down Under' will be the toughest ever",
        # The NITF rendition holds all of the plain text and a lead it lacks: it is the story.
        "The Australian Sports Anti-Doping Authority (ASADA) today announced",
    ),
    ("3.0-dpa_text.json", DPA, FAVRE),
    ("3.1-004_simple_text_article.json", CAPTAIN, TRIAL),
    ("3.1-005_complex_text_article.json", CAPTAIN, TRIAL),
]


def one_item(path: Path) -> Item:
    parsed = formats.parse(path.read_bytes())
    [item] = parsed.items
    return item


@pytest.mark.parametrize(("name", "headline", "opening"), NINJS, ids=[n for n, _, _ in NINJS])
def test_ninjs_samples(name: str, headline: str, opening: str) -> None:
    item = one_item(samples("ninjs") / name)
    assert item.format == "ninjs"
    assert item.headline == headline
    assert item.body_text.startswith(opening)
    assert not any(bad in item.body_text for bad in ("Ã©", "Ã¶", "Ã¼", "\ufffd"))


def test_ninjs_versions_dates_and_status() -> None:
    folder = samples("ninjs")
    dpa3 = one_item(folder / "3.0-dpa_text.json")
    assert (dpa3.version, dpa3.pubstatus, dpa3.urgency, dpa3.agency, dpa3.byline) == (
        "2",
        "usable",
        4,
        "dpa",
        "Von Christian Hollmann, dpa",
    )
    assert dpa3.versioncreated == datetime(2019, 5, 10, 14, 2, 28, tzinfo=UTC)
    ntb = one_item(folder / "2.1-ntb_text.json")
    assert (ntb.version, ntb.ednote, ntb.slugline, ntb.language) == (
        "6",
        "Noe utvidet.",
        "skien-google",
        "nb-NO",
    )
    assert ntb.firstcreated == datetime(2019, 8, 9, 9, 30, 4, tzinfo=UTC)
    simple = one_item(folder / "1.4-ninjsExSimpleText1.json")
    assert simple.dateline == "GROSSETO, Italy" and simple.agency == "AP"


def test_superdesk_embargoed_ninjs() -> None:
    item = one_item(samples("superdesk") / "ninjs_embargoed.json")
    assert item.uri == "fd8e441b-a698-4411-9246-7d5de21cced9"
    assert item.headline == "Trouble is brewing for the future of beer"
    assert item.body_text.startswith(
        "What does torched earth taste like? According to New Belgium Brewing Company’s CEO"
    )
    assert item.embargoed == datetime(2022, 6, 29, 2, 30, tzinfo=UTC)
    assert (item.version, item.slugline) == ("11", "Climate-smart food")


def test_superdesk_wenn_atom_feed() -> None:
    parsed = formats.parse((samples("superdesk") / "wenn.xml").read_bytes())
    assert parsed.format == "feed"
    assert [(i.uri, i.headline, i.body_text) for i in parsed.items] == [
        (
            "urn:feed-wenn-com:newsfeedarticle:2:2222:1",
            "Suge Knight involved in fatal hit and run incident",
            "This is body content1.",
        ),
        (
            "urn:feed-wenn-com:newsfeedarticle:2:2222:3",
            "Jagged Edge singer Kyle Norman arrested over domestic assault",
            "This is body content2.",
        ),
    ]
    assert parsed.items[0].versioncreated == datetime(2015, 1, 30, 0, 33, 6, tzinfo=UTC)
    assert parsed.items[0].category == "Music" and parsed.items[0].agency == "WENN Newsdesk"


# Each file's own "Expect:" comment names these characters.
PITFALL_ENTRIES = {
    "encoding/bozo_double-encoded-html.xml": ("", "…"),
    "encoding/double-encoded-html.xml": ("", "…"),
    "encoding/demoronize-1.xml": ("", "don’t"),
    "encoding/demoronize-2.xml": ("", "don’t"),
    "encoding/demoronize-3.xml": ("", "don’t"),
    "encoding/http_text_xml_charset_overrides_encoding_2.xml": ("Foo", "This is a £“test.”"),
    "encoding/euc-kr-item.xml": ("", "년"),
    "illformed/rdf_channel_empty_textinput.xml": ("crashes here", ""),
}
# Feed-level text only (no entries, so the desk quarantines them): the decoding must be right.
PITFALL_TEXT = {
    "encoding/euc-kr.xml": "<title>년</title>",
    "encoding/http_i18n.xml": "<title>Iñtërnâtiônàlizætiøn</title>",
    "encoding/bozo_http_i18n.xml": "<title>Iñtërnâtiônàlizætiøn</title>",
    "illformed/http_high_bit_date.xml": "<pubDate>Τρι, 29 Ιούν 2004 12:53:00 GMT</pubDate>",
    "encoding/utf-32be-autodetect.xml": "Wellformed UTF-32 (autodetected as Big Endian)",
    "encoding/utf-16le-bom.xml": "<rss>",
}
# Legacy bytes in files that name no encoding (so XML says UTF-8), or bytes that break the
# UTF-8 they declare: feed readers guess at these, and a wrong guess is mojibake published
# under the agency's name, so each is refused at the offset of its first bad byte.
NOT_UTF8 = {
    "encoding/bozo_encoding_mismatch_crash.xml": 176,
    "encoding/http_text_xml_charset_2.xml": 418,
    "encoding/bozo_linenoise.xml": 236,
    "encoding/bozo_invalid-bytes-with-bom.xml": 203,
}
PITFALL_QUARANTINED = {
    "illformed/aaa_illformed.xml": "not a readable RSS or Atom feed",
    "illformed/rss_empty_document.xml": "matches no wire format",
    "illformed/undeclared_namespace.xml": "unbound prefix",
    "encoding/bozo_bogus_encoding.xml": "no entries",
    "illformed/always_strip_doctype.xml": "no entries",
    **{name: f"byte {offset} " for name, offset in NOT_UTF8.items()},
}


def pitfall_files() -> list[str]:
    # The same folder `samples()` reads (WIREDESK_SHARED or ../shared), so the two never disagree.
    root = SAMPLES / "feedparser-pitfalls"
    return sorted(str(p.relative_to(root)) for p in root.glob("*/*.xml")) or ["(absent)"]


@pytest.mark.parametrize("name", pitfall_files())
def test_every_pitfall_parses_cleanly_or_is_quarantined_with_a_reason(name: str) -> None:
    path = samples("feedparser-pitfalls") / name
    try:
        parsed = formats.parse(path.read_bytes())
    except ParseError as exc:
        assert str(exc) and name not in PITFALL_ENTRIES
        if name in PITFALL_QUARANTINED:
            assert PITFALL_QUARANTINED[name] in str(exc)
        return
    assert name not in PITFALL_QUARANTINED
    for item in parsed.items:
        text = item.headline + item.body_text
        assert not any(bad in text for bad in MOJIBAKE if bad not in path.read_text("latin-1"))
    if name in PITFALL_ENTRIES:
        headline, body = PITFALL_ENTRIES[name]
        item = parsed.items[0]
        assert item.headline == headline
        assert item.body_text.startswith(body)


# Unlabelled, not UTF-8, and with plenty of evidence: read in the encoding feedparser's own
# test expects, every character as that encoding gives it.
GUESSED = {
    "chardet/big5.xml": "big5",
    "chardet/eucjp.xml": "euc_jp",
    "chardet/euckr.xml": "euc_kr",
    "chardet/gb2312.xml": "gb2312",
    "chardet/koi8r.xml": "koi8_r",
    "chardet/shiftjis.xml": "shift_jis",
    "chardet/tis620.xml": "tis_620",
    "chardet/windows1255.xml": "cp1255",
}


@pytest.mark.parametrize("name", sorted(GUESSED))
def test_an_unlabelled_legacy_feed_is_read_in_its_encoding_on_strong_evidence(name: str) -> None:
    data = (samples("feedparser-pitfalls") / name).read_bytes()
    assert decode_xml(data) == data.decode(GUESSED[name])


def test_too_little_evidence_is_refused_not_guessed() -> None:
    # One bad byte reads as Shift-JIS to a detector ("bad ﾃ( utf8"): too little to go on.
    with pytest.raises(ParseError, match="byte 16 "):
        decode_xml(b"<nitf><body>bad \xc3( utf8</body></nitf>")


@pytest.mark.parametrize("name", sorted(PITFALL_TEXT))
def test_pitfall_text_decodes_right(name: str) -> None:
    assert PITFALL_TEXT[name] in decode_xml((samples("feedparser-pitfalls") / name).read_bytes())


def test_the_pitfall_table_names_real_files() -> None:
    folder = samples("feedparser-pitfalls")
    for name in [*PITFALL_ENTRIES, *PITFALL_TEXT, *PITFALL_QUARANTINED]:
        assert (folder / name).is_file(), name
