from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk import formats
from wiredesk.exceptions import ParseError
from wiredesk.formats import iptc7901

BODY = (
    "Hamburg (dpa) - The harbour reopened on Tuesday after a\r\n"
    "two-day strike, the port authority said.\r\n"
    "\r\n"
    "Ships had queued  in the Elbe estuary.\r\n"
)


def wire(
    *,
    header: str = "eca0042 3 i 120  dpa 0077",
    keywords: str = "Germany/port/strike/",
    title: str = "Hamburg port reopens after strike\r\nBy Anna Beispiel, dpa =",
    body: str = BODY,
    notes: str = "",
    sign_off: str = "dpa ab cd",
    trailer: str = "141530 GMT Okt 25",
    encoding: str = "cp1252",
) -> bytes:
    text = (
        f"\x01{header}\r\n\n{keywords}\r\n\x02{title}\r\n\n{body}{notes}\r\n{sign_off}\r\n\r\n"
        f"\x03{trailer}\r\n\x7f\n\x7f\x04"
    )
    return text.encode(encoding)


def parsed(data: bytes) -> iptc7901.Item:
    result = formats.parse(data)
    assert result.format == "iptc7901"
    [item] = result.items
    return item


def test_fields_of_a_dpa_item() -> None:
    item = parsed(wire())
    assert item.headline == "Hamburg port reopens after strike"
    assert item.byline == "By Anna Beispiel, dpa"
    assert item.slugline == "Germany/port/strike"
    assert item.dateline == "Hamburg"
    assert item.agency == "dpa"
    assert item.paragraphs == [
        "The harbour reopened on Tuesday after a\ntwo-day strike, the port authority said.",
        "Ships had queued  in the Elbe estuary.",
    ]
    assert item.versioncreated == datetime(2025, 10, 14, 15, 30, tzinfo=UTC)
    assert item.urgency == 3
    assert item.category == "International"
    assert item.version == "1"
    assert item.pubstatus == "usable"
    assert item.uri == "urn:wiredesk:iptc7901:eca:2025-10-14:germany-port-strike"


def test_the_sign_off_is_not_story_text() -> None:
    item = parsed(wire(sign_off="dpa xy zz"))
    assert "dpa xy" not in item.body_text
    assert item.paragraphs[-1] == "Ships had queued  in the Elbe estuary."


def test_not_for_publication_and_notebook_go_to_ednote() -> None:
    notes = (
        "\r\n# Notebook\r\n\r\n## Note to editors\r\n- adds quotes\r\n\r\n* * * *\r\n"
        "The following information is not intended for publication\r\n\r\n"
        "## Editorial contacts\r\n- Reporting by: Anna Beispiel\r\n"
    )
    item = parsed(wire(notes=notes))
    assert item.ednote == (
        "# Notebook\n\n## Note to editors\n- adds quotes\n\n* * * *\n"
        "The following information is not intended for publication\n\n"
        "## Editorial contacts\n- Reporting by: Anna Beispiel"
    )
    assert item.paragraphs[-1] == "Ships had queued  in the Elbe estuary."


def test_german_note_and_month_names() -> None:
    notes = "\r\nNicht zur Veröffentlichung bestimmt\r\nRückfragen: Redaktion\r\n"
    item = parsed(wire(notes=notes, trailer="021205 MEZ Mär 24"))
    assert item.ednote == "Nicht zur Veröffentlichung bestimmt\nRückfragen: Redaktion"
    assert item.versioncreated == datetime(2024, 3, 2, 12, 5, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    ("trailer", "expected"),
    [
        ("071341 GMT Okt 15", datetime(2015, 10, 7, 13, 41, tzinfo=UTC)),
        ("212322 GMT Nov 18", datetime(2018, 11, 21, 23, 22, tzinfo=UTC)),
        ("311000 GMT Dez 19", datetime(2019, 12, 31, 10, 0, tzinfo=UTC)),
        ("010101 Mai 2021", datetime(2021, 5, 1, 1, 1, tzinfo=UTC)),
        ("010101 GMT Foo 21", None),
        ("320000 GMT Jan 21", None),
    ],
)
def test_trailer_times(trailer: str, expected: datetime | None) -> None:
    assert iptc7901.trailer_time(trailer) == expected


def test_the_sentence_not_for_publication_stays_in_the_story() -> None:
    body = BODY + "\r\nThe memo, marked not for publication, leaked.\r\n\r\n* * *\r\n\r\nLater.\r\n"
    item = parsed(wire(body=body))
    assert item.paragraphs[-3:] == [
        "The memo, marked not for publication, leaked.",
        "* * *",
        "Later.",
    ]
    assert item.ednote == ""


def test_indented_lines_start_paragraphs() -> None:
    body = "   Berlin (dpa) - Erster Absatz\r\nweiter.\r\n   Zweiter Absatz.\r\n"
    item = parsed(wire(body=body, title="Ein Titel ="))
    assert item.dateline == "Berlin"
    assert item.paragraphs == ["Erster Absatz\nweiter.", "Zweiter Absatz."]
    assert item.byline == ""


