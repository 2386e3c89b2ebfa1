"""ninjs `body_text` as Nordic agencies write it: the headline again on the first line, a
"Place (AGENCY)" line, then one paragraph per line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, SAMPLES
from dialects import only_item
from wiredesk.formats.text import line_paragraphs


def test_headline_line_is_not_a_paragraph_and_the_place_line_is_the_dateline() -> None:
    item = only_item((FIXTURES / "dialects" / "ninjs-lines-body.json").read_bytes(), "ninjs")
    assert item.headline == "Ny bru over Glomma åpner i mai"
    assert item.dateline == "Fredrikstad"
    assert item.paragraphs == [
        "Den nye brua over Glomma i Fredrikstad åpner for trafikk 12. mai, opplyser Statens "
        "vegvesen.",
        "– Vi er tre uker foran skjema, sier prosjektleder Ola  Hansen til NTB.",
        "Brua er 480 meter lang og har fire felt.",
    ]


def test_a_hard_wrapped_text_stays_one_paragraph_with_its_line_breaks() -> None:
    wrapped = "The council voted on Monday to close\nthe old harbour road for two weeks\nfrom"
    assert line_paragraphs(wrapped) == [wrapped]


def test_blank_lines_still_separate_paragraphs() -> None:
    assert line_paragraphs("One.\nstill one\n\nTwo.") == ["One.\nstill one", "Two."]


def test_ap_one_line_text_beside_html_paragraphs_takes_the_html_paragraphs() -> None:
    path = SAMPLES / "ninjs" / "3.1-004_simple_text_article.json"
    if not path.is_file():
        pytest.skip(f"sample not found at {path}")
    item = only_item(path.read_bytes(), "ninjs")
    doc = json.loads(path.read_text())
    plain = next(b["value"] for b in doc["bodies"] if b.get("contentType") == "text/plain")
    assert len(item.paragraphs) > 1
    # Not one word changed: the paragraphs hold the plain text's words, in order.
    assert " ".join(" ".join(item.paragraphs).split()).endswith(" ".join(plain.split())[-200:])


def test_ntb_brief_without_a_body_reads_its_text_description() -> None:
    path = SAMPLES / "ninjs" / "2.1-ntb_text.json"
    if not path.is_file():
        pytest.skip(f"sample not found at {path}")
    item = only_item(path.read_bytes(), "ninjs")
    assert item.body_text == (
        "IT-giganten Google har kjøpt en tomt på nærmere 2.000 mål i Skien i tilfelle det blir "
        "behov for flere datasentre i Europa."
    )


@given(st.lists(st.text(min_size=0, max_size=120), max_size=8).map("\n".join))
def test_line_paragraphs_keep_every_character_but_the_space_at_line_ends(text: str) -> None:
    paragraphs = line_paragraphs(text)
    assert "".join("".join(paragraphs).split()) == "".join(text.split())
    for paragraph in paragraphs:
        assert paragraph == paragraph.strip() and paragraph
        # Each paragraph is a piece of the text as sent, cut only at its ends.
        assert paragraph in text.replace("\r\n", "\n").replace("\r", "\n")
