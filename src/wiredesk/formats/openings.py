"""The grammar of story openings: dateline, credit and the story's first word, in any language.

Agencies open a first paragraph with a dateline (where, and often when) and a credit (who):

    opening    = credit-after | credit-before | credit-in-dashes | credit-slashed | credit-bare
    credit-after     = dateline "(" credit ")" separator       Berlin (dpa) - / Srinagar, Sep 1 (ANI):
    credit-before    = "(" credit ")" separator dateline dash  (ANSA) - NAPOLI, 24 FEB -
    credit-in-dashes = dateline "--(" credit ")--"             NEW YORK--(BUSINESS WIRE)--
    credit-slashed   = dateline "/" credit "/"                 MOSCOW, December 9. /TASS/.
    credit-bare      = dateline credit dash                    SAITAMA, Japan, Dec. 9 Kyodo -
    dateline   = places ("," qualifier)* ("," date)? | date   Kabul/New Delhi, Sep 1 / Jan 3
    places     = place ("/" place)*  with "(…)" or "[…]" after a place: Bengaluru (Karnataka) [India]
    date       = month day [year] | day month [year] | dd-mm-yyyy | dd.mm.[yy] | day
                 in the month names and day words of opening_words.py, digits of any script
    separator  = " - " " -- " " — " " – " " _ " ".- " ":" or, after a date, only a space

docs/formats.md ("Openings grammar") gives an example of each form in each language.

The shapes are general; what keeps an ordinary sentence whole is the guard in `_plausible`:
the place must read as a place name in its script (capitalised words, or a caseless script),
the credit must be an agency or look like one, and the weaker the evidence of one part, the
stronger the other must be. Only the opening is ever cut: `Opening` keeps the paragraph and
the offsets of every part, so dateline, credit, separators and text give back every character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiredesk.formats.opening_words import (
    AGENCY_NAMES,
    KNOWN_CREDITS,
    PLACE_CONNECTORS,
    credit_key,
    day_words,
    month_names,
)

MAX_DATELINE = 100
_WINDOW = 400  # an opening is never longer; the grammar never looks further into a paragraph


# The combining marks of the scripts agencies write datelines in (Latin accents, Cyrillic,
# Arabic and Urdu harakat, the Indian scripts' vowel signs and viramas: the Indic blocks are
# taken whole but for the danda), and the joiners Indian and Persian spelling uses.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u200c\u200d"
)
_LETTER = r"[^\W\d_]"
_WORD_CHAR = rf"(?:[^\W_]|[{_MARKS}])"
_NOT_WORD = rf"(?![^\W_]|[{_MARKS}])"
_SPACE = r"[ \t\u00a0]"
_DOT = rf"\.(?!{_SPACE}*/)"  # a dot before " /TASS/" is the separator's, not the word's
# One word of a place name: "Dessau-Roßlau", "N.Y.", "Pa.", "O'Hare", "नयी", "نيقوسيا".
# (Possessive, not an atomic group: the same match, and far quicker for `re` to compile.)
_WORD = rf"{_LETTER}(?:{_WORD_CHAR}|['’\-‑](?={_LETTER})|\.(?={_LETTER}))*+(?:{_DOT})?"

_COMMA = r"\s*[,،]\s*"


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(words, key=len)[::-1])


_MONTHS = month_names()
_DAY_WORDS = day_words()
# Any word may stand where a month does; `_date_valid` then looks it up in the month names of
# every language (opening_words.py). Spelling the names out in the pattern made it slow to
# build and gave the same result. Levantine months are two words: "تشرين الأول".
_MONTH = rf"{_LETTER}{_WORD_CHAR}*+(?:{_SPACE}+[\u0621-\u064a]{{2,}})?(?:{_DOT})?"
_DAY = rf"(?:\d{{1,2}}|{_alternation(set(_DAY_WORDS))})"
_YEAR = r"\d{4}"
_NUMERIC = rf"\d{{1,2}}[./-]\d{{1,2}}[./-](?:{_YEAR}|\d{{2}})|\d{{1,2}}\.\d{{1,2}}\.|{_YEAR}-\d{{2}}-\d{{2}}"
# "Sep 1", "June 09, 2020", "16 ene", "9 janv 2026", "3. März", "16 de enero de 2020",
# "एक सितंबर", "१२ जून", "25-11-2023", "16.1.", and Europa Press's bare day "16". The month
# name is written once: a day before it (day_first) means none may follow it.
_DATE = (
    rf"(?P<date>(?:(?P<day_first>{_DAY})(?:\.|er|º|ª|st|nd|rd|th)?\s+(?:de\s+)?)?(?P<month>{_MONTH})"
    rf"(?(day_first)|\s*\d{{1,2}}(?:st|nd|rd|th)?)(?:,?\s+(?:de\s+)?{_YEAR})?{_NOT_WORD}"
    rf"|(?P<numeric>{_NUMERIC}){_NOT_WORD}|(?P<day_only>\d{{1,2}}){_NOT_WORD})"
)
# A qualifier after a comma ("SAITAMA, Japan", "FORT WASHINGTON, Pa.") is no date: not a word
# with a day after it ("Dec. 9") nor a day word ("एक सितंबर").
_NOT_DATE = rf"(?!{_WORD}{_SPACE}*\d|(?:{_alternation(set(_DAY_WORDS))}){_NOT_WORD})"
_NAME = rf"(?!(?:{_alternation(set(_DAY_WORDS))}){_NOT_WORD}){_WORD}(?:{_SPACE}+{_WORD}){{0,5}}"
_QUALIFIER = rf"(?:\({_WORD}(?:{_SPACE}+{_WORD}){{0,3}}\)|\[{_WORD}(?:{_SPACE}+{_WORD}){{0,3}}\])"
_PLACE = rf"{_NAME}(?:{_SPACE}*{_QUALIFIER}){{0,2}}"
_EXTRA = rf"(?:{_COMMA}{_NOT_DATE}{_WORD}(?:{_SPACE}+{_WORD}){{0,3}}){{0,3}}"
# A place and perhaps a date, or a date alone (Reuters' results: "Jan 3 (OPTA) - ").
_DATELINE = (
    rf"(?P<dateline>(?P<place>(?P<names>{_PLACE}(?:{_SPACE}?/{_SPACE}?{_PLACE}){{0,3}}){_EXTRA})?"
    rf"(?:(?(place){_COMMA}){_DATE})?)"
)
_CREDIT = r"(?P<credit>[^\s()\[\]/][^()\[\]\n]{0,39}?)"
_SLASHED_CREDIT = r"(?P<credit>[^\s()\[\]/][^()\[\]/\n]{0,39}?)"  # TASS, PRNewswire: no "/"
_PUNCT = r"(?:\.?(?:--|[-–—_:]))"
_SEPARATOR = rf"(?:{_SPACE}*{_PUNCT}\s+|\s+)"
_DASH = r"(?:(?:\s+(?:--|[-–—_])|\s*:)\s+)"
_TEXT = r"(?=\S)"

# What may follow a dateline, by rule, tried in this order.
TAILS: dict[str, str] = {
    "credit-in-dashes": rf"(?P<open>\s*--\s*\(\s*){_CREDIT}(?P<close>\s*\)\s*--\s*){_TEXT}",
    "credit-after": rf"(?P<open>\s*\(\s*){_CREDIT}(?P<close>\s*\)(?P<sep>{_SEPARATOR})){_TEXT}",
    "credit-slashed": rf"(?P<open>\.?{_SPACE}*/){_SLASHED_CREDIT}(?P<close>/\.?{_SEPARATOR}){_TEXT}",
    "credit-bare": rf"(?P<open>{_SPACE}+)(?P<credit>{_LETTER}{_WORD_CHAR}{{1,11}})(?P<close>{_DASH}){_TEXT}",
}
# One pattern a rule, so that the regex engine finds the dateline's end for that rule's tail.
_RULES = {rule: re.compile(_DATELINE + tail) for rule, tail in TAILS.items()}
# credit-before: "(ANSA) - " and then a dateline ended by a dash.
_LEAD = re.compile(rf"(?P<open>\(\s*){_CREDIT}(?P<close>\s*\){_SPACE}*{_PUNCT}\s*)")
_DATELINE_THEN_DASH = re.compile(rf"{_DATELINE}(?P<sep>{_DASH}){_TEXT}")
# A dateline field that carries its credit: "Vatikanstadt (KAP)", "نيقوسيا, 25-11-2023 (أ ف ب) -".
_FIELD = re.compile(rf"{_DATELINE}(?P<open>\s*\(\s*){_CREDIT}(?P<close>\s*\)\s*{_PUNCT}?\s*)$")
_PLACE_ONLY = re.compile(rf"{_DATELINE}(?=[\s(\[/.\-–—:]|$)")
_CREDIT_PART = re.compile(r"\s*[/–+]\s*")
_CAPS_WORD = re.compile(r"[^\W\d_][\w&.'’-]{1,14}")
_WORDS = re.compile(_WORD)
_REGIONAL_DESK = re.compile(r"[a-z]{1,4}")
# Arabic articles written lower-case in a Latin transliteration: "al-Mukalla".
_ARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|ed|er|es|ud)-" + _LETTER)


@dataclass(frozen=True)
class Opening:
    """An opening found in `paragraph`: every part is a span into it."""

    paragraph: str
    rule: str
    dateline_span: tuple[int, int]
    place_span: tuple[int, int]
    date_span: tuple[int, int] | None
    credit_span: tuple[int, int]
    text_start: int
    date_form: str = ""

    def _at(self, span: tuple[int, int] | None) -> str:
        return self.paragraph[span[0] : span[1]] if span else ""

    @property
    def dateline(self) -> str:
        return self._at(self.dateline_span)

    @property
    def place(self) -> str:
        """The dateline without its date: "Kabul/New Delhi", "SAITAMA, Japan"."""
        return self._at(self.place_span)

    @property
    def date(self) -> str:
        return self._at(self.date_span)

    @property
    def credit(self) -> str:
        return self._at(self.credit_span)

    @property
    def prefix(self) -> str:
        """Everything cut off: dateline, credit and separators, exactly as sent."""
        return self.paragraph[: self.text_start]

    @property
    def rest(self) -> str:
        """The paragraph from the story's first word on."""
        return self.paragraph[self.text_start :]

    text = rest

    @property
    def places(self) -> tuple[str, ...]:
        """The place names of the dateline as written: ("Kabul", "New Delhi")."""
        return split_places(self.place)

    def pieces(self) -> list[tuple[str, str]]:
        """The paragraph as consecutive (role, text) pieces: "separator", "dateline", "credit",
        "text". Joined, they are the paragraph, character for character."""
        marks = sorted([(*self.dateline_span, "dateline"), (*self.credit_span, "credit")])
        found: list[tuple[str, str]] = []
        at = 0
        for start, end, role in marks:
            if start > at:
                found.append(("separator", self.paragraph[at:start]))
            found.append((role, self.paragraph[start:end]))
            at = end
        if self.text_start > at:
            found.append(("separator", self.paragraph[at : self.text_start]))
        found.append(("text", self.rest))
        return found

    def describe(self) -> str:
        """One line for `wiredesk parse --explain`."""
        date = f", date {self.date!r} ({self.date_form})" if self.date else ", no date"
        return (
            f"opening rule {self.rule}: place {self.place!r}{date}, credit {self.credit!r}, "
            f"text from character {self.text_start}"
        )


