"""dpa's German IPTC 7901 heading block: bracketed urgency, correction, genre and picture notes
around the headline. The headline is the headline alone; nothing is lost."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, SAMPLES
from dialects import only_item
from wiredesk.formats.iptc7901 import HeadingNote, heading_notes


def test_urgency_correction_and_picture_notes_leave_the_headline_alone() -> None:
    data = (FIXTURES / "dialects" / "dpa-7901-heading-notes.iptc").read_bytes()
    item = only_item(data, "iptc7901")
    assert item.headline == "Carolabrücke bleibt bis Jahresende gesperrt"
    assert item.byline == "Von Anna Beispiel, dpa"
    assert item.urgency == 2
    note = (
        "Berichtigung: In einer früheren Version hieß es, die Brücke sei seit Montag gesperrt. "
        "Richtig ist Dienstag."
    )
    assert "correction" in item.signals
    assert item.ednote.startswith(note)
    assert item.picture_note == "Foto Illustration"
    assert item.dateline == "Dresden"
    assert item.paragraphs == [
        "Die Carolabrücke in Dresden bleibt bis zum Jahresende\ngesperrt. Das teilte die Stadt "
        "am Dienstag mit.",
        "Gutachter prüfen seit Wochen die Pfeiler.",
    ]


def test_notes_are_read_in_order_and_a_headline_ending_in_brackets_keeps_them() -> None:
    notes, title = heading_notes(["(Blitz)", "(Vorschau)", "Wahl in Sachsen (2)"])
    assert notes == [HeadingNote("urgent", "Blitz"), HeadingNote("note", "Vorschau")]
    assert title == ["Wahl in Sachsen (2)"]
    notes, title = heading_notes(["Neue Brücke eröffnet (mit Bild)"])
    assert notes == [HeadingNote("picture", "mit Bild")]
    assert title == ["Neue Brücke eröffnet"]
    # A title that is only a bracket is the headline, not a note.
    assert heading_notes(["(Vorschau)"]) == ([], ["(Vorschau)"])


def _dpa(name: str) -> bytes:
    path = SAMPLES / "agencies" / f"dpa-newslab_dpa-digitalwires-to-iptc7901__{name}.iptc"
    if not path.is_file():
        pytest.skip(f"agency sample not found at {path}")
    return path.read_bytes()


def test_dpa_correction_and_genre_notes() -> None:
    item = only_item(_dpa("tvo-pol"), "iptc7901")
    # The wrapped headline keeps its line break, as sent.
    assert (
        item.headline == "dpa-Tagesvorschau Politik Deutschland für Dienstag, 24. September\n2024"
    )
    assert "correction" in item.signals
    assert item.ednote.startswith("Berichtigung: Uhrzeit korrigiert")
    assert "(Vorschau)" in item.signals


def test_dpa_planning_note() -> None:
    item = only_item(_dpa("lesestuecke"), "iptc7901")
    assert item.headline == "Folgende Lesestücke des Ressorts Politik sind weiter aktuell"
    assert "(Achtung - Planungshinweis)" in item.signals
    assert "correction" not in item.signals
