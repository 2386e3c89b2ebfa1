"""Issue 19's credit and summary fields, and the general rules that came with them."""

from __future__ import annotations

import json

from test_newsmlg2 import news_item, single

from wiredesk import formats
from wiredesk.formats.text import indented_paragraphs
from wiredesk.types import Item

_XHTML = '<inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>{}</body></html></inlineXML>'


def test_versions_stored_before_credit_and_summary_still_read() -> None:
    old = Item(uri="u", headline="H").to_json()
    del old["credit"], old["summary"]
    item = Item.from_json(old)
    assert (item.credit, item.summary) == ("", "")
    new = Item(uri="u", credit="dpa/bb", summary="Deck.")
    assert Item.from_json(new.to_json()) == new


def test_the_credit_is_kept_as_written_and_the_agency_stays_the_agency() -> None:
    body = _XHTML.format("<p>Potsdam (dpa/bb) - Der Landtag tagt.</p>")
    item = single(news_item(content_set=body))
    # The provider names the agency; the credit is the opening's, desk code and all.
    assert (item.dateline, item.credit, item.agency) == ("Potsdam", "dpa/bb", "ACME")
    assert item.body_text == "Der Landtag tagt."


def test_a_press_release_deck_before_the_text_is_the_summary_not_a_paragraph() -> None:
    body = _XHTML.format(
        "<h1>Monsoon arrives</h1><h2>Sub-headline deck</h2>"
        "<p>TORONTO, June 09, 2020 (GLOBE NEWSWIRE) -- Acme announced it.</p>"
        "<h2>About Acme</h2><p>Acme makes things.</p>"
    )
    item = single(news_item(content_set=body))
    assert item.summary == "Sub-headline deck"
    assert (item.dateline, item.credit) == ("TORONTO, June 09, 2020", "GLOBE NEWSWIRE")
    # A heading after the text began is text: nothing is lost or reordered.
    assert item.paragraphs == ["Acme announced it.", "About Acme", "Acme makes things."]


def test_a_g2_teaser_description_is_the_summary_when_the_body_has_none() -> None:
    meta = '<headline>H</headline><description role="drol:teaser">The teaser.</description>'
    item = single(news_item(content_meta=meta, content_set=_XHTML.format("<p>Text.</p>")))
    assert (item.summary, item.body_text) == ("The teaser.", "Text.")


def test_a_first_paragraph_repeating_the_headline_is_no_paragraph() -> None:
    body = _XHTML.format("<p>Monsoon  arrives</p><p>Rain fell.</p>")
    assert single(news_item(content_set=body)).paragraphs == ["Rain fell."]


def test_a_note_paragraph_before_the_opening_keeps_the_metadata_dateline_out() -> None:
    body = _XHTML.format(
        "<p>All amounts in US dollars.</p>"
        "<p>BROOKFIELD, News, July  07, 2020  (GLOBE NEWSWIRE) -- Brookfield renewed it.</p>"
    )
    meta = "<headline>H</headline><located><name>Hamilton, Bermuda</name></located>"
    item = single(news_item(content_meta=meta, content_set=body))
    # The text types its own opening: the located place is no dateline; the text stays whole.
    assert item.dateline == ""
    assert item.paragraphs[0] == "All amounts in US dollars."


def test_blank_line_copy_keeps_indented_list_items_in_their_paragraph() -> None:
    lines = ["Themen:", "  * Eins", "  * Zwei", "", "Zweiter Absatz.", "  weiter."]
    assert indented_paragraphs(lines) == [
        "Themen:\n  * Eins\n  * Zwei",
        "Zweiter Absatz.\n  weiter.",
    ]
    # Teleprinter copy without blank lines still starts a paragraph at an indent.
    assert indented_paragraphs(["   One.", "wrapped", "   Two."]) == ["One.\nwrapped", "Two."]


def test_credit_survives_formats_parse_of_a_dateline_field() -> None:
    nitf = (
        "<nitf><head><title>T</title></head><body><body.head><hedline><hl1>T</hl1></hedline>"
        "<dateline>Vatikanstadt (KAP)</dateline></body.head>"
        "<body.content><p>Der Papst sprach.</p></body.content></body></nitf>"
    )
    [item] = formats.parse(nitf.encode()).items
    assert (item.dateline, item.credit) == ("Vatikanstadt", "KAP")


def test_a_ninjs_nitf_rendition_holding_the_plain_text_and_more_is_the_story() -> None:
    nitf = (
        "<nitf><body><body.content><p>The lead the text lacks.</p><p>One.</p><p>Two.</p>"
        "</body.content></body></nitf>"
    )
    obj = {
        "uri": "u",
        "headlines": [{"value": "H"}],
        "bodies": [
            {"contentType": "text/vnd.IPTC.NITF", "value": nitf},
            {"contentType": "text/plain", "value": "One.\nTwo."},
        ],
    }
    [item] = formats.parse(json.dumps(obj).encode(), "ninjs").items
    assert item.paragraphs == ["The lead the text lacks.", "One.", "Two."]