def split_opening(paragraph: str) -> Opening | None:
    """The dateline, credit and text of a first paragraph, if it opens with them."""
    window = paragraph[:_WINDOW]
    lead = _LEAD.match(window)
    if lead is not None:
        dateline = _DATELINE_THEN_DASH.match(window, lead.end())
        if dateline is not None:
            opening = _opening(paragraph, "credit-before", dateline, lead, dateline.end())
            return opening if _plausible(opening, dateline, spaced=None) else None
        return None
    for rule, pattern in _RULES.items():
        match = pattern.match(window)
        if match is None or not paragraph[match.end() :].strip():
            continue
        opening = _opening(paragraph, rule, match, match, match.end())
        if _plausible(opening, match, spaced=match.groupdict().get("sep")):
            return opening
    return None


def dateline_place(dateline: str) -> str:
    """The place part of a dateline written anywhere (a metadata field too): the date and any
    credit after it cut off. "Bruselas, 16 ene" gives "Bruselas"; "PARIS, 9 janv 2026 (AFP)"
    gives "PARIS". A dateline the grammar finds no date in is given back as it is."""
    match = _PLACE_ONLY.match(dateline[:_WINDOW])
    if match is None or match.group("date") is None:
        return dateline
    return match.group("place") or ""


def split_dateline_field(field: str) -> tuple[str, str]:
    """A dateline field (NITF, NewsML, G2 `<dateline>`) as its dateline and the credit the
    agency wrote into it: "Vatikanstadt (KAP)" gives ("Vatikanstadt", "KAP"); a field without
    a credit is all dateline: ("GROSSETO, Italy", "")."""
    match = _FIELD.match(field.strip()[:_WINDOW])
    if match is None:
        return field.strip(), ""
    opening = _opening(field.strip(), "credit-after", match, match, match.end())
    if not _plausible(opening, match, spaced=None):
        return field.strip(), ""
    return opening.dateline, opening.credit


