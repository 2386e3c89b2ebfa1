"""Bytes to Unicode for wire files whose labels cannot be trusted.

Agencies mislabel: a declaration says ISO-8859-1 over UTF-8 bytes, a "Latin-1" file holds
Windows-1252 curly quotes, one item of a UTF-8 feed was pasted from a Windows-1252 system.
The rules here read a file in the encoding it names (or UTF-8, the XML and JSON default), with a
few documented fallbacks that each have exactly one reading, and refuse a file that does not
decode cleanly with the offset of the first bad byte, rather than publish mojibake.
"""

from __future__ import annotations

import codecs
import re

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
_DECLARATION = re.compile(
    rb"[ \t\r\n]*<\?xml[^>]{0,200}?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']"
)
# XML 1.0 production 23: version, then encoding, then standalone, in that order and no other.
_S = r"[ \t\r\n]"
_XML_DECLARATION = re.compile(
    rf"""<\?xml(?P<version>{_S}+version{_S}*={_S}*(?:"1\.[0-9]+"|'1\.[0-9]+'))"""
    rf"""(?:{_S}+encoding{_S}*={_S}*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?"""
    rf"""(?P<standalone>{_S}+standalone{_S}*={_S}*(?:"(?:yes|no)"|'(?:yes|no)'))?{_S}*\?>"""
)
_ANY_DECLARATION = re.compile(rf"<\?xml(?:{_S}[^>]*?)?\?>")
# An unlabelled XML file that is not UTF-8 is read in a detected encoding only on strong
# evidence: this many bytes outside ASCII, a clean decode of the whole file, little mess.
GUESS_MIN_HIGH_BYTES = 16
GUESS_MAX_MESS = 0.15
# Latin-script single-byte code pages read broken UTF-8 as plausible mojibake ("Ã("), so a
# clean decode in one proves nothing: they are never guessed.
_NEVER_GUESSED = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "cp437", "cp850"}
    | {f"iso8859_{n}" for n in (1, 2, 3, 4, 9, 10, 13, 14, 15, 16)}
    | {"mac_roman", "mac_latin2", "mac_iceland", "mac_turkish"}
)
# Bytes 0x80-0x9F can never begin a UTF-8 character and no Latin-1 text holds them (they are
# C1 controls there); Windows-1252 gives all but five of them a punctuation mark.
_STRAY_PUNCTUATION = frozenset(range(0x80, 0xA0)) - {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _cp1252_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        # The five bytes Windows-1252 leaves undefined become the C1 code points, as in browsers.
        return chr(byte)


_CP1252 = [_cp1252_byte(b) for b in range(256)]
_CP1252_TABLE = {b: _CP1252[b] for b in range(0x80, 0xA0)}


def _stray_punctuation(error: UnicodeError) -> tuple[str, int]:
    """A lone Windows-1252 punctuation byte among UTF-8 text, read as that mark.

    It has no other reading: it cannot start a UTF-8 character and means nothing in Latin-1.
    Any other invalid byte (a sequence cut short, as in C3 28), or two such bytes in a row (a
    legacy multi-byte encoding, or a character that lost its first byte), is re-raised.
    """
    if isinstance(error, UnicodeDecodeError) and error.end - error.start == 1:
        data, at = error.object, error.start
        if data[at] in _STRAY_PUNCTUATION and not _follows_stray(data, at):
            return _CP1252[data[at]], at + 1
    raise error


def _follows_stray(data: bytes, at: int) -> bool:
    """Whether the byte before `at` is a stray high byte rather than the end of a character."""
    if at == 0 or not 0x80 <= data[at - 1] <= 0xBF:
        return False
    for back in (2, 3, 4):
        lead = at - back
        if lead >= 0 and data[lead] >= 0xC2:
            try:
                data[lead:at].decode("utf-8")
            except UnicodeDecodeError:
                continue
            return False
    return True


codecs.register_error("wiredesk-stray-punctuation", _stray_punctuation)


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
    """The encoding an XML declaration at the start names, lower-cased."""
    match = _DECLARATION.match(data[:300])
    return match.group(1).decode("ascii").lower() if match else None


def _refusal(why: str, codec: str, exc: UnicodeDecodeError, offset: int = 0) -> ParseError:
    at = offset + exc.start
    byte = exc.object[exc.start]
    return ParseError(
        f"{why}, but byte {at:,} (0x{byte:02X}) is not valid {codec.upper()} ({exc.reason}); "
        "refused rather than guessing at the text"
    )


def _strict(data: bytes, codec: str, why: str, offset: int = 0) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _refusal(why, codec, exc, offset) from exc


def _utf8(data: bytes, why: str, offset: int = 0) -> str:
    """UTF-8, allowing only lone Windows-1252 punctuation bytes (one system's curly quotes
    pasted into another's UTF-8 copy), each of which has exactly one reading."""
    try:
        return data.decode("utf-8", "wiredesk-stray-punctuation")
    except UnicodeDecodeError as exc:
        raise _refusal(why, "utf-8", exc, offset) from exc


def _cp1252(data: bytes) -> str:
    return data.decode("latin-1").translate(_CP1252_TABLE)


def _codec(name: str) -> str | None:
    """The 8-bit or multi-byte codec a label names; None when the bytes must be read as UTF-8."""
    try:
        codec = codecs.lookup(SUPERSETS.get(name, name)).name
    except LookupError:
        return None
    # A wide label over bytes with no wide layout is stale: the bytes are 8-bit.
    return None if codec.startswith(("utf-8", "utf-16", "utf-32")) else codec


def _guessed(data: bytes) -> str | None:
    """The text of an unlabelled non-UTF-8 file in the one encoding the evidence points to."""
    if sum(b >= 0x80 for b in data) < GUESS_MIN_HIGH_BYTES:
        return None
    # Imported here: few files need a guess, and every process would pay for loading it.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > GUESS_MAX_MESS:
        return None
    codec = codecs.lookup(best.encoding).name
    if codec in _NEVER_GUESSED:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(data: bytes, label: str | None = None, *, guess: bool = False) -> str:
    """The file's text, in the one encoding its byte-order mark, its label or its format names.

    Without a usable label the file is UTF-8, as XML and JSON both say. Bytes that are not valid
    in that encoding refuse the file with their offset, unless a documented fallback reads them
    exactly: a Latin-1 or ASCII label is read as its superset Windows-1252 (as browsers do), or
    as UTF-8 when the bytes are valid UTF-8 (the label lies); a legacy label over bytes it cannot
    read but UTF-8 can is a lie too; and a lone Windows-1252 punctuation byte in UTF-8 is that mark.
    With `guess` (XML without a declaration), a file that is not UTF-8 may be read in a detected
    encoding, on the strong evidence `_guessed` asks for; never in a Western code page.
    """
    marked = bom_codec(data)
    if marked:
        codec, skip = marked
        why = f"the file starts with a {codec.upper()} byte-order mark"
        if codec == "utf-8":
            return _utf8(data[skip:], why, skip)
        return _strict(data[skip:], codec, why, skip)
    wide = wide_codec(data)
    if wide:
        return _strict(data, wide, f"the file's first bytes are laid out as {wide.upper()}")
    name = (label or "").strip().lower()
    if data.isascii():
        return data.decode("ascii")
    if name in LATIN1_LABELS:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return _cp1252(data)
    legacy = _codec(name)
    if legacy is None:
        if not name:
            why = "the file names no encoding, so it is UTF-8 (as XML and JSON say)"
            try:
                return _utf8(data, why)
            except ParseError:
                text = _guessed(data) if guess else None
                if text is None:
                    raise
                return text
        elif name in ("utf-8", "utf8"):
            why = f"the file declares {label}"
        else:
            why = f"the label {label!r} is no 8-bit encoding wiredesk knows, so it is read as UTF-8"
        return _utf8(data, why)
    try:
        return data.decode(legacy)
    except UnicodeDecodeError as exc:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise _refusal(f"the file is labelled {label}", legacy, exc) from exc


def decode_xml(data: bytes) -> str:
    """An XML file's text, its own declaration read as one hint among others."""
    label = declared(data)
    return decode(data, label, guess=label is None)


def xml_as_utf8(data: bytes) -> bytes:
    """The XML re-encoded as UTF-8, ready for any XML parser.

    The declaration is rewritten to say UTF-8 with its version and standalone kept in their
    valid order; one that breaks XML's grammar is dropped (its only job, naming the encoding,
    is done), and layout before it, which XML forbids there, is removed.
    """
    text = decode_xml(data)
    stripped = text.lstrip(" \t\r\n")
    if stripped.startswith("<?xml") and stripped[5:6] in (" ", "\t", "\r", "\n", "?"):
        text = stripped
        valid = _XML_DECLARATION.match(text)
        if valid:
            version, standalone = valid.group("version"), valid.group("standalone") or ""
            text = f'<?xml{version} encoding="UTF-8"{standalone}?>{text[valid.end() :]}'
        else:
            broken = _ANY_DECLARATION.match(text)
            text = text[broken.end() :] if broken else text
    return text.encode("utf-8")
