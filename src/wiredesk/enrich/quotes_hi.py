"""Who said what in Hindi and Urdu agency copy: quotations and their speakers.

The same promise as the English rules (enrich/quotes.py): a Quote is a slice of the body, the
marks left out, and a quotation is kept only when a named person is attributed next to it.
What differs is how a speaker is found. The agent marker ने / نے follows the speaker ("गृह
मंत्री अमित शाह ने कहा", "عمران خان نے کہا"), and there are no capitals, so the name is the
run of words just before ने that are not function words, titles or institutions; the titles
before it are the role. "के मुताबिक"/"के अनुसार"/"کے مطابق" attribute the same way. उन्होंने
and انہوں نے mean the person who last spoke or was reported (ने) in this or the previous
paragraph. A single word ("शाह", "نیرج") is the full name written earlier in the story.
Marks: ‘‘ ’’ (PTI Bhasha's doubled singles), “ ”, " ", ‘ ’ and « »; Urdu copy also opens
with ” (typed right to left), which then closes with “ or ”.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from wiredesk.enrich.quote_words_hi import (
    ACCORDING,
    AGENT,
    AMBIGUOUS_INITIALS,
    HONORIFICS,
    INITIALS,
    NOT_PERSON,
    PRONOUNS,
    ROLES,
    STOP,
    VERBS_HI,
    VERBS_UR,
)
from wiredesk.enrich.types import Quote

_DEVANAGARI = ((0x0900, 0x097F), (0xA8E0, 0xA8FF))
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# Pairs: an opener and the closers that end it ("''" is ‘‘ ’’ typed on a plain keyboard).
_PAIRS = (("‘‘", ("’’",)), ("“", ("”",)), ("”", ("“", "”")), ("''", ("''",)), ('"', ('"',)),
          ("«", ("»",)), ("‘", ("’",)))  # fmt: skip
_OPENERS = dict(_PAIRS)
_MARK = re.compile("‘‘|’’|''|[“”\"«»‘’]")
_TOKEN = re.compile(r"[^\s,،;:!?।॥۔؟\"'“”‘’«»()\[\]{}.]+")
_SENTENCE_END = re.compile(r"[।॥?!۔؟]|\.(?=\s|$)")
_VERB_END = re.compile(rf"(?:^|\s)(?:{VERBS_HI}|{VERBS_UR})$")
_VERB_IN = re.compile(rf"(?:^|\s)(?:{VERBS_HI}|{VERBS_UR})(?:\s|$)")
_ACCORDING_END = re.compile(rf"(?:^|\s)(?:{ACCORDING})$")
_GENITIVE = frozenset(["के", "की", "का", "کے", "کی", "کا"])
_ANONYMOUS = frozenset(["एक", "کسی", "ایک", "किसी"])
_MAX_NAME = 4
# (name, role) of a person; None when the subject is not one; True for a pronoun that means
# nobody yet; False when there is no attribution at all.
Found = tuple[str, str] | None | bool
Who = Callable[[int, str], Found]
_MAX_MID = 10  # words between ने and the verb: "ने अस्पताल में संवाददाताओं को बताया"


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in ranges)


def script_language(text: str) -> str:
    """ "hi" for Devanagari text, "ur" for Arabic-script text, "" otherwise (a script-range count
    over the first 2,000 characters; Latin must not outnumber the script)."""
    deva = arab = latin = 0
    for ch in text[:2000]:
        if not ch.isalpha() and not _in(ch, _DEVANAGARI):
            continue
        if _in(ch, _DEVANAGARI):
            deva += 1
        elif _in(ch, _ARABIC):
            arab += 1
        elif ord(ch) < 0x250:
            latin += 1
    if deva > latin and deva >= arab:
        return "hi"
    if arab > latin:
        return "ur"
    return ""


def _is_script_word(word: str) -> bool:
    return all(_in(ch, _DEVANAGARI) or _in(ch, _ARABIC) or ch in "-\u200c\u200d" for ch in word)


def _name_word(word: str) -> bool:
    if word in STOP or word in ROLES or word in NOT_PERSON or word in HONORIFICS:
        return False
    if word in PRONOUNS or word in AGENT or not _is_script_word(word):
        return False
    # Oblique plurals (अधिकारियों, लोगों, افسروں) are groups of people, never a name.
    return not word.endswith(("ों", "ओं", "وں"))


@dataclass
class _Tok:
    text: str
    start: int
    end: int


def _tokens(text: str, offset: int = 0) -> list[_Tok]:
    return [_Tok(m.group(), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text)]


def _name_run(toks: list[_Tok], end: int, body: str) -> int:
    """Index where the name ending at toks[end - 1] begins (== end when there is none)."""
    i = end
    while i > 0 and end - i < _MAX_NAME:
        tok = toks[i - 1]
        if i < end and body[tok.end : toks[i].start].strip():
            break  # punctuation between two words: not one name
        word = tok.text
        if word in AMBIGUOUS_INITIALS:
            # "के वी सुब्रमण्यन", "वाई के जोशी": the genitive is an initial beside an initial.
            right = toks[i].text if i < end else ""
            left = toks[i - 2].text if i >= 2 else ""
            if right not in INITIALS and (left not in INITIALS or left in AMBIGUOUS_INITIALS):
                break
        elif not _name_word(word):
            break
        i -= 1
    return i


@dataclass
class _Subject:
    name: str
    role: str
    titled: bool  # a title or honorific stands before the name
    at: int  # offset of the name in the body


def _subject(phrase_start: int, phrase: str, body: str) -> _Subject | None:
    """The person a phrase before ने / के मुताबिक names: 'ROLE NAME', 'श्री NAME', 'NAME जी'."""
    part = re.split(r"[,،]", phrase)[-1]
    toks = _tokens(part, phrase_start + len(phrase) - len(part))
    while toks and toks[-1].text in HONORIFICS:  # "मोदी जी ने", "شریف صاحب نے"
        toks.pop()
    end = len(toks)
    begin = _name_run(toks, end, body)
    if begin == end:
        return _title_only(toks, body)
    titled = False
    j = begin
    # The role: titles and their genitive chains back to a function word ("तालिबान के प्रवक्ता").
    while j > 0:
        word = toks[j - 1].text
        nxt = toks[j].text if j < end else ""
        if word in HONORIFICS or word in ROLES:
            titled = True
        elif word in _GENITIVE or nxt in _GENITIVE or (word not in STOP and _is_script_word(word)):
            if word in NOT_PERSON and j == begin:
                return None  # "मौसम विभाग", "محکمہ موسمیات": the institution is speaking
        else:
            break
        j -= 1
    if j > 0 and toks[j - 1].text in _ANONYMOUS:
        return None  # "एक वरिष्ठ अधिकारी", "ایک افسر": anonymous
    if begin > 0 and toks[begin - 1].text in NOT_PERSON:
        return None
    name = body[toks[begin].start : toks[end - 1].end]
    role_toks = [t for t in toks[j:begin] if t.text not in HONORIFICS]
    role = body[role_toks[0].start : role_toks[-1].end] if role_toks else ""
    return _Subject(name, role, titled, toks[begin].start)


def _title_only(toks: list[_Tok], body: str) -> _Subject | None:
    """'गृह मंत्री', 'प्रधानमंत्री': a title alone, which may mean the person named with it."""
    j = len(toks)
    while j > 0 and toks[j - 1].text in ROLES and toks[j - 1].text not in NOT_PERSON:
        j -= 1
    if j == len(toks) or (j > 0 and toks[j - 1].text not in STOP) or toks[-1].text in NOT_PERSON:
        return None
    if j > 0 and toks[j - 1].text in _ANONYMOUS | _GENITIVE:
        return None  # "एक अधिकारी", "कंपनी के प्रवक्ता": no one in particular
    role = body[toks[j].start : toks[-1].end]
    return _Subject("", role, True, toks[j].start)


class _Names:
    """Full names written earlier in the story, for "शाह ने कहा" after "अमित शाह"."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.toks = _tokens(body)
        self.starts = [t.start for t in self.toks]

    def titled(self, subject: _Subject) -> str | None:
        """The person last written right after this title: "प्रधानमंत्री नरेंद्र मोदी"."""
        words = subject.role.split()
        before = bisect.bisect_left(self.starts, subject.at)
        for i in range(before - len(words), -1, -1):
            if (
                self.toks[i].text != words[0]
                or [t.text for t in self.toks[i : i + len(words)]] != words
            ):
                continue
            stop = i + len(words)
            while (
                stop < before
                and stop - i - len(words) < _MAX_NAME
                and _name_word(self.toks[stop].text)
                and not self.body[self.toks[stop - 1].end : self.toks[stop].start].strip()
            ):
                stop += 1
            if stop > i + len(words):
                return self.body[self.toks[i + len(words)].start : self.toks[stop - 1].end]
        return None

    def _name_ends(self, stop: int) -> bool:
        """Whether a name ending before toks[stop] is followed by what follows names."""
        if stop >= len(self.toks):
            return False
        between = self.body[self.toks[stop - 1].end : self.toks[stop].start]
        if between.strip():
            return between.strip()[0] in ",،"
        word = self.toks[stop].text
        return word in STOP or word in AGENT or word in HONORIFICS

    def full(self, subject: _Subject) -> str | None:
        if not subject.name:
            return self.titled(subject)
        words = subject.name.split()
        before = bisect.bisect_left(self.starts, subject.at)
        best: str | None = None
        for i in range(before - len(words), -1, -1):
            if (
                self.toks[i].text != words[0]
                or [t.text for t in self.toks[i : i + len(words)]] != words
            ):
                continue
            last = i + len(words)
            begin = _name_run(self.toks, last, self.body)
            stop = last
            if len(words) == 1 and begin == i:
                # A first name: "नीरज" for "नीरज चोपड़ा" written before.
                while (
                    stop < len(self.toks)
                    and stop - i < _MAX_NAME
                    and _name_word(self.toks[stop].text)
                    and not self.body[self.toks[stop - 1].end : self.toks[stop].start].strip()
                    and self.toks[stop].start < subject.at
                ):
                    stop += 1
                # The run must end where a name does (before ने, की, a comma), or it may have
                # swallowed a verb: "नीरज चोपड़ा जीते।"
                while stop > last and not self._name_ends(stop):
                    stop -= 1
            if begin < i or stop > last:
                best = self.body[self.toks[begin].start : self.toks[stop - 1].end]
                break
        if best is not None:
            return best
        if len(words) >= 2 or subject.titled:
            return subject.name
        return None