def split_places(place: str) -> tuple[str, ...]:
    """ "Kabul/New Delhi" as ("Kabul", "New Delhi"); a slash inside brackets stays."""
    names = _PLACE_ONLY.match(place)
    head = names.group("names") if names else place
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(head):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "/" and depth == 0:
            parts.append(head[start:i].strip())
            start = i + 1
    parts.append(head[start:].strip())
    return tuple(p for p in parts if p)


def credit_to_agency(credit: str) -> str:
    """A credit as the agency name sites print: PTI, IANS, AFP, Reuters, dpa; a regional desk
    code goes ("dpa/bb" is dpa); any other credit is printed as the agency wrote it."""
    parts = _CREDIT_PART.split(credit.strip())
    if len(parts) > 1 and all(_is_desk(p) for p in parts[1:]):
        credit = parts[0]
    return AGENCY_NAMES.get(credit_key(credit), credit)


def credit_kind(credit: str) -> str:
    """ "known" (every part a listed agency, or an agency and its desk), "shape" (capitals
    that read as an agency's initials, such as "XYZ" or "GLOBE NEWSWIRE"), or "" when it is
    no credit."""
    parts = _CREDIT_PART.split(credit.strip())
    kinds: list[str] = []
    for part in parts:
        key = credit_key(part)
        # "PRNewswire-FirstCall", "dpa-AFX": a listed agency and its service.
        listed = key in KNOWN_CREDITS or key.split("-")[0] in KNOWN_CREDITS
        if listed or (kinds[:1] == ["known"] and _is_desk(part)):
            kinds.append("known")
        elif _capitals(part):
            kinds.append("shape")
        else:
            return ""
    return "known" if all(k == "known" for k in kinds) else "shape"


