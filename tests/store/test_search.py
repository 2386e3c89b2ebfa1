"""Full-text search on both databases: words, phrases, ranking, visibility and snippets."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FakeClock
from wire import ninjs
from wiredesk import Desk
from wiredesk.store.search import Query, snippet


def put(desk: Desk, uri: str, body: str, headline: str = "Wire copy", **fields: object) -> int:
    outcome = desk.receive(ninjs(uri, body, headline=headline, **fields), source="pti")
    return outcome.stories[0]


def found(desk: Desk, clock: FakeClock, query: str) -> list[int]:
    return [hit.story.id for hit in desk.store.search(clock.now, query)]


def test_words_must_all_match_and_phrases_match_in_order(desk: Desk, clock: FakeClock) -> None:
    a = put(desk, "urn:s:a", "The monsoon reached Kerala on Friday.")
    b = put(desk, "urn:s:b", "Kerala waits while the monsoon stalls.")
    put(desk, "urn:s:c", "Markets rose in Mumbai.")
    assert sorted(found(desk, clock, "monsoon kerala")) == sorted([a, b])
    assert found(desk, clock, '"monsoon reached"') == [a]
    assert found(desk, clock, '"reached monsoon"') == []
    assert found(desk, clock, "MONSOON Mumbai") == []


def test_the_headline_outranks_the_body_and_newer_outranks_older(
    desk: Desk, clock: FakeClock
) -> None:
    body_only = put(desk, "urn:r:1", "A story that mentions saffron once.", headline="Spices")
    in_headline = put(desk, "urn:r:2", "About the harvest.", headline="Saffron harvest")
    assert found(desk, clock, "saffron") == [in_headline, body_only]
    clock.now += timedelta(days=60)
    fresh = put(desk, "urn:r:3", "A story that mentions saffron once.", headline="Spice news")
    assert found(desk, clock, "saffron")[0] == fresh  # two months outweigh the headline


def test_only_what_readers_may_see_is_found(desk: Desk, clock: FakeClock) -> None:
    put(desk, "urn:v:live", "Visible quokka text.")
    killed = put(desk, "urn:v:kill", "Killed quokka text.")
    desk.receive(ninjs("urn:v:kill", "Withdrawn.", version=2, pubstatus="canceled"), source="p")
    later = clock.now + timedelta(hours=1)
    embargoed = put(desk, "urn:v:emb", "Embargoed quokka text.", embargoed=later)
    put(desk, "urn:v:held", "Withheld quokka text.", pubstatus="withheld")
    hits = found(desk, clock, "quokka")
    assert len(hits) == 1 and killed not in hits and embargoed not in hits
    clock.now = later
    assert embargoed in found(desk, clock, "quokka")  # from its instant, no scheduler needed


def test_an_update_replaces_the_indexed_text(desk: Desk, clock: FakeClock) -> None:
    story = put(desk, "urn:u:1", "First take mentions walrus.", headline="Take")
    desk.receive(
        ninjs("urn:u:1", "Second take mentions narwhal.", headline="Take", version=2),
        source="pti",
    )
    assert found(desk, clock, "walrus") == []
    assert found(desk, clock, "narwhal") == [story]


def test_snippets_are_escaped_and_marked(desk: Desk, clock: FakeClock) -> None:
    put(desk, "urn:x:1", "Before <script>alert(1)</script> the tapir & friends arrived.")
    [hit] = desk.store.search(clock.now, "tapir")
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>tapir</mark> &amp; friends" in hit.snippet


def test_a_long_body_is_cut_around_the_first_match() -> None:
    body = " ".join(f"w{i}" for i in range(200)) + " needle " + " ".join("x" for _ in range(50))
    shown = snippet(body, Query.parse("needle"))
    assert shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>needle</mark>" in shown and "w0 " not in shown


@pytest.mark.parametrize(
    "raw",
    ['"', "a OR b", "NEAR(a b)", "-x", "*", "col:value", "'); DROP TABLE stories; --", "!&|:<->"],
)
def test_query_syntax_never_reaches_the_engines(desk: Desk, clock: FakeClock, raw: str) -> None:
    put(desk, "urn:q:1", "Plain words about a value of x and b.")
    desk.store.search(clock.now, raw)  # no error, whatever it finds


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_query_parses_to_words_only(raw: str) -> None:
    query = Query.parse(raw)
    for part in query.parts:
        for word in part:
            # Indic words carry vowel signs and viramas (Unicode marks) inside them.
            assert word and all(
                ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")
                for ch in word
            )
    assert '"' not in query.fts5().replace('" "', "").strip('"')


@settings(max_examples=300, deadline=None)
@given(
    body=st.text(alphabet="abcwirWIRéÉßẞ _-.\n1", max_size=300),
    words=st.lists(st.sampled_from(["wire", "ir", "é", "a", "ss", "wiré"]), min_size=1, max_size=3),
)
def test_the_fast_first_match_is_the_case_blind_whole_word_match(
    body: str, words: list[str]
) -> None:
    import re

    from wiredesk.store.search import _first_match

    pattern = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    first = re.search(rf"(?<!\w)(?:{pattern})(?!\w)", body, re.IGNORECASE)
    at = _first_match(body, frozenset(words))
    if first is not None:
        assert at == first.start()
    elif at:
        # No exact match: only a word written in another form (folded, "ß" for "ss") is found.
        from wiredesk.scripts import fold

        found = re.match(r"\w+", body[at:])
        assert found and fold(found.group()).casefold() in words
