"""Who said what: direct quotations in an English agency body and their speakers (Hindi and
Urdu bodies go to enrich/quotes_hi.py).

A Quote's span is the quoted words without the opening and closing marks; a quotation that runs
over paragraphs is one span, the marks between its paragraphs included (they are the agency's
characters). Precision comes first: a quotation is kept only when a named person is attributed
by a speech verb next to it, by "he"/"she" right after that person spoke or was reported, or by
continuing their quotation in the next paragraph. Anything else (fragments, titles, scare quotes,
"the statement said", "an official said") is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiredesk.enrich import quotes_hi
from wiredesk.enrich.quote_words import (
    GOVERNING,
    HONORIFICS,
    INTRO,
    LEAD_IN,
    NOT_PERSON,
    PARTICLES,
    TITLES,
    VERBS,
)
from wiredesk.enrich.types import Quote

OPENERS = '"“'
CLOSERS = '"”'
_VERB = re.compile(rf"\b(?:{VERBS})\b")
# Verbs that make a person the story's current speaker for a later "he said".
_EVENT = re.compile(rf"\b(?:{VERBS}|called|described|termed|announced|accused|praised)\b")
_INITIALS = re.compile(r"^(?:[A-Z]\.)+[A-Z]?\.?$")
_BEFORE = re.compile(r"(?:(?:[A-Z]\.)+\s*|[^\W\d_][\w'’\-]*\s+){1,3}$")
_PRONOUN = re.compile(r"^(?:he|she)$", re.I)
# A sentence opening with capitalised words and then a lowercase verb: its subject.
_OPENING = re.compile(r"^((?:[A-Z][\w'’.\-]*\s+){1,5})(?=[a-z])")
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*")
# 'told ANI,' / 'told reporters outside the court,' / 'said on Monday,' before a quotation;
# 'said the move,' is not an attribution.
_TO_WHOM = re.compile(
    r"^(?:[A-Z][\w.]*|reporters|journalists|mediapersons|newsmen|the media|(?:on|in|at|during"
    r"|after|while|later)\b)[^,]{0,40},$"
)
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")
_ENGLISH = re.compile(r"\b(?:the|and|of|to|said|is|was|in|that)\b")


@dataclass
class _Unit:
    start: int  # after the opening mark
    end: int  # before the closing mark
    first: int
    last: int
    open_at: int  # the opening mark
    close_at: int  # just past the closing mark


def _paragraphs(body: str) -> list[tuple[int, str]]:
    """(offset, text) of each paragraph, split as Item.paragraphs splits (empty ones dropped)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for part in body.split("\n\n"):
        if part:
            out.append((pos, part))
        pos += len(part) + 2
    return out


def _marks(text: str) -> list[tuple[int, int | None]]:
    """Top-level double-quoted spans of one paragraph: (open index, close index or None)."""
    spans: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if open_at is None:
            if ch in OPENERS:
                open_at = i
        elif ch in CLOSERS:
            spans.append((open_at, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, None))
    return spans


def _units(paras: list[tuple[int, str]]) -> list[_Unit]:
    units: list[_Unit] = []
    pending: _Unit | None = None
    for index, (offset, text) in enumerate(paras):
        for open_at, close in _marks(text):
            if pending is not None:
                # A quotation left open continues only in a paragraph that opens with a mark.
                if open_at != 0:
                    pending = None
                else:
                    if close is None:
                        pending.last = index
                        continue
                    pending.last, pending.end = index, offset + close
                    pending.close_at = offset + close + 1
                    units.append(pending)
                    pending = None
                    continue
            unit = _Unit(offset + open_at + 1, -1, index, index, offset + open_at, -1)
            if close is None:
                pending = unit
            else:
                unit.end, unit.close_at = offset + close, offset + close + 1
                units.append(unit)
        if pending is not None and pending.last != index:
            pending = None
    return units


