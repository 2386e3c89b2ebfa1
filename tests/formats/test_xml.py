from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dialects
from conftest import samples
from wiredesk.exceptions import HostileInput, ParseError
from wiredesk.formats.encoding import xml_as_utf8
from wiredesk.formats.xml import MAX_DEPTH, element_text, parse_xml, skip_dtd, text_of

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
        b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><x>&leak;</x>',
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


KYODO_DOCTYPE = (
    b'<!DOCTYPE NewsML PUBLIC "-//IPTC-NAA//DTD NewsML 1.0//EN" "../DTD/NewsMLv1.0.dtd" '
    b'[ <!ENTITY % nitf SYSTEM "../nitf/dtd/nitf-3-0.dtd"> %nitf; ]>'
)


@pytest.mark.parametrize(
    "doctype",
    [
        KYODO_DOCTYPE,
        b'<!DOCTYPE x SYSTEM "x.dtd" [\n  <!-- NITF entities -->\n'
        b'  <!ENTITY % nitf PUBLIC "-//IPTC//ENTITIES NITF//EN" "nitf.ent">\n  %nitf;\n]>',
        b"<!DOCTYPE x [<?pi here?><!ENTITY %p SYSTEM 'file:///etc/passwd'>%p;]>",
        b"<!DOCTYPE x []>",
        b'<!DOCTYPE x PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:9/x.dtd">',
    ],
)
def test_a_doctype_that_only_names_dtds_or_parameter_entities_is_skipped(doctype: bytes) -> None:
    data = (
        b'<?xml version="1.0"?>\n'
        + doctype
        + b"\n<x><p>Kept, \xe2\x80\x9cas sent\xe2\x80\x9d.</p></x>"
    )
    assert element_text(parse_xml(data)) == "Kept, “as sent”."


@pytest.mark.parametrize(
    "subset",
    [
        # Reuters' NewsML 1.0 showcase, as sent.
        b" <!ELEMENT body (body.content)><!ELEMENT body.content (p*)><!ELEMENT p (#PCDATA)>",
        b"<!ATTLIST x status CDATA \"canceled\" id ID #IMPLIED note CDATA 'a > b'>",
        b"\n<!-- a comment --><!ELEMENT x ANY>\n<!ATTLIST x a (y|z) 'y'>\n",
    ],
)
def test_element_and_attribute_list_declarations_are_ignored_never_applied(subset: bytes) -> None:
    data = b'<!DOCTYPE x SYSTEM "x.dtd" [' + subset + b"]>\n<x><p>Kept as sent.</p></x>"
    root = parse_xml(data)
    assert element_text(root) == "Kept as sent."
    # An ATTLIST default would add status="canceled" to <x>: the declaration is not applied.
    assert root.attrib == {}


def test_a_skipped_subset_keeps_line_numbers_for_later_errors() -> None:
    data = b'<!DOCTYPE x [\n<!ENTITY % a SYSTEM "a.dtd">\n%a;\n]>\n<x>\n<broken>\n</x>'
    assert skip_dtd(data).count(b"\n") == data.count(b"\n")
    with pytest.raises(ParseError, match="line 7"):
        parse_xml(data)


@pytest.mark.parametrize(
    ("subset", "reason"),
    [
        (b'<!ENTITY e "x">', "declares the general entity 'e' and the file uses it"),
        (b'<!ENTITY % nitf SYSTEM "n.dtd"> %nitf; <!ENTITY e SYSTEM "file:///etc/passwd">',
         "general entity 'e' and the file uses it"),
        (b'<!ENTITY unused "x">', "declares the general entity 'unused'; no wire format"),
        (b'<!ENTITY % a "x"><!ENTITY % b "%a;%a;"> %b;', "parameter entity 'a' with text"),
        (b"<!ENTITY % e '<!ENTITY x SYSTEM \"file:///etc/passwd\">'> %e;",
         "parameter entity 'e' with text"),
        (b'<!ELEMENT x (a|<b)>', "not a well-formed declaration (<!ELEMENT>)"),
        (b'<!ATTLIST x a CDATA "unclosed>', "not a well-formed declaration (<!ATTLIST>)"),
        (b'<!NOTATION n SYSTEM "n">', "declares a notation (<!NOTATION>)"),
        (b'<!ELEMENT x ANY><!ENTITY e "x">', "general entity 'e' and the file uses it"),
        (b"<![INCLUDE[ <!ENTITY e 'x'> ]]>", "something other than DTD names"),
    ],
)  # fmt: skip
def test_a_doctype_declaring_anything_else_is_refused_with_its_own_reason(
    subset: bytes, reason: str
) -> None:
    data = b"<!DOCTYPE x [" + subset + b"]><x>&e;</x>"
    with pytest.raises(HostileInput, match=re.escape(reason)):
        parse_xml(data)


def test_an_entity_a_skipped_parameter_entity_would_define_is_refused_unexpanded() -> None:
    data = KYODO_DOCTYPE + b"<NewsML>&nbsp;</NewsML>"
    with pytest.raises(HostileInput, match="undeclared entity '&nbsp;'"):
        parse_xml(data)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<!DOCTYPE x [<!ENTITY % p SYSTEM "p.dtd"> %p;', "internal subset never ends"),
        (b"<!DOCTYPE x SYSTEM><x/>", "neither a name nor"),
    ],
)
def test_a_broken_doctype_is_not_well_formed(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_xml(data)


_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)
_URIS = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="\"'"))
_HARMLESS = st.one_of(
    st.builds(lambda n, u: f'<!ENTITY % {n} SYSTEM "{u}">', _NAMES, _URIS),
    st.builds(lambda n, p, u: f"<!ENTITY % {n} PUBLIC '{p}' '{u}'>", _NAMES, _URIS, _URIS),
    st.builds(lambda n: f"%{n};", _NAMES),
    st.builds(lambda t: f"<!--{t}-->", _URIS.filter(lambda t: "--" not in t and t[-1:] != "-")),
    st.sampled_from([" ", "\n", "\t", "\r\n"]),
)
_BODY = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=60)


@settings(max_examples=100, deadline=None)
@given(st.lists(_HARMLESS, max_size=8), _BODY)
def test_any_subset_of_parameter_entities_is_skipped_and_the_text_kept(
    subset: list[str], body: str
) -> None:
    data = f"<!DOCTYPE NewsML [{''.join(subset)}]><NewsML>{dialects.xml_escaped(body)}</NewsML>".encode()
    assert element_text(parse_xml(data)) == body


@settings(max_examples=100, deadline=None)
@given(st.lists(_HARMLESS, max_size=6), st.integers(0, 6), _NAMES, _BODY)
def test_a_general_entity_anywhere_in_the_subset_is_refused(
    subset: list[str], at: int, name: str, body: str
) -> None:
    subset.insert(min(at, len(subset)), f'<!ENTITY {name} SYSTEM "file:///etc/passwd">')
    data = f"<!DOCTYPE x [{''.join(subset)}]><x>&{name};{dialects.xml_escaped(body)}</x>".encode()
    with pytest.raises(HostileInput, match=f"general entity '{re.escape(name)}' and the file"):
        parse_xml(data)


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
