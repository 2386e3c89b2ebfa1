"""Issue 24 #3: /history's word diff is bounded, made off the event loop, once per version
pair whatever the query string, and a version too long to compare is shown in full."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import httpx
import pytest

from sitekit import publish, site_client, url
from wire import ninjs
from wiredesk import Desk
from wiredesk.site import app as site_app
from wiredesk.site import diff


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with site_client(desk) as client:
        yield client


def table(rows: int, seed: int) -> str:
    lines = [f"Team {n}  {n * 7 % 31}  {n * 3 % 17}  {n % 9} pts" for n in range(rows)]
    random.Random(seed).shuffle(lines)
    return "\n\n".join(lines)


def test_the_diff_runs_off_the_event_loop_once_per_version_pair(
    desk: Desk, site: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = publish(desk, ninjs("urn:t", table(400, 1), headline="Table"))
    publish(desk, ninjs("urn:t", table(400, 2), headline="Table", version=2))
    healthy = threading.Event()
    calls: list[int] = []

    def slow_diff(old: str, new: str) -> object:
        calls.append(1)
        # On the event loop this would hold /healthz until the wait gives up.
        healthy.wait(timeout=10)
        return diff.word_diff(old, new)

    monkeypatch.setattr(site_app, "word_diff", slow_diff)
    base = str(site.base_url)
    answers: list[int] = []
    first = threading.Thread(
        target=lambda: answers.append(httpx.get(base + url(story) + "/history?r=1").status_code)
    )
    first.start()
    while not calls:
        threading.Event().wait(0.01)
    assert httpx.get(base + "/healthz", timeout=5).status_code == 200
    healthy.set()
    first.join()
    for n in range(2, 6):
        answers.append(site.get(url(story) + f"/history?r={n}").status_code)
    assert answers == [200] * 5
    assert len(calls) == 1


def test_versions_too_long_to_compare_are_shown_in_full(
    desk: Desk, site: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diff, "MAX_LINES", 100)
    story = publish(desk, ninjs("urn:t", table(60, 1), headline="Table"))
    publish(desk, ninjs("urn:t", table(60, 2), headline="Table", version=2))
    page = site.get(url(story) + "/history").text
    assert "Too long to compare word by word" in page
    for line in table(60, 1).split("\n\n"):
        assert page.count(f"<p>{line}</p>") == 2  # in both versions, verbatim


def test_a_long_reordered_table_is_bounded_and_loses_no_word() -> None:
    old, new = table(4000, 1), table(4000, 2)
    shown = diff.word_diff(old, new)
    assert shown is not None
    text = str(shown)

    def without(tag: str, markup: str) -> str:
        return "".join(chunk.split(f"</{tag}>")[-1] for chunk in markup.split(f"<{tag}>"))

    def unwrap(tag: str, markup: str) -> str:
        return markup.replace(f"<{tag}>", "").replace(f"</{tag}>", "")

    assert unwrap("ins", without("del", text)) == new
    assert unwrap("del", without("ins", text)) == old