def _is_name_token(token: str) -> bool:
    if token in PARTICLES:
        return True
    if not token[0].isupper() or token in NOT_PERSON or token in TITLES:
        return False
    if _INITIALS.match(token):
        return True
    letters = [c for c in token if c.isalpha()]
    # Acronyms (UN, ASADA) are organisations, not people; an initial ("J.") is fine.
    return not (len(letters) > 1 and all(c.isupper() for c in letters))


def _split_name(segment: str, subject: bool = False) -> tuple[str, str] | None:
    """(role before the name, name) when the segment ends in a person's name.

    As a subject the name must not be governed by a preposition or "the" before it.
    """
    tokens = list(_TOKEN.finditer(segment))
    if not tokens or segment[tokens[-1].end() :].strip():
        return None
    i = len(tokens)
    while i > 0 and _is_name_token(tokens[i - 1].group()):
        i -= 1
    if i > 0 and tokens[i - 1].group() in HONORIFICS:
        i -= 1
    names = tokens[i:]
    if not names or names[0].group() in PARTICLES:
        return None
    if len(names) > 5:
        return None
    if subject and i > 0:
        j = i - 1 if tokens[i - 1].group() in HONORIFICS else i
        if j > 0 and tokens[j - 1].group() == "the":
            return None
        while j > 0 and tokens[j - 1].group() in TITLES:
            j -= 1
        if j > 0 and tokens[j - 1].group() in GOVERNING:
            return None
    name = segment[names[0].start() :].strip().rstrip(".")
    role = segment[: names[0].start()].strip(" ,")
    if role and role.split()[0].lower() in INTRO:
        role = ""
    return role, name


def _parse_subject(phrase: str) -> tuple[str, str] | None:
    """(name, role) of 'NAME', 'ROLE NAME', 'NAME, ROLE', 'the ROLE, NAME'."""
    parts = [p.strip() for p in phrase.split(",")]
    parts = [p for p in parts if p]
    while len(parts) > 1 and _lead_in(parts[0]):
        parts = parts[1:]
    if not parts:
        return None
    first = _split_name(parts[0], subject=True)
    if first is not None:
        role, name = first
        appositive = ", ".join(parts[1:])
        return name, appositive or role
    if len(parts) >= 2:
        last = _split_name(parts[-1], subject=True)
        if last is not None and not last[0]:
            head = parts[0].split()[0].lower()
            role = ", ".join(parts[:-1]) if head in {"the", "a", "an", "its"} else ""
            return last[1], role
    return None


def _lead_in(part: str) -> bool:
    """'Reacting to the charge', 'On Monday', 'However': a clause before the subject."""
    words = part.split()
    first = words[0].lower()
    if first in INTRO or first in LEAD_IN:
        return True
    # A participle opening a clause ("Speaking to reporters"); "Manning" alone is a name.
    return len(words) > 1 and first.endswith("ing") and words[1][:1].islower()


def _sentence(text: str) -> str:
    """Text up to the end of its first sentence (a period after an abbreviation does not end it)."""
    for m in _SENTENCE_END.finditer(text):
        before = text[: m.start()].split()
        word = before[-1] if before else ""
        if m.group() == "." and (word + "." in HONORIFICS | TITLES or _INITIALS.match(word + ".")):
            continue
        return text[: m.start()]
    return text


