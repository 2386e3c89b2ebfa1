"""The agencies' own JSON and XML (issue 19, item 8): AP Media API JSON, dpa digitalwires JSON,
ANP News API JSON, Canadian Press Jimi XML, Ritzau RBNews (a shipped mapping), NewsML 1.0 and
AFP's NewsML 1.2 alerts.

Each reader is tested on a small fixture written for these tests (tests/fixtures/agency) and on
the real samples in ../shared/samples/agencies (skipped when absent), whose expected values were
read from the files themselves. Module parsers are called for exact paragraphs (the desk's
dateline-and-credit split is its own step); formats.parse for detection.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, samples
from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import anpnews, apmedia, digitalwires, jimi, newsml12
from wiredesk.types import Item, Picture, Skipped

AGENCY = FIXTURES / "agency"
BERLIN = timezone(timedelta(hours=2))


def fixture(name: str) -> bytes:
    return (AGENCY / name).read_bytes()


def sample(name: str) -> bytes:
    return (samples("agencies") / name).read_bytes()


def only_item(results: list[Item | Skipped | Picture] | list[Item | Skipped]) -> Item:
    [item] = results
    assert isinstance(item, Item)
    return item


# --- detection: by shape, never by file name -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ap-media.json", "apmedia"),
        ("ap-media-picture.json", "apmedia"),
        ("digitalwires.json", "digitalwires"),
        ("anp-news.json", "anpnews"),
        ("jimi-publish.xml", "jimi"),
        ("newsml10-package.xml", "newsml12"),
        ("newsml12-alert.xml", "newsml12"),
    ],
)
def test_each_fixture_is_detected_as_its_format(name: str, fmt: str) -> None:
    assert formats.detect(fixture(name)) == fmt


@pytest.mark.parametrize(
    "data",
    [
        b'{"uri": "u1", "type": "text", "headline": "H", "body_text": "B"}',
        # ninjs 2.x carries altids too; without AP's envelope or links it is plain ninjs.
        b'{"uri": "urn:x:1", "altids": {"itemid": "x1"}, "headlines": [{"value": "H"}]}',
    ],
)
def test_plain_ninjs_is_still_ninjs(data: bytes) -> None:
    assert formats.detect(data) == "ninjs"


# --- AP Media API JSON -------------------------------------------------------------------------


def test_ap_media_item_fields_from_the_fixture() -> None:
    item = only_item(apmedia.parse(fixture("ap-media.json")))
    assert item.uri == "urn:publicid:ap.org:0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    assert (item.version, item.urgency, item.language) == ("2", 3, "en")
    assert item.headline == "Monsoon rains reach Kerala a week early"
    assert item.byline == "By ASHOK SHARMA"
    assert item.ednote == "Eds: UPDATES: With new figures."
    assert item.versioncreated == datetime(2026, 6, 1, 10, 15, tzinfo=UTC)
    assert item.located == ["NEW DELHI", "New Delhi, India"]
    # The NITF body fetched beside the item, word for word (two spaces and all).
    assert item.paragraphs == [
        "NEW DELHI (AP) \u2014 Monsoon rains  reached Kerala on Monday.",
        "Farmers cheered, officials said.",
    ]
    # The body opens with the dateline, so it is not shown twice.
    assert item.dateline == ""
    # Pictures only (the video association is not a picture), under AP's item id.
    assert [(p.uri, p.version) for p in item.pictures] == [
        ("urn:publicid:ap.org:ffeeddccbbaa99887766554433221100", "1")
    ]


def test_ap_media_item_without_a_body_is_its_headline_with_an_empty_body() -> None:
    data = fixture("ap-media.json").replace(b'"nitf": {"body_html"', b'"other": {"body_html"')
    parsed = formats.parse(data)
    [item] = parsed.items
    assert (item.headline, item.body_text, item.dateline) == (
        "Monsoon rains reach Kerala a week early",
        "",
        "NEW DELHI",
    )


def test_ap_media_picture_item_is_a_picture_under_the_same_uri_as_the_association() -> None:
    parsed = formats.parse(fixture("ap-media-picture.json"))
    assert parsed.items == []
    [picture] = parsed.pictures
    assert picture.uri == "urn:publicid:ap.org:ffeeddccbbaa99887766554433221100"
    # The largest rendition that can be fetched: "main" has no href.
    assert (picture.href, picture.width) == ("https://example.org/preview.jpg", 512)
    assert picture.caption.startswith("Children play in the rain in Kochi")
    assert picture.credit == "Rafiq Maqbool / AP"


def test_ap_media_samples() -> None:
    broadcast = only_item(apmedia.parse(sample("superdesk_superdesk-cp__ap-broadcast.json")))
    assert broadcast.uri == "urn:publicid:ap.org:41148a074e2caa8190926b25a2a940f8"
    assert broadcast.version == "8"
    assert broadcast.headline == "Prosecutor: 2 Buffalo police charged with assault in shoving"
    assert broadcast.paragraphs[0].startswith("BUFFALO, N.Y. (AP) — Two Buffalo police officers")
    assert len(broadcast.paragraphs) == 2
    assert len(broadcast.pictures) == 3

    text = only_item(apmedia.parse(sample("superdesk_superdesk-cp__ap-text.json")))
    assert text.uri == "urn:publicid:ap.org:f14dd246c9b5efeb56de0141aa50c4fd"
    assert (text.version, text.byline) == ("3", "By MARK KENNEDY")
    assert text.headline == "Review: Documentary about electric racing holds little spark"
    assert text.paragraphs[0].startswith("For proof that Leonardo DiCaprio can't save")
    assert len(text.paragraphs) == 16

    # The body is behind the rendition links only: headline, metadata, an empty body.
    category = only_item(apmedia.parse(sample("superdesk_superdesk-cp__ap-category.json")))
    assert category.uri == "urn:publicid:ap.org:70789a344b80ed450582be66a6bf54bb"
    assert category.headline == "US services sector grows for seventh consecutive month"
    assert (category.version, category.body_text) == ("1", "")
    assert (category.dateline, category.byline) == ("SILVER SPRING, Md.", "By MATT OTT")

    parsed = formats.parse(sample("superdesk_superdesk-cp__ap-picture.json"))
    [picture] = parsed.pictures
    assert picture.uri == "urn:publicid:ap.org:de1bb822362146388852c8b7eee93c76"
    assert picture.caption.startswith("Santo Munoz, left, wearing a face mask")
    assert picture.credit == "Alvaro Barrientos / ASSOCIATED PRESS"


# --- dpa digitalwires JSON ---------------------------------------------------------------------


def test_digitalwires_fields_from_the_fixture() -> None:
    item = only_item(digitalwires.parse(fixture("digitalwires.json")))
    assert item.uri == "urn:newsml:dpa.com:20090101:260601-99-123456"
    assert (item.version, item.urgency, item.category) == ("3", 3, "Meldung")
    assert item.headline == "Monsun erreicht Kerala"
    assert item.embargoed == datetime(2026, 6, 1, 18, tzinfo=BERLIN)
    # The teaser is not the text; a blank line (two <br/>) inside a paragraph parts it.
    assert item.paragraphs == [
        "Der Monsun hat  Kerala erreicht.",
        "Bauern freuen sich",
        "«Endlich», sagte ein Bauer.",
        "Die Ernte kann beginnen.",
    ]
    # Publishable notes, without the closing line of initials or the private contacts.
    assert item.ednote == "Korrigiert: Ortsname."
    assert "correction" in item.signals
    assert item.dateline in ("Kochi (dpa) -", "Kochi")


def test_digitalwires_samples() -> None:
    name = "dpa-newslab_dpa-digitalwires-to-newsmlg2__input_embargoed.json"
    item = only_item(digitalwires.parse(sample(name)))
    assert item.uri == "urn:newsml:dpa.com:20090101:250123-930-353124"
    assert item.version == "1"
    assert item.headline == "Steinmeier: Russland zerstört kulturelles Erbe der Ukraine"
    assert item.embargoed == datetime(2025, 1, 23, 18, tzinfo=UTC)
    assert item.paragraphs[0].startswith("Bundespräsident Frank-Walter Steinmeier hat vor")
    assert len(item.paragraphs) == 8

    name = "dpa-newslab_dpa-digitalwires-to-newsmlg2__input_hoerfunk.json"
    audio = only_item(digitalwires.parse(sample(name)))
    assert audio.uri == "urn:newsml:dpa.com:20090101:241120-99-92781"
    assert audio.version == "6"
    assert audio.headline == "dpa/audio-Programm für Mittwoch, 20. November 2024, 15 Uhr"
    assert audio.paragraphs[0] == (
        "Ihr Ansprechpartner: Thomas Brockt, Tel. (030) 2852-31360\nE-Mail: audio@dpa.com"
    )
    assert audio.paragraphs[1].startswith("FORD WILL IN DEUTSCHLAND 2.900 STELLEN ABBAUEN\n")
    assert len(audio.paragraphs) == 4


# --- ANP News API JSON -------------------------------------------------------------------------


def test_anp_news_fields_from_the_fixture() -> None:
    item = only_item(anpnews.parse(fixture("anp-news.json")))
    assert item.uri == "00112233445566778899aabbccddeeff"
    assert (item.version, item.urgency, item.byline) == ("2", 3, "ANP Producties")
    assert item.headline == "Moesson bereikt Kerala"
    assert item.versioncreated == datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
    assert item.firstcreated == datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert item.paragraphs == [
        "NEW DELHI (ANP/RTR) - De moesson heeft  Kerala bereikt.",
        "Boeren zijn blij.",
    ]


def test_anp_news_samples() -> None:
    name = (
        "tomaskikutis_superdesk-anp__anp_news_api-item-detail-7404db79e88ae6483f56941204943a4a.json"
    )
    item = only_item(anpnews.parse(sample(name)))
    assert item.uri == "7404db79e88ae6483f56941204943a4a"
    assert item.version == "2"
    assert item.headline == "Assange wil zich niet 'overgeven' aan VS"
    assert item.firstcreated == datetime(2019, 5, 2, 12, 20, 15, tzinfo=UTC)
    assert item.paragraphs[0].startswith("LONDEN (ANP/RTR/BLOOMBERG) - WikiLeaks-oprichter")
    assert len(item.paragraphs) == 7

    name = (
        "tomaskikutis_superdesk-anp__anp_news_api-item-detail-ac47563d3fe56f62972f0f7e55d323cd.json"
    )
    afp = only_item(anpnews.parse(sample(name)))
    # AFP copy with no opening: credited to the ANP service it came through.
    assert afp.agency == "AFP EN (Editorial)"
    assert afp.paragraphs[-1] == "rfj/bcp/dl"


# --- Canadian Press Jimi XML -------------------------------------------------------------------


def test_jimi_fields_from_the_fixture() -> None:
    item = only_item(jimi.parse(fixture("jimi-publish.xml")))
    assert item.uri == "urn:cp:jimi:00AA11BB22CC33DD44EE55FF66778899"
    assert (item.version, item.headline, item.byline) == (
        "2",
        "Monsoon reaches Kerala early",
        "Jane Doe",
    )
    # Escaped HTML; &amp;nbsp; is a no-break space; the empty paragraph is gone; the agency's
    # line break inside the first paragraph stays.
    assert item.paragraphs == [
        "The monsoon reached\xa0Kerala on\n            Monday.",
        "Farmers cheered.",
    ]
    # City/Province/Country are place data, not a written dateline: located only.
    assert (item.dateline, item.located) == ("", ["Kochi, Kerala, India"])
    assert (item.agency, item.embargoed) == ("THE CANADIAN PRESS", None)
    assert item.ednote == "Will be updated\nADDS figures"
    assert [p.uri for p in item.pictures] == ["CPT101", "CPT102"]
    assert item.firstcreated == datetime(2026, 6, 1, 11, 59, 0, 100000, tzinfo=UTC)


def test_jimi_samples() -> None:
    name = "superdesk_superdesk-cp__jimi_88f32173-afdb-4d95-b380-9026f1ceadb1.xml"
    item = only_item(jimi.parse(sample(name)))
    assert item.uri == "urn:cp:jimi:03729EEEADD247A49C5AE3F6E57A967C"
    assert item.version == "1"
    assert item.headline == (
        "Police in New Brunswick charge man with assault for coughing in person's face"
    )
    assert item.paragraphs[0].startswith("A man in\xa0New Brunswick who recently travelled")
    assert len(item.paragraphs) == 22

    name = "superdesk_superdesk-cp__5d846ed8-96b6-4adc-a028-017b0fa5e2c1.xml"
    ap = only_item(jimi.parse(sample(name)))
    assert ap.uri == "urn:cp:jimi:f14dd246c9b5efeb56de0141aa50c4fd"
    assert (ap.version, ap.agency) == ("0", "THE ASSOCIATED PRESS")
    assert ap.headline == "Review: Documentary about electric racing holds little spark"
    assert ap.paragraphs[0].startswith("For proof that Leonardo DiCaprio can't save every film")
    assert len(ap.paragraphs) == 16


# --- Ritzau RBNews, by the shipped mapping -----------------------------------------------------


def test_ritzau_flash_sample_reads_with_no_configuration() -> None:
    parsed = formats.parse(sample("superdesk_superdesk-borsen__ritzau.xml"))
    assert parsed.format == "mapped"
    [item] = parsed.items
    assert item.uri == "9a6955fc-11da-46b6-9903-439ebb288f2d"
    assert item.version == "1"
    # <headline i:nil="true"/>: the flash's strapline stands in (the fidelity table, and the
    # worked example in docs/formats.md); its first paragraph stays text.
    first = (
        'Hollandske forskere har "i årevis" lavet forsøg på både mennesker og dyr, hvor de har '
        "testet effekten af at indånde udstødningsgas fra dieselbiler."
    )
    assert item.headline == "NU/FLASH-U"
    assert item.paragraphs[0] == first
    assert len(item.paragraphs) == 3
    assert (item.byline, item.dateline) == ("Peder Top Poulsen", "Haag")


# --- NewsML 1.0 and AFP's NewsML 1.2 -----------------------------------------------------------


def test_a_newsml_10_package_of_references_is_skipped_with_its_reason() -> None:
    # The fixture's DOCTYPE declares elements and an attribute list: ignored, not refused.
    parsed = formats.parse(fixture("newsml10-package.xml"))
    assert parsed.items == [] and parsed.pictures == []
    [skipped] = parsed.skipped
    assert skipped.uri == "urn:newsml:wire.example:20260601:PKG1"
    assert skipped.reason.startswith("NewsML 1.0: a package of 2 NewsItemRef references")


def test_a_newsml_12_alert_is_headed_by_its_text_and_its_photo_is_a_picture() -> None:
    item = only_item(newsml12.parse(fixture("newsml12-alert.xml")))
    assert item.headline == "Monsoon  reaches Kerala, a week early"
    assert item.paragraphs == ["Monsoon  reaches Kerala, a week early", "ab/cd"]
    # The DateLine field's credit is the credit, as written; the dateline is place and date.
    assert (item.dateline, item.credit) == ("Kochi, 1 June 2026", "WIRE")
    # The photo's own NewsLines (caption headline, photographer) are not the story's.
    assert item.byline == ""
    [picture] = item.pictures
    assert (picture.href, picture.width, picture.caption, picture.credit) == (
        "big.jpg",
        800,
        "Rain over Kochi.",
        "Photographer",
    )


def test_newsml_10_samples() -> None:
    parsed = formats.parse(sample("gitpan_Syndication-NewsML__reuters-test.xml"))
    [skipped] = parsed.skipped
    assert skipped.uri == "urn:newsml:Reuters.Com:20010907:ID00301"
    assert "NewsML 1.0: a package of 64 NewsItemRef references" in skipped.reason
    parsed = formats.parse(sample("gitpan_Syndication-NewsML__afp-test.xml"))
    [picture] = parsed.pictures
    assert (picture.uri, picture.href) == ("urn:newsml:afp.com:20020211:GAZ08-pih", "GAZ08-pih.jpg")


AFP = "JosiahBeynon_XML-extract--AFP-NewsML-1.2-__"


def test_afp_arabic_alert_and_datelines() -> None:
    alert = only_item(newsml12.parse(sample(f"{AFP}afp.com-20231124T192141Z-TX-PAR-EWE94.xml")))
    text = 'ماكرون يعرب عن "تصميمه" على تأمين إطلاق سراح رهائن فرنسيين محتجزين في غزة'
    assert alert.uri == "urn:newsml:afp.com:20231124T192141Z:TX-PAR-EWE94"
    assert (alert.headline, alert.version) == (text, "1")
    assert alert.paragraphs == [text, "ففف/ح س/كام"]
    # "ريال مدريد" (Real Madrid) in the lead is not the dateline "مدريد" typed into the text.
    name = f"{AFP}newsmlmmd.urn.newsml.afp.com.20231126.doc.34629lc.xml"
    report = only_item(newsml12.parse(sample(name)))
    assert (report.dateline, report.credit) == ("مدريد", "أ ف ب")
    assert report.headline.startswith("بطولة إسبانيا: رودريغو يضع ريال مدريد في الصدارة")


# --- any JSON value where a field is expected: items or a reason, never a crash ----------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _replace_somewhere(doc: Any, path: list[int], value: Any) -> Any:
    """The document with the value at one place chosen by the path (a walk of indices)."""
    if not path or not isinstance(doc, dict | list) or not doc:
        return value
    keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
    key = keys[path[0] % len(keys)]
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[key] = _replace_somewhere(doc[key], path[1:], value)  # type: ignore[index]
    return copy


@pytest.mark.parametrize(
    "name", ["ap-media.json", "ap-media-picture.json", "digitalwires.json", "anp-news.json"]
)
@settings(max_examples=150, deadline=None)
@given(path=st.lists(st.integers(0, 40), min_size=1, max_size=5), value=JSON_VALUES)
def test_any_json_value_anywhere_gives_items_or_a_reason(
    name: str, path: list[int], value: Any
) -> None:
    doc = _replace_somewhere(json.loads(fixture(name)), path, value)
    data = json.dumps(doc).encode()
    try:
        parsed = formats.parse(data, formats.detect(fixture(name)))
    except ParseError as exc:
        assert str(exc)
        return
    for item in parsed.items:
        json.dumps(item.to_json())
        assert item.uri
