"""Transmission headers before a BC- slug line (Kyodo: SYN SYN SOH "a0105KYODOkoko-") are the
heading, not a reason to refuse the file."""

from __future__ import annotations

from conftest import FIXTURES
from dialects import only_item
from wiredesk.formats import detect


def test_kyodo_transmission_header_before_the_slug_line_is_read_as_a_header() -> None:
    data = (FIXTURES / "dialects" / "kyodo-bcslug-transmission-header.txt").read_bytes()
    assert detect(data) == "bcslug"
    item = only_item(data, "bcslug")
    assert item.headline == "Hawks take Japan Series opener behind rookie"
    assert item.slugline == "BC-Baseball-Japan-Series"
    assert item.dateline == "FUKUOKA, Japan, Nov. 3"
    assert item.agency == "Kyodo"
    assert item.paragraphs == [
        "The SoftBank Hawks beat the Hanshin Tigers 4-1 in\nGame 1 of the Japan Series on "
        "Sunday, as a rookie struck out nine over seven innings.",
        '"I just threw what the catcher called," he said.',
    ]


def test_several_header_lines_and_blank_lines_before_the_slug() -> None:
    data = (
        b"a0105KYODOkoko-\n\nkyo0417\nu s BC-Soccer-Cup   09-12 0344\nCup won +\n"
        b"    TOKYO, Dec. 9 Kyodo - Urawa won.\n"
    )
    item = only_item(data, "bcslug")
    assert item.headline == "Cup won"
    assert item.body_text == "Urawa won."