class _Speakers:
    """Names seen so far in the story, for expanding 'Loew' or 'Mr Ings' to the full name."""

    def __init__(self, body: str) -> None:
        self.body = body

    def expand(self, name: str, before: int) -> str | None:
        words = name.split()
        honorific = words[0] in HONORIFICS
        if honorific:
            words = words[1:]
        if not words or len(words) > 4:
            return None
        tail = r"\s+".join(re.escape(w) for w in words)
        full = None
        for m in re.finditer(rf"\b{tail}\b", self.body[:before]):
            # The words before each earlier mention; searching only there keeps this linear.
            window = self.body[max(0, m.start() - 80) : m.end()]
            head = _BEFORE.search(window[: m.start() - max(0, m.start() - 80)])
            if head is None:
                continue
            split = _split_name(head.group(0) + m.group(0))
            if (
                split
                and len(split[1].split()) > len(words)
                and split[1].split()[0] not in HONORIFICS
            ):
                full = split[1]
        if full is None and len(words) == 1 and not honorific:
            full = self._forward(words[0], before)
        if full is not None:
            return full
        if len(words) >= 2:
            return " ".join(words) if honorific else name
        return name if honorific else None

    def _forward(self, first: str, before: int) -> str | None:
        """'Harmanpreet' for 'Harmanpreet Singh' named earlier (agencies use first names too)."""
        full = None
        gap = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
        pattern = rf"\b{re.escape(first)}((?:{gap}[^\W\d_][\w'’\-]*){{1,3}})"
        for m in re.finditer(pattern, self.body[:before]):
            rest: list[str] = []
            for word in m.group(1).split():
                if word in PARTICLES or (_is_name_token(word) and word not in HONORIFICS):
                    rest.append(word)
                else:
                    break
            if rest and rest[-1] not in PARTICLES:
                full = " ".join([first, *rest])
        return full