@dataclass
class _Unit:
    start: int
    end: int
    first: int
    last: int
    open_at: int
    close_at: int


def _marks(text: str) -> list[tuple[int, int, int | None, int]]:
    """Top-level quoted spans of a paragraph: (mark, text start, text end or None, past close)."""
    spans: list[tuple[int, int, int | None, int]] = []
    current: tuple[int, int, tuple[str, ...]] | None = None
    for m in _MARK.finditer(text):
        mark, at = m.group(), m.start()
        if current is None:
            if mark in _OPENERS:
                current = (at, m.end(), _OPENERS[mark])
            continue
        for closer in current[2]:
            if mark.startswith(closer):  # "’’" ends a single ‘ at its first ’
                spans.append((current[0], current[1], at, at + len(closer)))
                current = None
                break
    if current is not None:
        spans.append((current[0], current[1], None, len(text)))
    return spans


def _units(paras: list[tuple[int, str]]) -> list[_Unit]:
    units: list[_Unit] = []
    pending: _Unit | None = None
    for index, (offset, text) in enumerate(paras):
        for mark, start, end, past in _marks(text):
            if pending is not None:
                if mark != 0:  # an open quotation continues only into a paragraph opening with one
                    pending = None
                else:
                    pending.last = index
                    if end is not None:
                        pending.end, pending.close_at = offset + end, offset + past
                        units.append(pending)
                        pending = None
                    continue
            unit = _Unit(offset + start, -1, index, index, offset + mark, -1)
            if end is None:
                pending = unit
            else:
                unit.end, unit.close_at = offset + end, offset + past
                units.append(unit)
        if pending is not None and pending.last != index:
            pending = None
    return units


