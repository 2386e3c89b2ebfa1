from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.exceptions import ParseError
from wiredesk.formats.encoding import declared, decode, decode_xml, wide_codec, xml_as_utf8

TEXT = "Zürich, 3 juin — «Café» costs €5; don’t"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
    ],
)
def test_a_byte_order_mark_decides_and_is_dropped(bom: bytes, codec: str) -> None:
    assert decode(bom + f"<x>{TEXT}</x>".encode(codec)) == f"<x>{TEXT}</x>"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_a_mark_are_recognised_by_their_nuls(codec: str) -> None:
    data = f'<?xml version="1.0" encoding="utf-16"?><x>{TEXT}</x>'.encode(codec)
    assert wide_codec(data) == codec
    assert decode_xml(data).endswith(f"<x>{TEXT}</x>")


def test_a_latin1_declaration_over_utf8_bytes_is_read_as_utf8() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><x>procès santé</x>'.encode()
    text = decode_xml(data)
    assert "procès santé" in text and "Ã" not in text


def test_latin1_labels_are_read_as_windows_1252() -> None:
    data = b'<?xml version="1.0" encoding="iso-8859-1"?><x>\x93Caf\xe9\x94 \x80 don\x92t \x96</x>'
    assert decode_xml(data).endswith("<x>“Café” € don’t –</x>")


def test_the_five_bytes_windows_1252_leaves_undefined_become_c1_controls() -> None:
    text = decode(b"a\x81b\x8dc\x8fd\x90e\x9df\xe9", "latin-1")
    assert text == "a\x81b\x8dc\x8fd\x90e\x9dfé"


def test_a_utf8_file_with_stray_windows_1252_punctuation_reads_both() -> None:
    assert decode(b"caf\xc3\xa9 and \x93quoted\x94 \x85") == "café and “quoted” …"


def test_a_windows_1252_file_reads_by_its_label_and_is_refused_without_one() -> None:
    data = "Die Straße” war lang, für alle Bürger. Öl ist teuer.".encode("cp1252")
    assert decode(data, "windows-1252") == "Die Straße” war lang, für alle Bürger. Öl ist teuer."
    # No label: UTF-8, as XML and JSON say; "ß" (0xDF) followed by "e" is a broken sequence.
    with pytest.raises(ParseError, match=r"byte 8 \(0xDF\) is not valid UTF-8"):
        decode(data)


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        ("<x>Наверное, единственное</x>".encode("koi8-r"), 3),
        (b"<x>don\x92t \xa3 caf\xe9</x>", 9),
        ("<x>不归移民漫画</x>".encode("gb2312"), 3),
    ],
)
def test_an_unlabelled_legacy_file_is_refused_at_its_first_bad_byte_never_guessed(
    data: bytes, offset: int
) -> None:
    with pytest.raises(ParseError, match=f"names no encoding.*byte {offset} .*not valid UTF-8"):
        decode(data)


def test_a_legacy_label_is_honoured_for_the_same_bytes() -> None:
    text = "<x>Наверное, единственное</x>"
    assert decode(text.encode("koi8-r"), "koi8-r") == text


@pytest.mark.parametrize(
    ("data", "label", "offset", "byte"),
    [
        # The probe's NITF and ninjs headlines: "bad \xc3\x28 utf8" once came out as "bad Ã( utf8".
        (b'<?xml version="1.0" encoding="UTF-8"?><x>bad \xc3\x28 utf8</x>', "utf-8", 45, "C3"),
        (b'{"headline": "bad \xc3\x28 utf8"}', None, 18, "C3"),
        (b"\xef\xbb\xbf<x>Espa\xf1a</x>", None, 10, "F1"),
        # Two Windows-1252 bytes in a row are no stray mark: a legacy multi-byte encoding, or
        # a UTF-8 character that lost its first byte ("\x80\x99" of "’").
        (b"caf\xc3\xa9 \x80\x99 done", "utf-8", 7, "99"),
        (b"caf\xc3\xa9 \x81 done", "utf-8", 6, "81"),
    ],
)
def test_invalid_utf8_is_refused_with_its_byte_offset(
    data: bytes, label: str | None, offset: int, byte: str
) -> None:
    with pytest.raises(ParseError, match=rf"byte {offset} \(0x{byte}\) is not valid UTF-8"):
        decode(data, label)


def test_a_declared_legacy_encoding_is_honoured() -> None:
    data = '<?xml version="1.0" encoding="euc-kr"?><x>년</x>'.encode("euc-kr")
    assert decode_xml(data).endswith("<x>년</x>")


def test_a_stale_wide_label_over_8bit_bytes_is_ignored() -> None:
    data = '<?xml version="1.0" encoding="utf-16"?><x>é</x>'.encode()
    assert decode_xml(data).endswith("<x>é</x>")


def test_a_bogus_label_falls_back_to_the_bytes() -> None:
    assert decode_xml(b'<?xml version="1.0" encoding="bogus"?><rss/>').endswith("<rss/>")


def test_a_broken_utf16_file_is_refused_with_a_reason() -> None:
    with pytest.raises(ParseError, match="UTF-16-LE byte-order mark.*not valid"):
        decode(b"\xff\xfe<\x00x\x00\x00\xd8>\x00")


def test_bytes_no_encoding_reads_cleanly_are_refused() -> None:
    with pytest.raises(ParseError, match=r"byte 129 \(0x81\) is not valid UTF-8"):
        decode(bytes(range(256)) * 4)


def test_xml_as_utf8_rewrites_the_declaration() -> None:
    data = b'<?xml version="1.0" encoding="windows-1252" standalone="yes"?><x>\x80</x>'
    assert (
        xml_as_utf8(data)
        == '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><x>€</x>'.encode()
    )
    assert declared(xml_as_utf8(data)) == "utf-8"


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc"))),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
)
def test_any_text_with_a_mark_or_in_utf8_comes_back_exactly(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return  # lone surrogates cannot be written in any of these
    assert decode(data) == text


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=400),
    st.sampled_from([None, "utf-8", "latin-1", "shift_jis", "bogus", "utf-16"]),
)
def test_any_bytes_decode_or_give_a_parse_error(data: bytes, label: str | None) -> None:
    try:
        assert isinstance(decode(data, label), str)
    except ParseError as exc:
        assert str(exc)