def _is_desk(part: str) -> bool:
    """dpa's "bb", "lno": the regional desk after the agency, not another agency."""
    return bool(_REGIONAL_DESK.fullmatch(part)) and credit_key(part) not in KNOWN_CREDITS


def _capitals(credit: str) -> bool:
    """An agency's initials or name in capitals: "KAP", "AFN", "GLOBE NEWSWIRE"."""
    words = credit.split(" ")
    return len(words) <= 3 and all(
        _CAPS_WORD.fullmatch(w) and w.upper() == w and w.lower() != w for w in words
    )


def _opening(
    paragraph: str, rule: str, dateline: re.Match[str], credit: re.Match[str], text_start: int
) -> Opening:
    form = (
        "day-month" if dateline.group("day_first") else
        "month-day" if dateline.group("month") else
        "numeric" if dateline.group("numeric") else
        "day" if dateline.group("day_only") else ""
    )  # fmt: skip
    return Opening(
        paragraph=paragraph,
        rule=rule,
        dateline_span=dateline.span("dateline"),
        place_span=dateline.span("place") if dateline.group("place") else (0, 0),
        date_span=dateline.span("date") if dateline.group("date") is not None else None,
        credit_span=credit.span("credit"),
        text_start=text_start,
        date_form=form,
    )


