from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.formats import normalise
from wiredesk.formats.dateline import credit_to_agency, split_opening
from wiredesk.types import Item


@pytest.mark.parametrize(
    ("paragraph", "dateline", "credit", "rest"),
    [
        (
            "Kabul/New Delhi, Sep 1 (PTI) Fighting is on",
            "Kabul/New Delhi, Sep 1",
            "PTI",
            "Fighting is on",
        ),
        ("New Delhi, July 26 (IANS) Hours later", "New Delhi, July 26", "IANS", "Hours later"),
        (
            "Bengaluru (Karnataka) [India], June 4 (ANI): The state",
            "Bengaluru (Karnataka) [India], June 4",
            "ANI",
            "The state",
        ),
        ("STOCKHOLM, Aug 29, 2014 (AFP) - Sweden's", "STOCKHOLM, Aug 29, 2014", "AFP", "Sweden's"),
        ("FORT WASHINGTON, Pa. (AP) _ The company", "FORT WASHINGTON, Pa.", "AP", "The company"),
        ("NEW YORK (Reuters) - Stocks fell", "NEW YORK", "Reuters", "Stocks fell"),
        ("BERLIN (dpa) - Die Regierung", "BERLIN", "dpa", "Die Regierung"),
        (
            "SAITAMA, Japan, Dec. 9 Kyodo - Urawa Reds won",
            "SAITAMA, Japan, Dec. 9",
            "Kyodo",
            "Urawa Reds won",
        ),
        ("SYDNEY, Dec 9 AAP - The Reserve Bank", "SYDNEY, Dec 9", "AAP", "The Reserve Bank"),
        ("MOSCOW, December 9. /TASS/. Russia's", "MOSCOW, December 9", "TASS", "Russia's"),
    ],
)
def test_agency_openings_are_split(paragraph: str, dateline: str, credit: str, rest: str) -> None:
    opening = split_opening(paragraph)
    assert opening is not None
    assert (opening.dateline, opening.credit, opening.rest) == (dateline, credit, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The minister (BJP) said that the bill would pass.",
        "He said (in Delhi) that nothing had changed.",
        "A BJP leader (PTI) said",
        "Kabul/New Delhi, Sep 1 (PTI)",  # nothing after the credit: not an opening
        "Plain text with no credit at all.",
        "On Monday, June 3 Police - the band - played.",  # no agency after the date
        "SYDNEY, Dec 9 AAP -",  # nothing after the credit
        "Shares rose on Dec. 9 AP - style.",
    ],
)
def test_ordinary_sentences_are_left_alone(paragraph: str) -> None:
    assert split_opening(paragraph) is None


def test_credit_spelling_follows_the_agency() -> None:
    assert [credit_to_agency(c) for c in ("REUTERS", "DPA", "PTI")] == ["Reuters", "dpa", "PTI"]


def test_normalise_prefers_the_body_dateline_and_fills_a_missing_agency() -> None:
    item = Item(uri="u", dateline="KABUL", body_text="Kabul, Sep 1 (PTI) Text here.\n\nSecond.")
    normalise(item)
    assert item.dateline == "Kabul, Sep 1"
    assert item.agency == "PTI"
    assert item.body_text == "Text here.\n\nSecond."


def test_normalise_does_not_override_a_source_agency() -> None:
    item = Item(uri="u", agency="IANS", body_text="New Delhi, July 26 (IANS) Hours later.")
    normalise(item)
    assert (item.agency, item.dateline, item.body_text) == (
        "IANS",
        "New Delhi, July 26",
        "Hours later.",
    )


_WORDS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200)


@settings(max_examples=300, deadline=None)
@given(_WORDS)
def test_split_only_ever_cuts_a_prefix(paragraph: str) -> None:
    opening = split_opening(paragraph)
    if opening is not None:
        assert paragraph.endswith(opening.rest)
        assert opening.rest and opening.dateline


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["Kabul/New Delhi, Sep 1", "NEW YORK", "Chennai, May 30"]),
    st.sampled_from(["PTI", "IANS", "AP"]),
    _WORDS,
)
def test_the_story_text_after_the_credit_survives_character_for_character(
    dateline: str, credit: str, text: str
) -> None:
    text = text.strip()
    if not text or "\n" in text or not text[0].isalnum():
        return  # a story's text starts with its first word, not with a separator's dash
    opening = split_opening(f"{dateline} ({credit}) {text}")
    assert opening is not None
    assert opening.rest == text
    assert opening.dateline == dateline
