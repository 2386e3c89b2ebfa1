"""NewsML-G2 as press-release wires and agencies other than the IPTC examples write it.

Each shape has a hand-written fixture (tests/fixtures/dialects) and, where one exists, the real
file from the shared samples (skipped when the folder is absent).
"""

from __future__ import annotations

import pytest

from conftest import FIXTURES, SAMPLES
from dialects import only_item
from wiredesk.formats import parse

AGENCIES = SAMPLES / "agencies"


def fixture(name: str) -> bytes:
    return (FIXTURES / "dialects" / name).read_bytes()


def sample(name: str) -> bytes:
    path = AGENCIES / name
    if not path.is_file():
        pytest.skip(f"agency sample not found at {path}")
    return path.read_bytes()


def test_press_release_components_give_body_then_contact_and_never_code() -> None:
    item = only_item(fixture("prwire-g2-components.xml"), "newsmlg2")
    assert item.headline == "Harbour Tiles Opens Second Kiln in Halifax"
    text = item.body_text
    # The opening (dateline and credit) is the openings grammar's to split; the words stay.
    assert "Harbour Tiles said on Monday it had fired its second kiln, doubling the tiles" in text
    assert len(item.paragraphs) == 3
    assert text.endswith("Media contact: Lou Ferrand, press@harbourtiles.example, +1 902 555 0147")
    assert '"We have waited ten years for this," said the founder, Mara Quist.' in text
    for code in ("font-family", "font-weight", "margin", "tracking", "#333"):
        assert code not in text
    # The abstract and the headline component are the story's metadata, not its paragraphs.
    assert "doubles its output" not in text
    assert not text.startswith("Harbour Tiles Opens")


def test_globenewswire_h1_repeating_the_headline_is_not_a_paragraph() -> None:
    item = only_item(sample("superdesk_superdesk-cp__globenewswire_07ac.xml"), "newsmlg2")
    assert item.headline == "Zignal Labs Names David Atlas Chief Marketing Officer"
    # The <h2> deck before the text is the summary; the dateline opening is cut.
    assert item.summary == "AI Marketing Veteran to Position Company for Growth in New Markets"
    assert (item.dateline, item.credit) == ("SAN FRANCISCO, Dec.  03, 2019", "GLOBE NEWSWIRE")
    assert item.paragraphs[0].startswith("Zignal Labs, provider of")
    assert item.body_text.rstrip().endswith("zignallabs@n6a.com")


def test_dateline_element_with_a_credit_is_the_dateline_when_the_body_has_none() -> None:
    item = only_item(fixture("kathpress-like-g2-dateline.xml"), "newsmlg2")
    assert item.dateline == "Mariazell"
    assert item.agency == "Example Church News"
    # The <h1> and <h2> repeat the main and sub headlines: neither is a paragraph.
    assert item.paragraphs == [
        "Die Basilika hat im ersten Quartal  mehr Pilger gezählt als vor einem Jahr.",
        "Der Rektor nannte die Zahl «erfreulich».",
    ]


def test_kathpress_dateline_element() -> None:
    item = only_item(sample("apa-it_wordpress-newsml-g2__kap1.xml"), "newsmlg2")
    assert item.dateline == "Vatikanstadt"
    assert item.paragraphs[0].startswith("Weltweit wollen immer weniger Männer")
    assert len(item.paragraphs) == 5


def test_dpa_dateline_element_is_cut_from_the_paragraph_after_the_teaser() -> None:
    data = sample("dpa-newslab_dpa-digitalwires-to-newsmlg2__output_embargoed.xml")
    item = only_item(data, "newsmlg2")
    assert item.dateline == "Berlin"
    # dpa's p.teaser is the summary, never text.
    assert item.summary.startswith("Eine Ausstellung in Berlin zeigt")
    assert item.paragraphs[0].startswith("Bundespräsident Frank-Walter Steinmeier hat vor")
    assert "Berlin (dpa) -" not in item.body_text


def test_a_dash_that_differs_from_the_element_is_still_the_same_dateline() -> None:
    text = "Moskau (dpa) \u2013 Der Kreml schweigt."
    xml = f"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="1">
      <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-01-01T00:00:00Z</versionCreated>
      </itemMeta><contentMeta><headline>H</headline><dateline>Moskau (dpa) - </dateline></contentMeta>
      <contentSet><inlineData contenttype="text/plain">{text}</inlineData>
      </contentSet></newsItem>"""
    (item,) = parse(xml.encode()).items
    assert item.dateline == "Moskau"
    assert item.body_text == "Der Kreml schweigt."


def test_a_region_in_brackets_is_not_a_credit() -> None:
    xml = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:2" version="1">
      <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-01-01T00:00:00Z</versionCreated>
      </itemMeta><contentMeta><headline>H</headline><dateline>Taichung (Taiwan)</dateline></contentMeta>
      <contentSet><inlineData contenttype="text/plain">Bikes sell.</inlineData></contentSet></newsItem>"""
    (item,) = parse(xml.encode()).items
    assert item.dateline == "Taichung (Taiwan)"
    assert item.body_text == "Bikes sell."


def test_headline_from_the_item_title_when_content_meta_has_none() -> None:
    xml = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:3" version="1">
      <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-01-01T00:00:00Z</versionCreated>
      <title>Ferry strike ends</title></itemMeta><contentMeta/>
      <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
      <body><h1>Ferry strike ends</h1><p>Boats sail again.</p></body></html></inlineXML></contentSet></newsItem>"""
    (item,) = parse(xml.encode()).items
    assert item.headline == "Ferry strike ends"
    assert item.body_text == "Boats sail again."


def test_a_title_role_is_the_main_headline_and_a_sub_headline_never_is() -> None:
    xml = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:4" version="1">
      <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-01-01T00:00:00Z</versionCreated>
      </itemMeta><contentMeta>
      <headline role="apahltype:subtitle">A subtitle first</headline>
      <headline role="apahltype:title">The title</headline></contentMeta>
      <contentSet><inlineData contenttype="text/plain">Text.</inlineData></contentSet></newsItem>"""
    (item,) = parse(xml.encode()).items
    assert item.headline == "The title"


def test_a_correction_notice_framed_in_dashes_is_the_agency_note_not_text() -> None:
    xml = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:5" version="2">
      <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-01-01T00:00:00Z</versionCreated>
      <signal qcode="sig:correction"/></itemMeta><contentMeta><headline>Fest eröffnet</headline>
      </contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Fest eröffnet</h1>
      <pre>------------------------------
          KORREKTUR-HINWEIS
          In XYZ0101 muss es Dienstag heißen.
          ------------------------------
      </pre><p>Linz (XYZ) - Das Fest beginnt.</p></body></html></inlineXML></contentSet></newsItem>"""
    (item,) = parse(xml.encode()).items
    assert item.ednote == "KORREKTUR-HINWEIS\nIn XYZ0101 muss es Dienstag heißen."
    assert "correction" in item.signals
    assert item.paragraphs[-1].endswith("Das Fest beginnt.")
    assert "KORREKTUR" not in item.body_text


def test_apa_correction_notice_before_the_dateline_paragraph() -> None:
    item = only_item(sample("apa-it_wordpress-newsml-g2__apa1.xml"), "newsmlg2")
    assert item.ednote.startswith("KORREKTUR-HINWEIS\nIn APA0520 vom 13.04.2015 muss im Titel")
    assert item.body_text.startswith("Paris/Cannes (APA/dpa) - Das Filmfest") or (
        item.body_text.startswith("Das Filmfest Cannes startet")
    )
    assert len(item.paragraphs) == 4
