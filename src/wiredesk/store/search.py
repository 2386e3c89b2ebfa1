"""Full-text search: SQLite FTS5 or PostgreSQL tsvector, ranked by relevance and recency.

A query is words (every one must match) and "quoted phrases"; anything else in it is ignored,
so no input can reach the engines' own query syntax. Matches pass the one visibility rule,
`visible(now)`, like every other output. The newest `CANDIDATES` visible matches are ranked by
relevance (BM25 on SQLite, ts_rank_cd on PostgreSQL; the headline weighs more than the body)
halved for each `HALF_LIFE` of age: a word found in very many stories ranks among the recent
ones, which is what readers of news search want and what keeps a common word fast at 1M
stories. Snippets show the body around the first match, escaped, with matches in <mark>.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Float, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from wiredesk.scripts import fold, word_marks, word_pattern
from wiredesk.store import visible
from wiredesk.store.models import Story

# Three pages of hits: BM25 costs about 20 µs a candidate for a word and 80 µs for a phrase
# (each needs its position lists), so ranking 500 cost a phrase 40 ms at 100,000 stories.
CANDIDATES = 150
HALF_LIFE = timedelta(days=7)
SNIPPET_WORDS = 30
# A word is letters and digits with their combining marks: "कहा" is one word, not "कह".
_WORD = word_pattern()
_MARKS = re.escape(word_marks())
_TERM = re.compile(r'"([^"]*)"?|(' + _WORD.pattern + ")")


@dataclass(frozen=True)
class Query:
    """What the reader asked for: single words and phrases, each a tuple of words."""

    parts: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, raw: str) -> Query:
        parts = []
        # Folded as the index is (migration 0015_search_folding): NFC or NFD, with or without nukta, match.
        for match in _TERM.finditer(fold(raw).casefold()):
            quoted = match.group(0).startswith('"')
            words = tuple(_WORD.findall(match.group(1) or "")) if quoted else (match.group(2),)
            if words and words not in parts:
                parts.append(words)
        return cls(tuple(parts))

    @property
    def words(self) -> set[str]:
        return {w for part in self.parts for w in part}

    def fts5(self) -> str:
        # Each part a quoted FTS5 string: a phrase when it has several words. Words are \w+,
        # so no quote can end a string early.
        return " ".join('"' + " ".join(part) + '"' for part in self.parts)

    def tsquery(self) -> str:
        return " & ".join("(" + " <-> ".join(f"'{w}'" for w in part) + ")" for part in self.parts)


@dataclass
class Hit:
    story: Story
    snippet: Markup
    score: float


def search(session: Session, now: datetime, raw: str, limit: int = 50) -> list[Hit]:
    query = Query.parse(raw)
    if not query.parts:
        return []
    find = _postgresql if session.get_bind().dialect.name == "postgresql" else _sqlite
    # Rank on a few columns; load whole stories (and cut snippets) only for what is shown.
    ranked = sorted(
        (
            (relevance * _freshness(published, now), story_id)
            for story_id, relevance, published in find(session, now, query)
        ),
        reverse=True,
    )[:limit]
    stories = {
        story.id: story
        for story in session.scalars(select(Story).where(Story.id.in_([i for _, i in ranked])))
    }
    return [
        Hit(stories[i], snippet(stories[i].body_text, query), score)
        for score, i in ranked
        if i in stories
    ]


_FTS = table("stories_fts", column("rowid"))
Found = list[tuple[int, float, datetime | None]]


def _sqlite(session: Session, now: datetime, query: Query) -> Found:
    # The outer loop walks the FTS index newest first, so LIMIT stops it early however common
    # the word. FTS5's bm25() is not used: it weighs each phrase by how many stories hold it,
    # and counts those by reading every match in the index (40 ms for a phrase in all of
    # 100,000 stories, growing with the store); the candidates are scored here instead.
    statement = (
        select(Story.id, Story.headline, Story.body_text, Story.published_at)
        .select_from(_FTS)
        .join(Story, Story.id == _FTS.c.rowid)
        .where(literal_column("stories_fts").op("MATCH")(query.fts5()))
        .where(visible(now))
        .order_by(_FTS.c.rowid.desc())
        .limit(CANDIDATES)
    )
    rows = session.execute(statement).all()
    if not rows:
        return []
    lengths = [(_length(h), _length(b)) for _, h, b, _ in rows]
    average = (
        max(sum(h for h, _ in lengths) / len(rows), 1.0),
        max(sum(b for _, b in lengths) / len(rows), 1.0),
    )
    patterns = [_part_pattern(part) for part in query.parts]
    return [
        (i, _bm25(patterns, headline, body, length, average), published)
        for (i, headline, body, published), length in zip(rows, lengths, strict=True)
    ]


# BM25's usual constants; the headline weighs four times the body, as it did with bm25().
_K1, _B, _WEIGHTS = 1.2, 0.75, (4.0, 1.0)


def _length(text: str) -> int:
    return text.count(" ") + text.count("\n") + 1


@functools.lru_cache(maxsize=256)
def _part_pattern(part: tuple[str, ...]) -> re.Pattern[str]:
    """A word or phrase in lower-cased text; the word boundary before it is checked apart."""
    return re.compile(r"\W+".join(re.escape(w) for w in part) + r"(?!\w)")


def _count(pattern: re.Pattern[str], text: str) -> int:
    lowered = text.lower()
    return sum(
        1
        for m in pattern.finditer(lowered)
        if m.start() == 0 or not _WORD.match(lowered, m.start() - 1)
    )


def _bm25(
    patterns: list[re.Pattern[str]],
    headline: str,
    body: str,
    lengths: tuple[int, int],
    average: tuple[float, float],
) -> float:
    """Okapi BM25 over the two columns, each part weighed alike. At least 1: every candidate
    matched, even where the index's folding (diacritics) finds what lower-casing does not."""
    score = 0.0
    for pattern in patterns:
        for text, length, mean, weight in zip(
            (headline, body), lengths, average, _WEIGHTS, strict=True
        ):
            tf = _count(pattern, text)
            if tf:
                norm = _K1 * (1 - _B + _B * length / mean)
                score += weight * tf * (_K1 + 1) / (tf + norm)
    return max(score, 1.0)


