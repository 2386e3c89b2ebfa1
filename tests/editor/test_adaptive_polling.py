"""Polling that follows the wire: `interval` while copy flows, stretched while it does not, never
beyond `max_interval`; /admin shows the interval in force."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FakeClock
from wire import ninjs
from wiredesk import Desk
from wiredesk.admin.health import source_health
from wiredesk.config import SourceConfig
from wiredesk.desk.cadence import next_interval
from wiredesk.desk.runner import Runner, spec_of
from wiredesk.store import sources
from wiredesk.store.models import Source


@given(
    base=st.floats(1, 600),
    extra=st.floats(0, 3600),
    previous=st.none() | st.floats(1, 10_000),
    brought=st.integers(0, 50),
    recent=st.integers(0, 10_000),
)
def test_the_interval_stays_within_its_bounds(
    base: float, extra: float, previous: float | None, brought: int, recent: int
) -> None:
    top = base + extra
    got = next_interval(base, top, previous, brought, recent)
    assert base <= got <= max(top, base)
    if brought:
        assert got == base
    assert next_interval(base, None, previous, brought, recent) == base


class Feed:
    """One agency file at a time, with an ETag: a poll brings it once, then 304s."""

    def __init__(self) -> None:
        self.body = b""
        self.etag = ""


@pytest.fixture
def feed() -> Iterator[tuple[Feed, str]]:
    state = Feed()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if state.etag and self.headers.get("If-None-Match") == state.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("ETag", state.etag)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/feed"
    finally:
        server.shutdown()
        server.server_close()


def poll(desk: Desk, runner: Runner) -> Source:
    with desk.store.session() as session, session.begin():
        row = sources.get(session, "wire")
        row.lease_owner = runner.owner
        source_id, spec, cursor = row.id, spec_of(row), dict(row.cursor or {})
    runner.poll(source_id, spec, cursor, 0)
    with desk.store.session() as session:
        return sources.get(session, "wire")


def test_polls_follow_the_wire(desk: Desk, clock: FakeClock, feed: tuple[Feed, str]) -> None:
    state, url = feed
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session,
            SourceConfig(
                name="wire",
                transport="http",
                location=url,
                interval=30,
                options={"max_interval": 300},
            ),
            clock(),
        )
    runner = Runner(desk, owner="test")
    state.body, state.etag = ninjs("urn:ad:1", "Delhi (PTI) One."), '"1"'
    row = poll(desk, runner)
    assert row.poll_interval == 30
    seen = []
    for _ in range(8):  # nothing new: ever longer, up to max_interval
        clock.now += timedelta(seconds=row.poll_interval or 30)
        row = poll(desk, runner)
        seen.append(row.poll_interval)
    assert seen[0] is not None and seen[0] > 30
    assert seen == sorted(seen) and seen[-1] == 300
    assert row.next_poll_at == clock.now + timedelta(seconds=300)
    with desk.store.session() as session:
        [health] = source_health(session, clock(), desk.config.tz)
    assert health.polling_every == 300
    # Copy flows again: straight back to the source's interval.
    state.body, state.etag = ninjs("urn:ad:2", "Delhi (PTI) Two."), '"2"'
    clock.now += timedelta(seconds=300)
    assert poll(desk, runner).poll_interval == 30


def test_without_max_interval_the_interval_is_fixed(
    desk: Desk, clock: FakeClock, feed: tuple[Feed, str]
) -> None:
    state, url = feed
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session, SourceConfig(name="wire", transport="http", location=url, interval=45), clock()
        )
    runner = Runner(desk, owner="test")
    state.body, state.etag = ninjs("urn:ad:3", "Delhi (PTI) Three."), '"3"'
    assert poll(desk, runner).poll_interval == 45
    clock.now += timedelta(seconds=45)
    assert poll(desk, runner).poll_interval == 45
