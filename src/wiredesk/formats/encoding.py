"""Bytes to Unicode for wire files whose labels cannot be trusted.

Agencies mislabel: a declaration says ISO-8859-1 over UTF-8 bytes, a "Latin-1" file holds
Windows-1252 curly quotes, one item of a UTF-8 feed was pasted from a Windows-1252 system.
The rules here pick the reading that gives the agency's real characters, and refuse (with a
reason) a file no reading fits, rather than publish mojibake.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from wiredesk.exceptions import ParseError

BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 LE's mark starts with UTF-16 LE's, so the longer marks are tried first.
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Labels browsers read as Windows-1252 (WHATWG Encoding): its superset of Latin-1 is what the
# sending systems really produced.
LATIN1_LABELS = frozenset(
    {
        "ascii",
        "us-ascii",
        "iso-8859-1",
        "iso8859-1",
        "iso_8859-1",
        "iso-ir-100",
        "latin1",
        "latin-1",
        "l1",
        "cp819",
        "ibm819",
        "cp1252",
        "windows-1252",
        "x-cp1252",
    }
)
# Where WHATWG reads a label as a superset, so bytes the sender really used still decode.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
}
_DECLARATION = re.compile(rb"<\?xml[^>]{0,200}?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']")
_DECLARATION_TEXT = re.compile(r"\A<\?xml([^>]{0,200}?)\?>")
_ENCODING_ATTR = re.compile(r"\s+encoding\s*=\s*[\"'][^\"']*[\"']")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_UTF8_INVALID = re.compile(rb"[\x80-\xff]+")


def _cp1252_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        # The five bytes Windows-1252 leaves undefined become the C1 code points, as in browsers.
        return chr(byte)


_CP1252 = [_cp1252_byte(b) for b in range(256)]


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_CP1252[b] for b in bad), error.end


codecs.register_error("wiredesk-cp1252", _as_cp1252)


def bom_codec(data: bytes) -> tuple[str, int] | None:
    """The codec a byte-order mark names, and the mark's length."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def wide_codec(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a mark, told by where the NULs fall around ASCII (XML F.1)."""
    if len(data) < 4:
        return None
    a, b, c, d = data[:4]
    if a == b == c == 0 and d:
        return "utf-32-be"
    if a and b == c == d == 0:
        return "utf-32-le"
    if a == c == 0 and b and d:
        return "utf-16-be"
    if a and c and b == d == 0:
        return "utf-16-le"
    return None


def declared(data: bytes) -> str | None:
    """The encoding an XML declaration at the very start names, lower-cased."""
    match = _DECLARATION.match(data[:300])
    return match.group(1).decode("ascii").lower() if match else None


def _strict(data: bytes, codec: str, why: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"{why}, but byte {exc.start:,} is not valid {codec.upper()}: the text cannot be "
            "read without guessing"
        ) from exc


def _cp1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_CP1252_TABLE)


_CP1252_TABLE = {b: _CP1252[b] for b in range(0x80, 0xA0)}


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few stray Windows-1252 bytes, as when one item came from a Windows system.

    Stray bytes in 0x80-0x9F are Windows punctuation (curly quotes, dashes, the euro) that no
    Latin-1 text holds; otherwise the UTF-8 sequences must be at least as many as the stray bytes, so a real
    Windows-1252 file where two letters happen to form a UTF-8 pair is not misread.
    """
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if not valid:
        return False
    stray = [
        error_byte
        for chunk in _UTF8_INVALID.findall(_UTF8_MULTIBYTE.sub(b"", data))
        for error_byte in chunk
    ]
    return all(0x80 <= b <= 0x9F for b in stray) or valid >= len(stray)


def _guess(data: bytes, why: str) -> str:
    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        raise ParseError(
            f"{why}, the bytes are not UTF-8 and no character encoding reads them cleanly; "
            "refused rather than publishing garbled text"
        )
    for match in results:
        # Ties between Western code pages are common on short text; Windows-1252 is what
        # Western wire systems send, so it wins a tie (a '£' must not come out as 'Ł').
        if match.encoding == "cp1252" and (match.chaos, -match.coherence) <= (
            best.chaos,
            -best.coherence,
        ):
            return _cp1252(data)
    return str(best)


def _utf8_or_guess(data: bytes, why: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", "wiredesk-cp1252")
    return _guess(data, why)


def decode(data: bytes, label: str | None = None) -> str:
    """The file's text, by byte-order mark, then label, then the bytes themselves.

    A Latin-1 or ASCII label is read as Windows-1252, except when the bytes are valid UTF-8
    with non-ASCII characters in them: then the label lies and the bytes are UTF-8.
    """
    marked = bom_codec(data)
    if marked:
        codec, skip = marked
        if codec == "utf-8":
            return _utf8_or_guess(data[skip:], "the file starts with a UTF-8 byte-order mark")
        return _strict(
            data[skip:], codec, f"the file starts with a {codec.upper()} byte-order mark"
        )
    wide = wide_codec(data)
    if wide:
        return _strict(data, wide, f"the file's first bytes are laid out as {wide.upper()}")
    name = (label or "").strip().lower()
    if not name or name in ("utf-8", "utf8"):
        return _utf8_or_guess(
            data, f"the file is labelled {name}" if name else "the file names no encoding"
        )
    if name in LATIN1_LABELS:
        if data.isascii():
            return data.decode("ascii")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return _cp1252(data)
    try:
        codec = codecs.lookup(SUPERSETS.get(name, name)).name
    except LookupError:
        return _utf8_or_guess(data, f"the label {label!r} names no known character encoding")
    if codec.startswith(("utf-16", "utf-32")):
        # A wide label over bytes with no wide layout: the label is stale, the bytes are 8-bit.
        return _utf8_or_guess(data, f"the file is labelled {label} but is not laid out so")
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return _utf8_or_guess(data, f"the file is labelled {label} but does not decode as it")


def decode_xml(data: bytes) -> str:
    """An XML file's text, its own declaration read as one hint among others."""
    return decode(data, declared(data))


def xml_as_utf8(data: bytes) -> bytes:
    """The XML re-encoded as UTF-8, its declaration saying so, ready for any XML parser."""
    text = decode_xml(data)
    match = _DECLARATION_TEXT.match(text)
    if match:
        attrs = _ENCODING_ATTR.sub("", match.group(1))
        text = f'<?xml{attrs} encoding="UTF-8"?>{text[match.end() :]}'
    return text.encode("utf-8")