def _postgresql(session: Session, now: datetime, query: Query) -> Found:
    tsquery = func.to_tsquery(literal_column("'simple'"), query.tsquery())
    vector: ColumnElement[Any] = literal_column("stories.search_vector")
    statement = (
        select(Story.id, func.ts_rank_cd(vector, tsquery, type_=Float), Story.published_at)
        .where(vector.op("@@")(tsquery))
        .where(visible(now))
        .order_by(Story.id.desc())
        .limit(CANDIDATES)
    )
    return [
        (i, float(relevance), published) for i, relevance, published in session.execute(statement)
    ]


def _freshness(published: datetime | None, now: datetime) -> float:
    published = published or now
    age = max((now - published).total_seconds(), 0.0)
    return float(0.5 ** (age / HALF_LIFE.total_seconds()))


@functools.lru_cache(maxsize=256)
def _patterns(words: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(exact, fast): the words as whole words in any case; and the same words, case as
    given, without the leading word-boundary test that keeps `re` from its fast literal
    scan (the caller checks the character before instead)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # Word edges count combining marks as part of a word: "कह" is not found inside "कहा".
    edge = rf"[\w{_MARKS}]"
    exact = re.compile(rf"(?<!{edge})(?:{alternatives})(?!{edge})", re.IGNORECASE)
    return exact, re.compile(rf"(?:{alternatives})(?!{edge})")


def _first_match(body: str, words: frozenset[str]) -> int:
    """Where the first of the words starts in the body as a whole word, in any case (0 when
    none does). Found in the lower-cased body when lower-casing keeps every offset (almost
    always), which is several times faster than a case-blind scan over a long story."""
    exact, fast = _patterns(words)
    lowered = body.lower()
    if len(lowered) == len(body):
        for match in fast.finditer(lowered):
            start = match.start()
            if start == 0 or not _WORD.match(lowered, start - 1):
                return start
    found = exact.search(body)
    if found is None:
        # The word written in another Unicode form (NFD, a nukta letter): folded word by word.
        found = next((m for m in _WORD.finditer(body) if _matches(m.group(), set(words))), None)
    return found.start() if found else 0


def snippet(body: str, query: Query) -> Markup:
    """About 30 words of the body around the first match, escaped, matches marked."""
    words = query.words
    at = _first_match(body, frozenset(words)) if words else 0
    # A few words before the match, read from just before it (a cut-off first word dropped).
    edge = max(0, at - 15 * (SNIPPET_WORDS // 3))
    before = list(_WORD.finditer(body, edge, at))
    if before and edge > 0 and before[0].start() == edge:
        before = before[1:]
    start = before[-(SNIPPET_WORDS // 3) :][0].start() if before else at
    shown = list(islice(_WORD.finditer(body, start), SNIPPET_WORDS))
    if not shown:
        return Markup("")
    begin, end = shown[0].start(), shown[-1].end()
    out = [Markup("… ") if _WORD.search(body, 0, begin) else Markup("")]
    at = begin
    for token in shown:
        out.append(escape(body[at : token.start()]))
        piece = escape(token.group())
        out.append(Markup(f"<mark>{piece}</mark>") if _matches(token.group(), words) else piece)
        at = token.end()
    out.append(Markup(" …") if _WORD.search(body, end) else Markup(""))
    return Markup("").join(out)


def _matches(word: str, words: set[str]) -> bool:
    return word.casefold() in words or fold(word).casefold() in words