def test_windows_1252_and_utf8_text_is_real_unicode() -> None:
    body = "Köln (dpa) - \u201eDas ist gut\u201c, sagte er \u2013 für alle.\r\n"
    for encoding in ("cp1252", "utf-8"):
        item = parsed(wire(body=body, title="Köln feiert =", encoding=encoding))
        assert item.headline == "Köln feiert"
        assert item.dateline == "Köln"
        assert item.paragraphs == ["\u201eDas ist gut\u201c, sagte er \u2013 für alle."]


def test_leads_are_versions_of_one_story() -> None:
    first = parsed(wire())
    lead = parsed(wire(header="eca0101 3 i 150  dpa 0123", title="1ST LEAD\r\nHamburg port =\r\n"))
    second = parsed(wire(header="eca0150 2 i 150", title="2ND LEAD\r\nHamburg port opens ="))
    assert first.uri == lead.uri == second.uri
    assert (first.version, lead.version, second.version) == ("1", "2", "3")
    assert lead.headline == "Hamburg port"
    assert "update" in lead.signals


def test_a_resend_is_the_same_story_and_an_identical_resend_the_same_version() -> None:
    original = parsed(wire())
    resend = parsed(
        wire(
            header="eca0999 3 i 120  dpa 0555",
            title="REFILE\nHamburg port reopens after strike\nBy Anna Beispiel, dpa =",
        )
    )
    again = parsed(
        wire(
            header="eca1000 3 i 120",
            title="REFILE\nHamburg port reopens after strike\nBy Anna Beispiel, dpa =",
            trailer="141545 GMT Okt 25",
        )
    )
    assert original.uri == resend.uri == again.uri
    assert resend.version == again.version
    assert resend.version.startswith("1-r")
    assert resend.version != original.version


def test_corrections_are_signalled_and_replace_the_take() -> None:
    item = parsed(wire(title="KORREKTUR\r\nHamburg port reopens after strike ="))
    assert "correction" in item.signals
    assert item.version.startswith("1-r")


@pytest.mark.parametrize(
    "title",
    [
        "KILL\r\nHamburg port reopens after strike =",
        "ACHTUNG - RÜCKRUF\r\nHamburg port reopens after strike =",
        "Achtung Redaktionen: Meldung zurückgezogen =",
        "WITHDRAWN\r\nHamburg port =",
    ],
)
def test_kills(title: str) -> None:
    item = parsed(wire(title=title))
    assert item.pubstatus == "canceled"
    assert "kill" in item.signals
    assert not item.version.isdigit()


def test_a_headline_about_a_kill_is_no_kill() -> None:
    item = parsed(wire(title="Police kill two suspects in Hamburg ="))
    assert item.pubstatus == "usable"


def test_embargo_note_is_signalled_for_the_hold_queue() -> None:
    item = parsed(wire(title="SPERRFRIST 12.00 UHR\r\nHamburg port reopens after strike ="))
    assert item.pubstatus == "usable" and "embargo" in item.signals
    assert item.ednote == "SPERRFRIST 12.00 UHR"


def test_without_the_title_terminator_the_first_line_is_the_headline() -> None:
    item = parsed(wire(title="Hamburg port reopens"))
    assert item.headline == "Hamburg port reopens"
    assert item.paragraphs[0].startswith("The harbour reopened")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (wire().split(b"\x03")[0], "cut off"),
        (wire().replace(b"\x02", b""), "no STX"),
        (wire(header="eca0042 x i"), "heading after SOH"),
    ],
)
def test_broken_files_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        iptc7901.parse(data)


def test_sniff_wants_the_soh_heading() -> None:
    assert iptc7901.sniff(wire()[:200], None)
    assert not iptc7901.sniff(b"eca0042 3 i 120", None)
    assert not iptc7901.sniff(b"\x16\x16\x01W2595\x1fasian\n", None)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_items_or_a_parse_error(data: bytes) -> None:
    for blob in (data, b"\x01eca0001 3 i 10\r\n" + data, wire()[: len(data)] + data):
        try:
            items = iptc7901.parse(blob)
        except ParseError:
            continue
        assert all(item.uri.startswith("urn:wiredesk:iptc7901:") for item in items)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_any_title_and_body_text_give_items_or_a_parse_error(title: str, body: str) -> None:
    try:
        items = iptc7901.parse(wire(title=title, body=body, encoding="utf-8"))
    except ParseError:
        return
    for item in items:
        assert "\r" not in item.body_text
        assert all(p and p == p.strip() for p in item.paragraphs)


@pytest.mark.parametrize(
    ("title", "headline", "byline", "markers"),
    [
        ("EU SUMMIT\r\nBy Anna Beispiel, dpa =", "EU SUMMIT", "By Anna Beispiel, dpa", []),
        (
            "1ST LEAD\r\nVon der Leyen besucht Kiew =",
            "Von der Leyen besucht Kiew",
            "",
            ["1ST LEAD"],
        ),
        (
            "Gipfel in Brüssel\r\nVon Anna Beispiel, dpa =",
            "Gipfel in Brüssel",
            "Von Anna Beispiel, dpa",
            [],
        ),
        ("EILT\r\nZUSAMMENFASSUNG\r\nGipfel =", "Gipfel", "", ["EILT", "ZUSAMMENFASSUNG"]),
    ],
)
def test_title_lines(title: str, headline: str, byline: str, markers: list[str]) -> None:
    item = parsed(wire(title=title))
    assert (item.headline, item.byline) == (headline, byline)
    assert item.signals[: len(markers)] == markers