def _paragraphs(body: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for part in body.split("\n\n"):
        if part:
            out.append((pos, part))
        pos += len(part) + 2
    return out


def _agent(words: list[str]) -> int:
    """Index of ने / نے or of a pronoun that carries it, or -1."""
    for i, word in enumerate(words):
        if word in AGENT or word in PRONOUNS and word.endswith("ने"):
            return i
    return -1


def find_quotes(body: str) -> list[Quote]:
    """The body's quotations with their named speakers (Hindi or Urdu copy)."""
    paras = _paragraphs(body)
    if not paras:
        return []
    para_starts = [p[0] for p in paras]
    names = _Names(body)
    quotes: list[Quote] = []
    last: tuple[str, str, int] | None = None  # speaker, role, paragraph

    def para_of(offset: int) -> int:
        return bisect.bisect_right(para_starts, offset) - 1

    def who(phrase_start: int, phrase: str) -> Found:
        """(name, role); True for a pronoun with nobody to mean; None for no person."""
        words = phrase.split()
        if words and words[-1] in PRONOUNS:
            para = para_of(phrase_start)
            if last is not None and para - last[2] <= 1:
                return last[0], last[1]
            return True
        subject = _subject(phrase_start, phrase, body)
        if subject is None:
            return None
        full = names.full(subject)
        return (full, subject.role) if full else None

    def events(start: int, stop: int) -> None:
        """ "X ने ..." makes X the person a later उन्होंने means."""
        nonlocal last
        text = body[start:stop]
        pos = 0
        for piece in _SENTENCE_END.split(text):
            words = piece.split()
            i = _agent(words)
            if i >= 0:
                cut = _nth_word_end(piece, i)  # the phrase up to and including the agent
                phrase = piece[:cut].rsplit(None, 1)[0] if words[i] in AGENT else piece[:cut]
                if i == 0 and words[i] in AGENT:
                    phrase = ""
                got = who(start + pos, phrase) if phrase.strip() else None
                if isinstance(got, tuple):
                    last = (got[0], got[1], para_of(start + pos + len(piece) - len(piece.lstrip())))
            pos += len(piece) + 1

    cursor = 0
    previous: tuple[_Unit, tuple[str, str]] | None = None
    for unit in _units(paras):
        first_off, first_text = paras[unit.first]
        last_off, last_text = paras[unit.last]
        events(cursor, unit.open_at)
        cursor = max(cursor, unit.close_at)
        text = body[unit.start : unit.end]
        if len(text.split()) < 2:
            continue
        lead = first_text[: unit.open_at - first_off]
        lead_sentence = re.split(r"[।॥?!۔؟’”\"»']", lead)[-1]
        at_start = not lead.strip() or bool(re.search(r"[।॥.?!۔؟:][\s’”\"»']*$", lead))
        tail = _SENTENCE_END.split(last_text[unit.close_at - last_off :], 1)[0]
        tail = re.split(r"[‘“\"«']", tail, maxsplit=1)[0]
        speaker: Found = False  # False: no attribution here
        if at_start and tail.strip(" ,،"):
            speaker = _trailing(tail, unit.close_at + (len(tail) - len(tail.lstrip(" ,،"))), who)
        if speaker is False:
            speaker = _leading(lead_sentence, unit.open_at - len(lead_sentence), who)
        alone = speaker is False and at_start and not tail.strip(" ,،.।۔")
        if alone and previous is not None:
            # A quotation alone continues the one before it: later in the same paragraph, or
            # the whole next paragraph.
            prev, prev_speaker = previous
            if prev.last == unit.first or (prev.last == unit.first - 1 and not lead.strip()):
                speaker = prev_speaker
        if isinstance(speaker, tuple):
            quotes.append(Quote(text, unit.start, unit.end, unit.first, unit.last, *speaker))
            last = (speaker[0], speaker[1], unit.last)
            previous = (unit, speaker)
        else:
            previous = None
    return quotes


def _nth_word_end(text: str, n: int) -> int:
    matches = list(re.finditer(r"\S+", text))
    return matches[n].end()


def _trailing(tail: str, at: int, who: Who) -> Found:
    """'‘‘…’’ X ने संवाददाताओं से कहा।' / '"…" انہوں نے کہا۔'"""
    body = tail.lstrip(" ,،").rstrip(" ,،:")  # '‘‘…,’’ X ने कहा, ‘‘…’’' goes on after the verb
    words = body.split()
    i = _agent(words)
    if i < 0 or len(words) - i > _MAX_MID + 2 or not _VERB_IN.search(" ".join(words[i + 1 :])):
        return False
    cut = _nth_word_end(body, i)
    phrase = body[:cut].rsplit(None, 1)[0] if words[i] in AGENT else body[:cut]
    if words[i] in AGENT and i == 0:
        return None
    return who(at, phrase)


def _leading(sentence: str, at: int, who: Who) -> Found:
    """'X ने कहा, ‘‘…’’', 'X ने कहा कि “…”', 'X के मुताबिक, ‘‘…’’', 'X نے کہا، "…"'."""
    s = sentence.rstrip().rstrip(",،:").rstrip()
    s = re.sub(r"\s+(?:कि|کہ)$", "", s)
    s = re.sub(r"\s+(?:है|था|थी|ہے|تھا|تھی)$", "", s)
    m = _ACCORDING_END.search(s)
    if m is not None:
        phrase = s[: m.start()]
        return who(at, phrase) if phrase.strip() else None
    if not _VERB_END.search(s):
        return False
    words = s.split()
    i = _agent(words)
    if i < 0 or len(words) - i > _MAX_MID + 3:
        return False
    if words[i] in AGENT and i == 0:
        return None
    cut = _nth_word_end(s, i)
    phrase = s[:cut].rsplit(None, 1)[0] if words[i] in AGENT else s[:cut]
    return who(at, phrase)