def _looks_english(body: str, language: str) -> bool:
    if language:
        return language.lower().startswith("en")
    sample = body[:2000]
    return len(_ENGLISH.findall(sample)) >= max(3, len(sample.split()) // 20)


def rules_for(body_text: str, language: str = "") -> str:
    """Which rules read the body: "en", "hi" (Hindi and Urdu share them: ने / نے), or "".

    The story's language decides; when it is empty, the script does (Devanagari or
    Arabic letters outnumbering Latin ones), then English words."""
    tag = language.lower()[:2]
    if tag in ("hi", "ur"):
        return "hi"
    if not tag and quotes_hi.script_language(body_text):
        return "hi"
    return "en" if _looks_english(body_text, language) else ""


def find_quotes(body_text: str, language: str = "") -> list[Quote]:
    """The body's direct quotations with their speakers; [] for a language without rules."""
    if not body_text:
        return []
    rules = rules_for(body_text, language)
    if rules == "hi":
        return quotes_hi.find_quotes(body_text)
    if rules != "en":
        return []
    paras = _paragraphs(body_text)
    names = _Speakers(body_text)
    quotes: list[Quote] = []
    last: tuple[str, str, int] | None = None  # speaker, role, paragraph of the last attribution
    previous: _Unit | None = None
    prev_speaker: tuple[str, str] | None = None

    def resolve(phrase: str, at: int, para: int) -> tuple[str, str] | None:
        """A person (name, role); None when a subject is there but is not a named person."""
        phrase = phrase.strip()
        if _PRONOUN.match(phrase):
            if last is not None and para - last[2] <= 1:
                return last[0], last[1]
            return None
        subject = _parse_subject(phrase)
        if subject is None:
            return None
        full = names.expand(subject[0], at)
        return (full, subject[1]) if full else None

    def events_until(para: int, upto: int, since: int = 0) -> None:
        """Reported speech ('NAME said ...') makes NAME the speaker a later 'he said' means;
        so does a sentence that opens with the person ('Lemma crossed the line ...')."""
        nonlocal last
        offset, text = paras[para]
        text = text[max(0, since - offset) : upto - offset]
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = re.split(r"[\"“]", sentence)[0]
            m = _EVENT.search(sentence)
            if m is not None:
                head = sentence[: m.start()]
                head = re.sub(r"\s+(?:also|then|later|however|on \w+day)$", "", head).strip()
            else:
                opening = _OPENING.match(sentence)
                head = opening.group(1).strip() if opening else ""
            if _PRONOUN.match(head):
                # "He said ..." keeps the person just quoted as the one "he" means.
                if last is not None and para - last[2] <= 1:
                    last = (last[0], last[1], para)
                continue
            who = _parse_subject(head) if head else None
            if who is not None:
                full = names.expand(who[0], offset)
                if full:
                    last = (full, who[1], para)

    done_para = -1
    for unit in _units(paras):
        first_off, first_text = paras[unit.first]
        last_off, last_text = paras[unit.last]
        if unit.first > done_para:
            for p in range(done_para + 1, unit.first):
                events_until(p, paras[p][0] + len(paras[p][1]))
            done_para = unit.first - 1
        text = body_text[unit.start : unit.end]
        if len(text.split()) < 2:
            previous = None
            continue
        lead = first_text[: unit.open_at - first_off]
        lead_sentence = re.split(r"(?<=[.!?])\s+", lead)[-1] if lead.strip() else ""
        # After a quotation in the same sentence ('"…," he said, "…"') only the words since.
        lead_sentence = re.split(r"[\"”]", lead_sentence)[-1]
        at_start = not lead.strip() or bool(re.search(r"[.!?:]\s*$|[.!?][\"”]\s*$", lead))
        tail = _sentence(last_text[unit.close_at - last_off :])
        speaker: tuple[str, str] | None = None
        refused = False
        # "…," said NAME, ROLE.   /   "…," NAME, ROLE, said.   /   "…" NAME told reporters
        m = re.match(rf"^[\s,]*({VERBS})\s+(.+)$", tail, re.S)
        n = _VERB.search(tail)
        if at_start and m:
            got = resolve(_cut_role(m.group(2)), unit.close_at, unit.last)
            speaker, refused = got, got is None
        elif at_start and n and re.match(r"^[\s,]*[^\s]", tail):
            head = re.sub(r"\s+(?:also|then|later)$", "", tail[: n.start()].strip(" ,"))
            got = resolve(head, unit.close_at, unit.last) if head else None
            speaker, refused = got, got is None
        elif re.search(rf"\b(?:{VERBS})(?:\s*:|\s+[^\"“:]{{0,60}}[:,]|\s*,?)\s*$", lead_sentence):
            # NAME said: "…"   /   NAME, ROLE, said "…"   /   NAME told reporters, "…"
            v = list(_VERB.finditer(lead_sentence))[-1]
            after_verb = lead_sentence[v.end() :].strip()
            to_whom = _TO_WHOM.match(after_verb) is not None and text[:1].isupper()
            if after_verb in ("", ",", ":") or after_verb.endswith(":") or to_whom:
                head = lead_sentence[: v.start()].strip(" ,")
                head = re.sub(r"\s+(?:also|then|later|of [^,]+|in [^,]+)$", "", head)
                got = resolve(head, unit.open_at, unit.first)
                speaker, refused = got, got is None
        alone = speaker is None and not refused and at_start and not tail.strip(" ,.\n")
        # Continues the previous quotation: in the same paragraph after its attribution, or
        # a paragraph that is all quotation right after one that ended with the speaker's.
        if alone and previous is not None and prev_speaker is not None:
            same_para = previous.last == unit.first
            next_para = previous.last == unit.first - 1 and not lead.strip()
            if same_para or next_para:
                speaker = prev_speaker
        if speaker is None:
            since = previous.close_at if previous is not None and previous.last == unit.first else 0
            events_until(unit.first, unit.open_at, since)
        if isinstance(speaker, tuple):
            name, role = speaker
            quotes.append(Quote(text, unit.start, unit.end, unit.first, unit.last, name, role))
            last = (name, role, unit.last)
            previous, prev_speaker = unit, speaker
        else:
            previous, prev_speaker = unit, None
        done_para = max(done_para, unit.last)
    return quotes


def _cut_role(phrase: str) -> str:
    """'NAME, a ROLE, adding that …' ends where the role does."""
    m = re.search(
        r",\s*(?:adding|who|which|saying|according|referring|speaking|during|after|when|while)\b"
        r"|\s+(?:on|in|at|after|during)\s+(?:\w+day|a |the |an )",
        phrase,
    )
    return phrase[: m.start()] if m else phrase
