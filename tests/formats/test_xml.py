from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import samples
from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats.encoding import xml_as_utf8
from wiredesk.formats.xml import MAX_DEPTH, element_text, parse_xml, text_of

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><lolz>&lol9;</lolz>"
)


def test_a_lying_latin1_declaration_over_utf8_gives_the_right_text() -> None:
    data = '<?xml version="1.0" encoding="iso-8859-1"?><doc><p>Décès à Genève</p></doc>'.encode()
    assert text_of(parse_xml(data)) == "Décès à Genève"


def test_windows_1252_labelled_latin1_gives_curly_quotes() -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?><doc>\x93Oui\x94, dit-il \x96 \x80</doc>'
    assert text_of(parse_xml(data)) == "“Oui”, dit-il – €"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_wide_encodings_parse_with_or_without_a_mark(codec: str) -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><doc>Ελλάδα 東京</doc>'.encode(codec)
    assert text_of(parse_xml(data)) == "Ελλάδα 東京"


def test_the_afp_sample_that_declares_latin1_but_is_utf8_reads_right() -> None:
    root = parse_xml((samples("superdesk") / "afp20.xml").read_bytes())
    text = element_text(root)
    assert "procès-santé" in text and "Ã" not in text


def test_billion_laughs_is_refused_fast() -> None:
    started = time.monotonic()
    with pytest.raises(HostileInput, match="DOCTYPE"):
        parse_xml(LAUGHS)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><x/>',
        b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><x>&leak;</x>',
        b'<!DOCTYPE x [ <!ATTLIST x a CDATA "injected"> ]><x/>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'.encode("utf-16"),
    ],
)
def test_entity_and_dtd_tricks_are_refused(data: bytes) -> None:
    with pytest.raises(HostileInput) as caught:
        parse_xml(data)
    assert "root:" not in str(caught.value)


def test_an_external_dtd_is_never_fetched_and_its_entities_stay_unexpanded() -> None:
    data = b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x>&secret;</x>'
    with pytest.raises(HostileInput, match="undeclared entity"):
        parse_xml(data)


def test_a_plain_doctype_without_declarations_is_fine() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "nitf-3-6.dtd"><nitf><p>ok</p></nitf>'
    assert text_of(parse_xml(data)) == "ok"


def test_deep_nesting_fails_fast_without_recursing() -> None:
    data = b"<a>" * 100_000 + b"</a>" * 100_000
    started = time.monotonic()
    with pytest.raises(HostileInput, match=f"deeper than {MAX_DEPTH}"):
        parse_xml(data)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<doc><p>cut off", "not well-formed"),
        (b"<doc>\x00</doc>", "not well-formed"),
        (b"", "not well-formed"),
    ],
)
def test_broken_files_give_a_readable_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_xml(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_parse_error(data: bytes) -> None:
    try:
        parse_xml(data)
    except ParseError as exc:
        assert str(exc)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=80))
def test_any_text_survives_the_round_trip_through_xml(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for label, codec in (("UTF-8", "utf-8"), ("UTF-16", "utf-16"), ("ISO-8859-1", "utf-8")):
        data = f'<?xml version="1.0" encoding="{label}"?><x>{escaped}</x>'.encode(codec)
        assert element_text(parse_xml(data)) == text


PROLOGUES = [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
    '<?xml  version = "1.0"   encoding = "utf-8"   standalone = "no"  ?>',
    '<?xml version="1.0"?>',
    '<?xml version="1.0" standalone="yes"?>',
    '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- sent by the wire -->\n<?wire seq="42"?>\n',
    "<!-- no declaration, a comment first --><?wire seq='42'?>",
    # Not valid XML, but harmless once decoded: layout before the declaration, and a
    # declaration in the wrong order. The first is removed, the second dropped.
    '\n  <?xml version="1.0" encoding="UTF-8"?>',
    '<?xml version="1.0" standalone="no" encoding="UTF-8"?>',
]


@pytest.mark.parametrize("prologue", PROLOGUES)
def test_every_valid_prologue_parses_with_its_text(prologue: str) -> None:
    data = f"{prologue}<x>Zürich — ‘quoted’ नमस्ते</x>".encode()
    assert text_of(parse_xml(data)) == "Zürich — ‘quoted’ नमस्ते"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(['"', "'"]),
    st.sampled_from(["", " ", "  ", "\t", "\n"]),
    st.sampled_from([None, ("UTF-8", "utf-8"), ("utf-16", "utf-16"), ("ISO-8859-1", "latin-1")]),
    st.sampled_from([None, "yes", "no"]),
    st.booleans(),
)
def test_declaration_rewriting_keeps_a_valid_declaration(
    quote: str, space: str, encoding: tuple[str, str] | None, standalone: str | None, bom: bool
) -> None:
    label, codec = encoding or ("", "utf-8")
    decl = f"<?xml version{space}={space}{quote}1.0{quote}"
    if label:
        decl += f" {space}encoding={quote}{label}{quote}"
    if standalone:
        decl += f" {space}standalone{space}={quote}{standalone}{quote}"
    decl += f"{space}?>"
    text = "<x>Ünïcödé &amp; more</x>"
    data = (decl + text).encode(codec)
    if bom and codec == "utf-8":
        data = b"\xef\xbb\xbf" + data
    rewritten = xml_as_utf8(data)
    head = rewritten[: rewritten.index(b"?>") + 2].decode()
    assert head.startswith("<?xml version") and 'encoding="UTF-8"' in head
    kept = re.search(rf"standalone\s*=\s*{quote}(yes|no){quote}", head)
    assert (kept.group(1) if kept else None) == standalone
    assert text_of(parse_xml(data)) == "Ünïcödé & more"
