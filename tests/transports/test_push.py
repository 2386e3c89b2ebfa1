from __future__ import annotations

import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from livesite import serving
from wire import ninjs
from wiredesk import Desk
from wiredesk.config import SourceConfig
from wiredesk.site.app import create_app
from wiredesk.store import sources
from wiredesk.store.models import Receipt
from wiredesk.transports.push import push_routes

SECRET = "push-s3cret-for-tests"
STORY = ninjs("urn:push:1", "Pushed  to the desk.\n\nSecond para.", headline="Pushed story")


@pytest.fixture
def sources_in(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Desk:
    """The desk with a push source (its secret set) and a polled one under the same secret."""
    monkeypatch.setenv("WD_TEST_PUSH_SECRET", SECRET)
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session,
            SourceConfig(name="pushwire", transport="push", secret_env="WD_TEST_PUSH_SECRET"),
            desk.clock(),
        )
        sources.upsert(
            session,
            SourceConfig(name="polled", transport="http", secret_env="WD_TEST_PUSH_SECRET"),
            desk.clock(),
        )
    return desk


@pytest.fixture
def site(sources_in: Desk) -> Iterator[httpx.Client]:
    desk = sources_in
    app = create_app(
        desk.config, desk.store, clock=desk.clock, extra_routes=push_routes(desk, max_bytes=4096)
    )
    with serving(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


def signed(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def nothing_stored(desk: Desk) -> bool:
    archive = desk.store.archive.root
    files = [p for p in archive.rglob("*") if p.is_file()] if archive.exists() else []
    return files == [] and desk.store.count(Receipt) == 0


def test_bearer_push_is_archived_and_published(desk: Desk, site: httpx.Client) -> None:
    answer = site.post(
        "/ingest/pushwire",
        content=STORY,
        headers={"Authorization": f"Bearer {SECRET}", "X-Wiredesk-Filename": "push-1.json"},
    )
    assert answer.status_code == 202
    sha256 = hashlib.sha256(STORY).hexdigest()
    assert answer.json() == {"sha256": sha256, "outcome": "accepted"}
    assert desk.store.archive.get(sha256) == STORY
    (receipt,) = desk.store.receipts()
    assert (receipt.source, receipt.filename) == ("pushwire", "push-1.json")
    assert receipt.landed_at == desk.clock()
    assert "Pushed story" in site.get("/").text
    again = site.post(
        "/ingest/pushwire", content=STORY, headers={"X-Wiredesk-Signature": signed(STORY)}
    )
    assert again.status_code == 202 and again.json()["outcome"] == "duplicate"


def test_hmac_signed_push_is_accepted(desk: Desk, site: httpx.Client) -> None:
    answer = site.post(
        "/ingest/pushwire", content=STORY, headers={"X-Wiredesk-Signature": signed(STORY)}
    )
    assert answer.status_code == 202 and answer.json()["outcome"] == "accepted"
    assert desk.store.archive.get(answer.json()["sha256"]) == STORY


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/ingest/pushwire", {}),
        ("/ingest/pushwire", {"Authorization": "Bearer not-the-secret"}),
        ("/ingest/pushwire", {"Authorization": f"Basic {SECRET}"}),
        ("/ingest/pushwire", {"X-Wiredesk-Signature": signed(STORY, "not-the-secret")}),
        ("/ingest/pushwire", {"X-Wiredesk-Signature": signed(b"other bytes")}),
        ("/ingest/nosuchsource", {"Authorization": f"Bearer {SECRET}"}),
        ("/ingest/nosuchsource", {"X-Wiredesk-Signature": signed(STORY)}),
        ("/ingest/polled", {"Authorization": f"Bearer {SECRET}"}),  # not a push source
    ],
)
def test_bad_credentials_store_nothing(
    desk: Desk, site: httpx.Client, path: str, headers: dict[str, str]
) -> None:
    answer = site.post(path, content=STORY, headers=headers)
    assert answer.status_code == 401 and answer.text == "unauthorised"
    assert SECRET not in answer.text
    assert nothing_stored(desk)


