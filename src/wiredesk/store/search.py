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

CANDIDATES = 500
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
    # bm25() is negative, lower is better; the outer loop walks the FTS index newest first,
    # so LIMIT stops it early however common the word.
    statement = (
        select(Story.id, literal_column("-bm25(stories_fts, 4.0, 1.0)", Float), Story.published_at)
        .select_from(_FTS)
        .join(Story, Story.id == _FTS.c.rowid)
        .where(literal_column("stories_fts").op("MATCH")(query.fts5()))
        .where(visible(now))
        .order_by(_FTS.c.rowid.desc())
        .limit(CANDIDATES)
    )
    return [
        (i, float(relevance), published) for i, relevance, published in session.execute(statement)
    ]


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


def snippet(body: str, query: Query) -> Markup:
    """About 30 words of the body around the first match, escaped, matches marked."""
    words = query.words
    # The words as typed, found by one regex; else word by word, folded (another Unicode form).
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    first = re.search(rf"(?<![\w{_MARKS}])(?:{pattern})(?![\w{_MARKS}])", body, re.IGNORECASE)
    if first is None and words:
        first = next((m for m in _WORD.finditer(body) if _matches(m.group(), words)), None)
    at = first.start() if first else 0
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
