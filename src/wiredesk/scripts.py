"""Writing systems: the folding that makes two spellings of one word match, and a story's
language from its script when the file does not say.

Folding is for matching only (gazetteer keys, search index and queries); the agency's text is
never changed. `fold(text)`:

1. NFC. The nukta letters (क़ U+0958 ... य़ U+095F and their Bengali, Gurmukhi, Oriya kin) are
   composition exclusions, so NFC writes them as base letter + nukta whichever way they came.
2. Drops the nukta signs (Hindi copy writes ज़रूर and जरूर alike), ZWJ and ZWNJ (which only
   choose a conjunct's shape) and Arabic short-vowel marks (harakat, rarely written in Urdu).
3. Devanagari य + ी / े after a letter is ई / ए: नयी and नई, गये and गए, लिये and लिए are one
   word spelt two ways, and agencies use both (PTI Bhasha writes नयी दिल्ली, GeoNames नई दिल्ली).
4. Arabic ي ى and ك are Urdu/Persian ی and ک: older systems send Urdu with Arabic code points.

Case is left to the caller (`casefold()` for names, the engines' own lowering for search).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

_NUKTAS = "\u093c\u09bc\u0a3c\u0abc\u0b3c\u0c3c\u0cbc"
_JOINERS = "\u200c\u200d"
_HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670"
_DROP = dict.fromkeys(map(ord, _NUKTAS + _JOINERS + _HARAKAT))
_ARABIC_TO_URDU = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
# य + vowel sign ी/े after a Devanagari letter or sign: the ई/ए spelling of the same syllable.
_YA = re.compile("(?<=[\u0900-\u0963])\u092f([\u0940\u0947])")
_YA_VOWEL = {"\u0940": "\u0908", "\u0947": "\u090f"}


# The same folding in PostgreSQL's translate() (migration 0015_search_folding): Arabic letters to Urdu ones,
# then the characters dropped. The य rule is a regexp_replace beside it.
SQL_FOLD_FROM = "\u064a\u0649\u0643"
SQL_FOLD_TO = "\u06cc\u06cc\u06a9"
SQL_FOLD_DROP = _NUKTAS + _JOINERS + _HARAKAT


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text
    text = text.translate(_DROP).translate(_ARABIC_TO_URDU)
    return _YA.sub(lambda m: _YA_VOWEL[m.group(1)], text)


def fold_name(name: str) -> str:
    """A gazetteer key: folded, case-folded, spaces collapsed."""
    return " ".join(fold(name).casefold().split())


# Combining marks (Mn, Mc) of the scripts that write vowels as signs: Hebrew to Sinhala, Thai,
# Tibetan, Myanmar. They belong to the word; SQLite's unicode61 would split words at them.
_MARK_BLOCKS = ((0x0590, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F))


@cache
def word_marks() -> str:
    return "".join(
        chr(c)
        for lo, hi in _MARK_BLOCKS
        for c in range(lo, hi + 1)
        if unicodedata.category(chr(c)) in ("Mn", "Mc")
    )


@cache
def word_pattern() -> re.Pattern[str]:
    """A word: letters and digits with their combining marks (Python's \\w leaves out Mc/Mn)."""
    return re.compile(r"[\w" + re.escape(word_marks()) + "]+")


# Unicode blocks -> the language a story written in that script is, in Indian wire copy.
_SCRIPT_LANG = (
    (0x0900, 0x097F, "deva"),
    (0x0980, 0x09FF, "bn"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0A80, 0x0AFF, "gu"),
    (0x0B00, 0x0B7F, "or"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"),
    (0x0C80, 0x0CFF, "kn"),
    (0x0D00, 0x0D7F, "ml"),
    (0x0600, 0x06FF, "arab"),
    (0x0750, 0x077F, "arab"),
    (0xFB50, 0xFDFF, "arab"),
    (0xFE70, 0xFEFF, "arab"),
)
# Words that tell the languages sharing a script apart (each common, short, and not a word of
# the other): Marathi and Nepali against Hindi; Urdu's own letters against Arabic and Persian.
_MARATHI = frozenset(["आहे", "आणि", "आहेत", "होते", "झाली", "केली", "म्हणाले", "यांनी", "त्यांनी"])
_NEPALI = frozenset(["छ", "छन्", "गरेको", "भएको", "थियो", "हुन्छ", "पनि"])
_HINDI = frozenset(["है", "हैं", "और", "के", "की", "में", "से", "ने", "कहा", "था"])
_URDU_LETTERS = frozenset("ٹڈڑںےھۓ")
_PERSIAN = frozenset(["است", "می\u200cگوید", "این", "برای"])
_ENGLISH = frozenset(
    ["the", "and", "of", "to", "in", "is", "was", "said", "that", "for", "on", "with", "by"]
)
_SAMPLE = 4000
RTL_LANGUAGES = frozenset({"ur", "ar", "fa", "ps", "sd", "ks", "he", "yi", "dv", "ug", "ckb"})


def detect_language(text: str) -> str:
    """A BCP 47 primary tag from the script and a few words, or "" when unsure.

    Indian scripts name their language (Tamil script is Tamil); Devanagari is Hindi unless
    Marathi or Nepali words outnumber Hindi ones; Arabic script is Urdu when Urdu's own letters
    appear (ٹ ڈ ڑ ں ے), else Arabic. Latin text is English when English function words are
    common in it; other Latin-script languages are left to the file's own field ("").
    """
    sample = text[:_SAMPLE]
    counts: Counter[str] = Counter()
    latin = 0
    for ch in sample:
        if not ch.isalpha():
            continue
        point = ord(ch)
        if point < 0x0250:
            latin += 1
            continue
        for lo, hi, script in _SCRIPT_LANG:
            if lo <= point <= hi:
                counts[script] += 1
                break
    letters = latin + sum(counts.values())
    if not letters:
        return ""
    script, most = counts.most_common(1)[0] if counts else ("", 0)
    if most * 2 < letters:
        words = sample.casefold().split()
        english = sum(1 for w in words if w in _ENGLISH)
        return "en" if words and english * 12 >= len(words) else ""
    words = sample.split()
    if script == "deva":
        hindi = sum(1 for w in words if w in _HINDI)
        marathi = sum(1 for w in words if w in _MARATHI)
        nepali = sum(1 for w in words if w in _NEPALI)
        if marathi > hindi and marathi >= nepali:
            return "mr"
        if nepali > hindi:
            return "ne"
        return "hi"
    if script == "arab":
        if any(ch in _URDU_LETTERS for ch in sample):
            return "ur"
        return "fa" if sum(1 for w in words if w in _PERSIAN) >= 2 else "ar"
    return script


def direction(language: str) -> str:
    """ "rtl" for a language written right to left, else "ltr"."""
    primary = language.strip().casefold().replace("_", "-").split("-")[0]
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


def primary_tag(language: str) -> str:
    """The language tag as BCP 47 writes it: "hi-IN", "en" (an agency's "EN" or "hi_IN")."""
    parts = [p for p in language.strip().replace("_", "-").split("-") if p]
    if not parts or not all(p.isascii() and p.isalnum() and len(p) <= 8 for p in parts):
        return ""
    head = parts[0].lower()
    tail = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p for p in parts[1:]]
    return "-".join([head, *tail])
