from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from wiredesk.formats.text import (
    inner_markup,
    join,
    paragraphs_from_element,
    paragraphs_from_html,
    paragraphs_from_plain,
)


def test_plain_paragraphs_keep_their_inner_whitespace() -> None:
    text = "First  para  with  double spaces.\n\n\n  Second\tline\nwrapped.  \n\nThird"
    assert paragraphs_from_plain(text) == [
        "First  para  with  double spaces.",
        "Second\tline\nwrapped.",
        "Third",
    ]


def test_crlf_line_endings_are_transport_not_text() -> None:
    assert paragraphs_from_plain("One\r\n\r\nTwo") == ["One", "Two"]


def test_html_paragraphs_keep_quotes_and_entities_decoded() -> None:
    markup = '<p>"Straight quotes" and it\'s &amp; done.</p><p>lead by   Massoud</p>'
    assert paragraphs_from_html(markup) == [
        '"Straight quotes" and it\'s & done.',
        "lead by   Massoud",
    ]


def test_nested_blocks_and_loose_text() -> None:
    body = etree.fromstring(
        "<body>Loose text<div><p>In a div</p></div><ul><li>Item</li></ul><p>Last <b>bold</b> words</p></body>"
    )
    assert paragraphs_from_element(body) == ["Loose text", "In a div", "Item", "Last bold words"]


def test_table_rows_become_tab_separated_lines() -> None:
    body = etree.fromstring(
        "<body><table><tr><td>A</td><td>1</td></tr><tr><td>B</td><td>2</td></tr></table></body>"
    )
    assert paragraphs_from_element(body) == ["A\t1", "B\t2"]


def test_inner_markup_drops_namespaces_but_keeps_text() -> None:
    el = etree.fromstring('<b xmlns="http://www.w3.org/1999/xhtml"><p>Hi <i>there</i></p></b>')
    assert inner_markup(el) == "<p>Hi <i>there</i></p>"


_PARAGRAPH = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&"),
        min_size=1,
        max_size=80,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=6))
def test_paragraphs_round_trip_through_html_character_for_character(paragraphs: list[str]) -> None:
    markup = "".join(f"<p>{p}</p>" for p in paragraphs)
    assert paragraphs_from_html(markup) == paragraphs


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARAGRAPH.filter(lambda p: "\n" not in p), min_size=1, max_size=6))
def test_paragraphs_round_trip_through_plain_text(paragraphs: list[str]) -> None:
    assert paragraphs_from_plain(join(paragraphs)) == paragraphs