def _plausible(opening: Opening, dateline: re.Match[str], spaced: str | None) -> bool:
    """Whether the shape the grammar matched is an agency's opening, not an ordinary sentence
    ("The party (BJP) said", "Shares of Apple (AAPL) - the ...")."""
    if not opening.dateline or len(opening.dateline) > MAX_DATELINE:
        return False
    if opening.date and not _date_valid(dateline):
        return False
    kind = credit_kind(opening.credit)
    if not opening.place:
        # A date alone: a month in it, an agency's credit and a dash after it.
        return bool(kind and dateline.group("month") and spaced and not spaced.isspace())
    names = dateline.group("names")
    style = _place_style(names, dateline.group("place")[len(names) :])
    if not style or not kind:
        return False
    dated = bool(opening.date)
    if style == "caseless" and kind != "known":
        return False  # no capitals to tell a place from a word: only a listed agency will do
    if style == "mixed" and kind != "known" and not dated:
        return False
    if opening.rule == "credit-bare" and (kind != "known" or not dated):
        return False
    # Only a space between credit and text ("Sep 1 (IANS) Hours"): a date must vouch for it, or
    # a place in capitals with an agency's own credit ("NEW YORK (AP) Stocks").
    if spaced is not None and spaced.isspace() and not dated:
        return style == "caps" and kind == "known"
    return True


def _date_valid(dateline: re.Match[str]) -> bool:
    """A date that reads as one: a day from 1 to 31, a month from 1 to 12."""
    numbers = [int(n) for n in re.findall(r"\d+", dateline.group("date"))]
    if dateline.group("numeric"):
        year_first = numbers[0] > 31
        day, month = (numbers[2], numbers[1]) if year_first else (numbers[0], numbers[1])
        return 1 <= day <= 31 and 1 <= month <= 12
    if dateline.group("day_only"):
        return 1 <= numbers[0] <= 31
    name = " ".join(dateline.group("month").rstrip(".").split()).casefold()
    first = dateline.group("day_first")
    day = _DAY_WORDS[first] if first in _DAY_WORDS else numbers[0]
    return name in _MONTHS and 1 <= day <= 31


def _place_style(names: str, extra: str) -> str:
    """ "caps" (NEW DELHI), "mixed" (New Delhi), "caseless" (नयी दिल्ली), or "" when a word
    is no part of a place name ("The party", "Shares of Apple", "A", "Route66")."""
    cased: list[bool] = []
    caseless = 0
    longest = 0
    for i, word in enumerate(_WORDS.findall(names)):
        if any(c.isdigit() for c in word):
            return ""
        if i and (word in PLACE_CONNECTORS or _ARTICLE.match(word)):
            continue
        longest = max(longest, sum(c.isalpha() for c in word))
        letters = [c for c in word if c.isupper() or c.islower()]
        if word[0].islower():
            return ""
        if word[0].isupper():
            if any(c.isalpha() and not (c.isupper() or c.islower()) for c in word):
                return ""  # capitals, then a caseless script: no one script's word
            cased.append(all(c.isupper() for c in letters))
        elif letters:
            return ""  # a caseless script, then capitals
        else:
            caseless += 1
    for word in _WORDS.findall(extra):
        if (word[0].islower() and word not in PLACE_CONNECTORS) or any(c.isdigit() for c in word):
            return ""
    if longest < 2 or (cased and caseless):
        return ""
    if not cased:
        return "caseless"
    return "caps" if all(cased) else "mixed"
