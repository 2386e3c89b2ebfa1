"""Issue 24 #6: slow senders over raw sockets cannot lock out signed pushes; unknown sources
take no slot; every desk server bounds request headers in time and size."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from test_push import SECRET, STORY, push_from, signed

from livesite import free_port
from wiredesk import Desk, serving
from wiredesk.config import SourceConfig
from wiredesk.site.app import create_app
from wiredesk.store import sources
from wiredesk.transports import push
from wiredesk.transports.push import push_routes


@pytest.fixture
def sources_in(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Desk:
    monkeypatch.setenv("WD_TEST_PUSH_SECRET", SECRET)
    with desk.store.session() as session, session.begin():
        for name in ("pushwire", "otherwire"):
            sources.upsert(
                session,
                SourceConfig(name=name, transport="push", secret_env="WD_TEST_PUSH_SECRET"),
                desk.clock(),
            )
    return desk


@contextmanager
def desk_server(desk: Desk) -> Iterator[tuple[str, int]]:
    """The server as `wiredesk serve` configures it (serving.server_config)."""
    app = create_app(desk.config, desk.store, clock=desk.clock, extra_routes=push_routes(desk))
    port = free_port()
    server = uvicorn.Server(serving.server_config(app, "127.0.0.1", port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.01)
        assert thread.is_alive()
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(10)


def open_upload(where: tuple[str, int], source: str, address: str, length: int) -> socket.socket:
    raw = socket.create_connection(where, timeout=15, source_address=(address, 0))
    raw.sendall(
        f"POST /ingest/{source} HTTP/1.1\r\nHost: x\r\nX-Wiredesk-Signature: sha256=bogus\r\n"
        f"Content-Length: {length}\r\n\r\n".encode()
    )
    return raw


def test_trickling_bodies_are_dropped_and_a_signed_push_gets_through(
    sources_in: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = sources_in
    desk.config.security.push_unverified_per_client = 4
    desk.config.security.push_unverified_total = 4
    monkeypatch.setattr(push, "BODY_IDLE_SECONDS", 1.0)
    monkeypatch.setattr(push, "BODY_GRACE_SECONDS", 1.0)
    with desk_server(desk) as where:
        base = f"http://{where[0]}:{where[1]}"
        stop = threading.Event()
        answers: list[bytes] = []

        def trickle(address: str) -> None:
            with open_upload(where, "pushwire", address, 1000) as raw:
                raw.settimeout(0.4)
                while not stop.is_set():
                    try:
                        raw.sendall(b"x")
                        got = raw.recv(4096)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    answers.append(got)
                    return

        threads = [threading.Thread(target=trickle, args=(f"127.0.0.{n}",)) for n in range(2, 6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        stop.set()
        assert len(answers) == 4 and all(a.startswith(b"HTTP/1.1 408 ") for a in answers)
        assert push_from(base, "127.0.0.6").status_code == 202


def test_an_unknown_source_is_refused_before_its_body_and_pools_are_per_source(
    sources_in: Desk,
) -> None:
    desk = sources_in
    desk.config.security.push_unverified_per_client = 2
    desk.config.security.push_unverified_total = 2
    with desk_server(desk) as where:
        with open_upload(where, "nosuchsource", "127.0.0.2", 52_428_000) as raw:
            assert raw.recv(4096).startswith(b"HTTP/1.1 401 ")
        held = [open_upload(where, "pushwire", f"127.0.0.{n}", 5000) for n in (3, 4)]
        try:
            threading.Event().wait(0.3)
            with socket.create_connection(where, timeout=10) as raw:
                raw.sendall(
                    b"POST /ingest/otherwire HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + f"X-Wiredesk-Signature: {signed(STORY)}\r\n".encode()
                    + f"Content-Length: {len(STORY)}\r\n\r\n".encode()
                    + STORY
                )
                assert raw.recv(4096).startswith(b"HTTP/1.1 202 ")
        finally:
            for raw in held:
                raw.close()


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_headers_are_bounded_in_time_and_size(
    sources_in: Desk, monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    monkeypatch.setattr(serving, "HEADER_SECONDS", 0.5)
    if parser == "h11":  # uvicorn's pure-Python parser, used where httptools is not installed
        monkeypatch.setattr(serving, "_httptools_protocol", lambda: None)
    with desk_server(sources_in) as where:
        with socket.create_connection(where, timeout=10) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            assert raw.recv(4096) == b""  # closed by the server, not by our timeout
        with socket.create_connection(where, timeout=10) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            try:
                for _ in range(128):
                    raw.sendall(b"X-Big: " + b"a" * 65_536 + b"\r\n")
            except OSError:
                pass  # refused mid-way
            assert raw.recv(4096).startswith(b"HTTP/1.1 431 ")
        with socket.create_connection(where, timeout=10) as raw:
            raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert raw.recv(4096).startswith(b"HTTP/1.1 200 ")
