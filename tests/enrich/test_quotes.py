"""Who said what: labelled quotations (dev and held-out), offsets on every sample, properties."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SAMPLES, SEED
from wiredesk.enrich.quotes import find_quotes
from wiredesk.exceptions import WiredeskError
from wiredesk.formats import parse
from wiredesk.types import Item

HERE = Path(__file__).parent


@dataclass
class Story:
    id: str
    split: str
    body: str
    language: str
    labels: list[tuple[str, str]]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _seed_body() -> str | None:
    if not SEED.exists():
        return None
    blocks = SEED.read_text(encoding="utf-8").strip().split("\n\n")[:-1]  # no disclaimer
    return "\n\n".join(blocks).split("Sep 1 ", 1)[1]


def _sample_item(path: str) -> Item | None:
    file = SAMPLES / path
    if not file.exists():
        return None
    return next(i for i in parse(file.read_bytes()).items if isinstance(i, Item) and i.body_text)


def load(name: str) -> list[Story]:
    stories: list[Story] = []
    text = (HERE / name).read_text(encoding="utf-8")
    for block in text.split("\n=== ")[1:]:
        head, _, rest = block.partition("\n")
        ident, split = (part.strip() for part in head.split("|"))
        body_part, _, expect = rest.partition("--- expect")
        labels = [
            (s.strip(), o.strip())
            for s, o in (line.split("|", 1) for line in expect.strip().splitlines() if "|" in line)
        ]
        language = "en"
        if ident == "seed":
            body = _seed_body()
        elif ident.startswith("sample: "):
            item = _sample_item(ident[len("sample: ") :])
            body, language = (item.body_text, item.language) if item else (None, "")
        else:
            paras = [p.strip() for p in re.split(r"\n\s*\n", body_part.strip())]
            body = "\n\n".join(p for p in paras if not p.startswith("#"))
        if body is not None:
            stories.append(Story(ident, split, body, language, labels))
    return stories


SPLITS = ("dev", "heldout", "heldout2", "heldout3")
STORIES = [
    story
    for name in (
        "quotes_dev.txt",
        "quotes_heldout.txt",
        "quotes_heldout2.txt",
        "quotes_heldout3.txt",
    )
    for story in load(name)
]


def score(stories: list[Story]) -> tuple[int, int, int]:
    """(correct, found, labelled): a find is correct when speaker and opening words match."""
    correct = found = labelled = 0
    for story in stories:
        quotes = find_quotes(story.body, story.language)
        found += len(quotes)
        labelled += len(story.labels)
        left = list(story.labels)
        for q in quotes:
            for label in left:
                if _squash(q.speaker) == label[0] and _squash(q.text).startswith(label[1]):
                    left.remove(label)
                    correct += 1
                    break
    return correct, found, labelled


def test_precision_and_recall_on_the_labelled_set() -> None:
    totals = [0, 0, 0]
    for split in SPLITS:
        c, f, n = score([s for s in STORIES if s.split == split])
        totals = [totals[0] + c, totals[1] + f, totals[2] + n]
        print(f"\nquotes {split}: precision {c}/{f} = {c / max(f, 1):.1%}, recall {c}/{n} = "
              f"{c / max(n, 1):.1%}")  # fmt: skip
    c, f, n = totals
    print(f"quotes all: precision {c / max(f, 1):.1%}, recall {c / max(n, 1):.1%}, labels {n}")
    assert n >= 100
    assert c / f >= 0.95
    assert c / n >= 0.80


def test_seed_quotes_with_speakers_and_roles() -> None:
    body = _seed_body()
    if body is None:
        pytest.skip("seed story not found")
    got = [(q.speaker, q.role, q.text.split()[0]) for q in find_quotes(body, "en")]
    assert got == [
        ("Anaamullah Samangani", "a member of the Taliban's cultural commission", "Mujahideen"),
        ("Baba Shirin", "a resident of the area", "The"),
        ("Fahim Dashti", "a spokesman of the resistance front", "In"),
    ]


def _check(body: str, language: str = "en") -> None:
    paragraphs = [p for p in body.split("\n\n") if p]
    for q in find_quotes(body, language):
        assert body[q.start : q.end] == q.text
        assert 0 <= q.first_paragraph <= q.last_paragraph < len(paragraphs)
        assert q.text.split()[0] in paragraphs[q.first_paragraph]
        assert q.speaker.strip()


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.id)
def test_labelled_quotes_are_exact_substrings(story: Story) -> None:
    _check(story.body, story.language)


def test_every_sample_story_keeps_the_offset_invariant() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("agency samples not found")
    checked = 0
    for file in sorted(SAMPLES.rglob("*")):
        if not file.is_file():
            continue
        try:
            items = parse(file.read_bytes()).items
        except WiredeskError:
            continue
        for item in items:
            if isinstance(item, Item) and item.body_text:
                _check(item.body_text, item.language)
                _check(item.body_text, "")
                checked += 1
    assert checked > 100


def test_non_english_and_unattributed_give_nothing() -> None:
    assert find_quotes('„Wir schaffen das", sagte Angela Merkel.', "de") == []
    assert find_quotes('The film "Sardar Udham" opens today, its makers said.', "en") == []
    assert find_quotes('"We will appeal," the company said in a statement.', "en") == []


def _said(body: str) -> list[tuple[str, str]]:
    return [(q.speaker, q.text.split()[0]) for q in find_quotes(body, "en")]


def test_the_speaker_is_the_subject_not_an_object_or_a_title() -> None:
    assert _said('"We will keep marching," said the Reverend Al Sharpton.') == [
        ("Al Sharpton", "We")
    ]
    assert _said('"We want it now," a spokesman for the Indian Premier League said.') == []
    assert _said('"We want it now," Ravi Smith and Mary Jones said.') == []
    assert _said('Reacting to it, Home Minister Amit Shah said: "We will act."') == [
        ("Amit Shah", "We")
    ]
    # An honorific is not part of the name; a first name is expanded like a surname.
    assert _said('"It was a long night," Dr. Anil Gupta said.') == [("Anil Gupta", "It")]
    assert _said('Rohit Sharma batted.\n\n"We played well," Rohit said.') == [
        ("Rohit Sharma", "We")
    ]


def test_split_quotes_comma_attributions_and_pronoun_chains() -> None:
    assert _said('"Delays," he said, "hurt us." Spohr, the chief executive, said so.') == []
    body = 'Ann Lee spoke.\n\n"Delays at suppliers," she said, "are the biggest problem."'
    assert _said(body) == [("Ann Lee", "Delays"), ("Ann Lee", "are")]
    assert _said('Ann Lee told PTI, "The talks have failed."') == [("Ann Lee", "The")]
    assert _said('Ann Lee said the move, "Operation Two", was a success.') == []
    body = (
        '"We tried hard," Ann Lee said.\n\nShe said the rules were unfair.\n\n"We lost," she said.'
    )
    assert _said(body) == [("Ann Lee", "We"), ("Ann Lee", "We")]


WORDS = st.sampled_from(
    ['"', "“", "”", "‘", "’", "said", "told", "he", "she", "John Smith", ",", ".", ":", " ",
     "\n", "\n\n", "\n\n\n", "Mr Ings", "a spokesman", "नमस्ते", "தமிழ்", "اردو", "中文", "Müller",
     "„", "“", "sagte", "the", "of", "Reuters", "x"]
)  # fmt: skip


@given(st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=60), st.sampled_from(["en", ""]))
def test_random_bodies_never_raise_and_keep_offsets(parts: list[str], language: str) -> None:
    _check("".join(parts), language)