def test_unset_secret_refuses_everyone(
    desk: Desk, site: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WD_TEST_PUSH_SECRET")
    headers = {"Authorization": f"Bearer {SECRET}"}  # the secret that was right a moment ago
    answer = site.post("/ingest/pushwire", content=STORY, headers=headers)
    assert answer.status_code == 401 and nothing_stored(desk)


def test_oversized_push_is_refused(desk: Desk, site: httpx.Client) -> None:
    big = b"x" * 5000
    bearer = site.post(
        "/ingest/pushwire", content=big, headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert bearer.status_code == 413
    hmac_ = site.post(
        "/ingest/pushwire", content=big, headers={"X-Wiredesk-Signature": signed(big)}
    )
    assert hmac_.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap holds while reading
        for _ in range(5):
            yield b"y" * 1000

    streamed = site.post(
        "/ingest/pushwire", content=chunks(), headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert streamed.status_code == 413
    assert nothing_stored(desk)


# Replay protection: a signed timestamp ------------------------------------------------------


def stamped(body: bytes, at: float, secret: str = SECRET) -> dict[str, str]:
    """How a sender signs with a timestamp: HMAC over `<unix seconds>.<body>`."""
    ts = str(int(at))
    mac = hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Wiredesk-Timestamp": ts, "X-Wiredesk-Signature": f"sha256={mac}"}


def test_a_signed_timestamp_inside_the_window_is_accepted(desk: Desk, site: httpx.Client) -> None:
    now = desk.clock().timestamp()
    answer = site.post("/ingest/pushwire", content=STORY, headers=stamped(STORY, now - 299))
    assert answer.status_code == 202 and answer.json()["outcome"] == "accepted"
    # The timestamp is signed: moved to now, the old signature no longer matches.
    moved = {**stamped(STORY, now - 299), "X-Wiredesk-Timestamp": str(int(now))}
    assert site.post("/ingest/pushwire", content=STORY, headers=moved).text == "unauthorised"


@pytest.mark.parametrize(
    ("offset", "reason"),
    [
        (-301, "X-Wiredesk-Timestamp is 301 s old; accepted within 300 s"),
        (-86400 * 30, "is 2592000 s old"),
        (400, "X-Wiredesk-Timestamp is 400 s in the future; accepted within 300 s"),
    ],
)
def test_an_old_or_future_request_is_refused_with_its_reason(
    desk: Desk, site: httpx.Client, offset: int, reason: str
) -> None:
    headers = stamped(STORY, desk.clock().timestamp() + offset)
    answer = site.post("/ingest/pushwire", content=STORY, headers=headers)
    assert answer.status_code == 401 and reason in answer.text
    assert nothing_stored(desk)


def test_a_replayed_request_is_refused_once_its_window_has_passed(
    desk: Desk, site: httpx.Client
) -> None:
    captured = stamped(STORY, desk.clock().timestamp())
    assert site.post("/ingest/pushwire", content=STORY, headers=captured).status_code == 202
    desk.clock.now += timedelta(minutes=6)  # type: ignore[attr-defined]
    replayed = site.post("/ingest/pushwire", content=STORY, headers=captured)
    assert replayed.status_code == 401 and "s old" in replayed.text
    assert desk.store.count(Receipt) == 1  # the replay left no trace, not even a duplicate


def test_only_the_secret_holder_learns_why(desk: Desk, site: httpx.Client) -> None:
    old = desk.clock().timestamp() - 3600
    for headers in (stamped(STORY, old, "not-the-secret"), {**stamped(STORY, old), "X": "1"}):
        answer = site.post("/ingest/nosuchsource", content=STORY, headers=headers)
        assert answer.status_code == 401 and answer.text == "unauthorised"
    # A malformed timestamp is a bad request, whoever sends it: it says nothing of the secret.
    garbage = {**stamped(STORY, old), "X-Wiredesk-Timestamp": "yesterday"}
    assert site.post("/ingest/pushwire", content=STORY, headers=garbage).status_code == 400


def test_a_source_can_require_the_timestamp(desk: Desk, site: httpx.Client) -> None:
    with desk.store.session() as session, session.begin():
        sources.get(session, "pushwire").options = {
            "require_timestamp": "true",
            "timestamp_window": 60,
        }
    plain = site.post(
        "/ingest/pushwire", content=STORY, headers={"X-Wiredesk-Signature": signed(STORY)}
    )
    assert plain.status_code == 401 and "requires a signed X-Wiredesk-Timestamp" in plain.text
    bearer = site.post(
        "/ingest/pushwire", content=STORY, headers={"Authorization": f"Bearer {SECRET}"}
    )
    assert bearer.status_code == 401 and "only requests signed with" in bearer.text
    late = site.post(
        "/ingest/pushwire", content=STORY, headers=stamped(STORY, desk.clock().timestamp() - 61)
    )
    assert late.status_code == 401 and "accepted within 60 s" in late.text
    assert nothing_stored(desk)
    fresh = stamped(STORY, desk.clock().timestamp())
    assert site.post("/ingest/pushwire", content=STORY, headers=fresh).status_code == 202


# Bodies are streamed to disk, and unverified ones are capped ---------------------------------


def test_a_large_signed_body_goes_through_the_spool_file_byte_for_byte(
    sources_in: Desk,
) -> None:
    desk = sources_in
    body = ninjs("urn:push:big", "Big.\n\n" + "A long paragraph. " * 200_000, headline="Big")
    assert len(body) > 3 * 1024 * 1024
    app = create_app(desk.config, desk.store, clock=desk.clock, extra_routes=push_routes(desk))
    with serving(app) as base:
        answer = httpx.post(
            f"{base}/ingest/pushwire",
            content=body,
            headers={"X-Wiredesk-Signature": signed(body)},
            timeout=30,
        )
    assert answer.status_code == 202 and answer.json()["outcome"] == "accepted"
    assert desk.store.archive.get(hashlib.sha256(body).hexdigest()) == body
    leftovers = list(desk.store.archive.root.glob(".incoming-*"))
    assert leftovers == []


def test_a_wrong_bearer_is_refused_before_the_body_is_read(site: httpx.Client) -> None:
    host, port = site.base_url.host, site.base_url.port
    with socket.create_connection((host, port), timeout=10) as raw:
        raw.sendall(
            b"POST /ingest/pushwire HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
            b"Content-Length: 52428000\r\n\r\n"
        )
        # Not one byte of the 50 MB announced was sent, and the answer is already here.
        assert raw.recv(4096).startswith(b"HTTP/1.1 401 ")


class Held:
    """Signed uploads held open mid-body, as a slow (or hostile) sender would."""

    def __init__(self, base: str) -> None:
        self.base, self.go, self.threads = base, threading.Event(), []
        self.answers: list[int] = []

    def open(self, address: str = "127.0.0.1") -> None:
        def body() -> Iterator[bytes]:
            yield b"x" * 1000
            self.go.wait(20)
            yield b"y"

        def send() -> None:
            transport = httpx.HTTPTransport(local_address=address)
            with httpx.Client(transport=transport, timeout=30) as client:
                answer = client.post(
                    f"{self.base}/ingest/pushwire",
                    content=body(),
                    headers={"X-Wiredesk-Signature": "sha256=bogus"},
                )
            self.answers.append(answer.status_code)

        thread = threading.Thread(target=send)
        thread.start()
        self.threads.append(thread)

    def release(self) -> list[int]:
        self.go.set()
        for thread in self.threads:
            thread.join(20)
        return self.answers


def push_from(base: str, address: str) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, timeout=10) as client:
        return client.post(
            f"{base}/ingest/pushwire",
            content=STORY,
            headers={"X-Wiredesk-Signature": signed(STORY)},
        )


def test_unverified_bodies_are_capped_per_client_and_overall(
    sources_in: Desk,
) -> None:
    desk = sources_in
    desk.config.security.push_unverified_per_client = 2
    desk.config.security.push_unverified_total = 3
    app = create_app(desk.config, desk.store, clock=desk.clock, extra_routes=push_routes(desk))
    with serving(app) as base:
        held = Held(base)
        try:
            held.open("127.0.0.2")
            held.open("127.0.0.2")
            time.sleep(0.5)  # both are now mid-body on the server
            busy = push_from(base, "127.0.0.2")
            assert busy.status_code == 429 and busy.headers["retry-after"] == "5"
            assert "too many unverified uploads from 127.0.0.2 at once (at most 2)" in busy.text
            held.open("127.0.0.3")
            time.sleep(0.5)
            full = push_from(base, "127.0.0.4")
            assert full.status_code == 503 and "at most 3" in full.text
            # A bearer push is authenticated before its body is read: never held up by this.
            bearer = httpx.post(
                f"{base}/ingest/pushwire",
                content=STORY,
                headers={"Authorization": f"Bearer {SECRET}"},
                timeout=10,
            )
            assert bearer.status_code == 202
        finally:
            answers = held.release()
        assert answers == [401, 401, 401]
        assert push_from(base, "127.0.0.2").status_code == 202  # the slots are free again


@pytest.mark.parametrize("stamp", ["\u00b2", "1\u0663", "١٢٣٤٥"])
def test_a_non_ascii_digit_timestamp_is_a_400_and_leaves_no_file(
    desk: Desk, site: httpx.Client, stamp: str
) -> None:
    """Issue 24 #10: U+00B2 passes str.isdigit() and then breaks int()."""
    host, port = site.base_url.host, site.base_url.port
    head = (
        (
            f"POST /ingest/pushwire HTTP/1.1\r\nHost: x\r\nX-Wiredesk-Signature: sha256=ab\r\n"
            f"Content-Length: {len(STORY)}\r\nConnection: close\r\n"
        ).encode()
        + b"X-Wiredesk-Timestamp: "
        + stamp.encode("utf-8")
        + b"\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=10) as raw:
        raw.sendall(head + STORY)
        answer = raw.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert nothing_stored(desk)
