from __future__ import annotations

import base64
import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from transport_sinks import DeskSink

from wire import ninjs
from wiredesk import Desk
from wiredesk.exceptions import TransportError
from wiredesk.transports import for_name
from wiredesk.transports.addresses import Allowed, GuardedTransport, Refused, kind_of
from wiredesk.transports.base import Delivery, SourceSpec
from wiredesk.transports.http import HttpTransport, redacted, retry_after

FEED = ninjs("urn:http:1", "Polled  over HTTP.\n\nSecond para.", headline="Polled story")
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 01 Jun 2026 10:00:00 GMT"


@dataclass
class Wire:
    """The agency's side: what it serves, and what it saw."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    active: int = 0
    most_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def make_handler(wire: Wire) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def send(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            wire.requests.append((self.path, dict(self.headers.items())))
            path = self.path
            if path == "/feed":
                if self.headers.get("If-None-Match") == ETAG:
                    return self.send(304, ETag=ETAG)
                return self.send(200, FEED, ETag=ETAG, Last_Modified=LAST_MODIFIED)
            if path == "/plain":  # no validators: only the body's hash tells it is the same
                return self.send(200, FEED)
            if path == "/gz":
                return self.send(200, gzip.compress(FEED), Content_Encoding="gzip")
            if path == "/bomb":
                return self.send(200, gzip.compress(b" " * 100_000), Content_Encoding="gzip")
            if path.startswith("/redirect?to="):
                return self.send(302, Location=unquote(path.split("=", 1)[1]))
            if path.startswith("/hop/"):
                left = int(path.rsplit("/", 1)[1])
                return self.send(302, Location=f"/hop/{left - 1}" if left else "/feed")
            if path == "/busy":
                return self.send(429, b"slow down", Retry_After="7")
            if path == "/down":
                when = datetime.now(UTC) + timedelta(seconds=120)
                return self.send(503, b"maintenance", Retry_After=format_datetime(when, True))
            if path == "/slow":
                time.sleep(5.0)
                return self.send(200, FEED)
            if path == "/big":
                return self.send(200, b"x" * 5000)
            if path == "/counted":
                with wire.lock:
                    wire.active += 1
                    wire.most_active = max(wire.most_active, wire.active)
                time.sleep(0.15)
                with wire.lock:
                    wire.active -= 1
                return self.send(200, FEED)
            if path == "/private":
                auth = self.headers.get("Authorization", "")
                good = ("Bearer s3cret-token", "Basic " + base64.b64encode(b"pti:pw0rd").decode())
                return self.send(200, FEED) if auth in good else self.send(401, b"who are you")
            return self.send(404, b"not here")

    return Handler


@pytest.fixture
def wire() -> Iterator[tuple[Wire, str]]:
    state = Wire()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def spec(url: str, secret_env: str = "", **options: object) -> SourceSpec:
    return SourceSpec(
        name="web", transport="http", location=url, options=options, secret_env=secret_env
    )


def nothing(delivery: Delivery) -> Any:
    pytest.fail(f"nothing should be delivered, got {delivery.filename}")


def test_conditional_get_delivers_once_then_304(desk: Desk, wire: tuple[Wire, str]) -> None:
    state, base = wire
    sink = DeskSink(desk, "web")
    cursor = HttpTransport().poll(spec(f"{base}/feed"), {}, sink)
    assert [d.data for d in sink.deliveries] == [FEED]
    assert sink.deliveries[0].filename == "feed"
    assert sink.outcomes[0].outcome == "accepted"
    assert cursor["etag"] == ETAG and cursor["last_modified"] == LAST_MODIFIED
    again = HttpTransport().poll(spec(f"{base}/feed"), cursor, nothing)
    assert again == cursor
    sent = state.requests[-1][1]
    assert sent["If-None-Match"] == ETAG and sent["If-Modified-Since"] == LAST_MODIFIED


def test_same_body_without_validators_is_not_delivered_again(
    desk: Desk, wire: tuple[Wire, str]
) -> None:
    sink = DeskSink(desk, "web")
    cursor = HttpTransport().poll(spec(f"{wire[1]}/plain"), {}, sink)
    assert len(sink.deliveries) == 1 and "etag" not in cursor
    assert HttpTransport().poll(spec(f"{wire[1]}/plain"), cursor, nothing) == cursor


def test_gzip_is_decoded_and_redirects_followed(desk: Desk, wire: tuple[Wire, str]) -> None:
    sink = DeskSink(desk, "web")
    HttpTransport().poll(spec(f"{wire[1]}/gz"), {}, sink)
    HttpTransport().poll(spec(f"{wire[1]}/hop/4"), {}, sink)  # five redirects: allowed
    assert [d.data for d in sink.deliveries] == [FEED, FEED]
    assert sink.deliveries[1].filename == "feed"
    with pytest.raises(TransportError, match="more than 5 redirects"):
        HttpTransport().poll(spec(f"{wire[1]}/hop/5"), {}, nothing)


def test_429_and_503_carry_retry_after_in_both_forms(wire: tuple[Wire, str]) -> None:
    with pytest.raises(TransportError) as busy:
        HttpTransport().poll(spec(f"{wire[1]}/busy"), {}, nothing)
    assert busy.value.retry_after == 7 and "HTTP 429" in str(busy.value)
    with pytest.raises(TransportError) as down:
        HttpTransport().poll(spec(f"{wire[1]}/down"), {}, nothing)
    assert down.value.retry_after is not None and 100 < down.value.retry_after <= 120
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert retry_after("Mon, 01 Jun 2026 00:01:00 GMT", now) == 60
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_errors_name_the_url_without_credentials(wire: tuple[Wire, str]) -> None:
    host = wire[1].removeprefix("http://")
    with pytest.raises(TransportError) as missing:
        HttpTransport().poll(spec(f"http://pti:hunter2@{host}/gone?key=abc"), {}, nothing)
    message = str(missing.value)
    assert f"http://{host}/gone" in message and "HTTP 404" in message
    assert "hunter2" not in message and "pti" not in message and "abc" not in message
    assert missing.value.retry_after is None
    assert redacted("https://u:p@[::1]:8443/a?b=c") == "https://[::1]:8443/a?…"


def test_slow_response_times_out_and_refused_connection_fails(wire: tuple[Wire, str]) -> None:
    started = time.monotonic()
    with pytest.raises(TransportError, match="timed out"):
        HttpTransport().poll(spec(f"{wire[1]}/slow", timeout=0.2), {}, nothing)
    # Well before the 5 s answer, with room for a loaded machine: the timeout did it.
    assert time.monotonic() - started < 3
    with pytest.raises(TransportError, match="ConnectError"):
        HttpTransport().poll(spec("http://127.0.0.1:9/feed"), {}, nothing)


def test_size_cap_counts_decoded_bytes(wire: tuple[Wire, str]) -> None:
    with pytest.raises(TransportError, match="larger than 1000 bytes"):
        HttpTransport().poll(spec(f"{wire[1]}/big", max_bytes=1000), {}, nothing)
    # 100 kB of spaces gzip to a few hundred bytes; the cap still sees 100 kB.
    with pytest.raises(TransportError, match="larger than 50000 bytes"):
        HttpTransport().poll(spec(f"{wire[1]}/bomb", max_bytes=50_000), {}, nothing)


@pytest.mark.parametrize("limit", [2, 6])
def test_per_host_cap_bounds_concurrent_requests(wire: tuple[Wire, str], limit: int) -> None:
    state, base = wire
    delivered: list[str] = []
    errors: list[BaseException] = []

    def poll() -> None:
        try:
            HttpTransport().poll(
                spec(f"{base}/counted", per_host=limit), {}, lambda d: delivered.append(d.filename)
            )
        except BaseException as exc:  # surfaced below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=poll) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == [] and len(delivered) == 6
    assert state.most_active <= limit
    # The cap, not the server or the thread start-up, is what holds the count down.
    assert state.most_active == 2 if limit == 2 else state.most_active > 2


def test_basic_and_bearer_auth(wire: tuple[Wire, str], monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"{wire[1]}/private"
    got: list[bytes] = []

    def keep(delivery: Delivery) -> Any:
        got.append(delivery.data)

    monkeypatch.setenv("WD_TEST_HTTP_SECRET", "s3cret-token")
    HttpTransport().poll(spec(url, "WD_TEST_HTTP_SECRET", auth="bearer"), {}, keep)
    monkeypatch.setenv("WD_TEST_HTTP_SECRET", "pw0rd")
    HttpTransport().poll(spec(url, "WD_TEST_HTTP_SECRET", username="pti"), {}, keep)
    assert got == [FEED, FEED]
    monkeypatch.setenv("WD_TEST_HTTP_SECRET", "wrong")
    with pytest.raises(TransportError, match="HTTP 401") as denied:
        HttpTransport().poll(spec(url, "WD_TEST_HTTP_SECRET", username="pti"), {}, nothing)
    assert "wrong" not in str(denied.value)
    monkeypatch.delenv("WD_TEST_HTTP_SECRET")
    with pytest.raises(TransportError, match="WD_TEST_HTTP_SECRET is not set"):
        HttpTransport().poll(spec(url, "WD_TEST_HTTP_SECRET", auth="bearer"), {}, nothing)
    assert isinstance(for_name("http"), HttpTransport)


# Where a poll may go: redirects and names are judged by the addresses they reach -------------


def redirect(base: str, to: str) -> str:
    return f"{base}/redirect?to={quote(to, safe='')}"


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),  # the cloud metadata service
        ("http://10.20.30.40/admin", "private"),
        ("http://192.168.1.1:8080/", "private"),
        ("http://[fd00::1]/", "private"),
        ("http://100.64.0.1/", "private"),
        ("http://[fe80::1]/", "link-local"),
    ],
)
def test_a_loopback_feed_may_not_redirect_to_other_internal_addresses(
    wire: tuple[Wire, str], target: str, kind: str
) -> None:
    started = time.monotonic()
    with pytest.raises(TransportError) as refused:
        HttpTransport().poll(spec(redirect(wire[1], target)), {}, nothing)
    message = str(refused.value)
    assert f"a {kind} address, for a source whose location is loopback" in message
    assert "allow_internal_redirects" in message
    assert time.monotonic() - started < 2  # refused, not tried until a connect timeout


def test_a_loopback_feed_may_redirect_within_loopback_by_address_or_name(
    desk: Desk, wire: tuple[Wire, str]
) -> None:
    sink = DeskSink(desk, "web")
    port = wire[1].rsplit(":", 1)[1]
    HttpTransport().poll(spec(redirect(wire[1], f"http://localhost:{port}/feed")), {}, sink)
    assert [d.data for d in sink.deliveries] == [FEED]


def public_source(allow_internal: bool = False) -> Allowed:
    """What a source on the internet may reach (8.8.8.8 needs no DNS to be judged public)."""
    allowed = Allowed.for_location("8.8.8.8", 80, allow_internal)
    assert allowed.kinds == (
        {"public", "loopback", "link-local", "private"} if allow_internal else {"public"}
    )
    return allowed


@pytest.mark.parametrize(
    ("host", "shown"),
    [
        ("127.0.0.1", "refused to connect to 127.0.0.1, a loopback address"),
        ("localhost", "refused to connect to localhost (127.0.0.1, a loopback address)"),
        ("0.0.0.0", "0.0.0.0, a loopback address"),
        ("[::ffff:127.0.0.1]", "to ::ffff:7f00:1, a loopback address"),
    ],
)
def test_a_public_source_never_reaches_loopback_whatever_the_name_says(
    wire: tuple[Wire, str], host: str, shown: str
) -> None:
    state, base = wire
    port = base.rsplit(":", 1)[1]
    with (
        httpx.Client(transport=GuardedTransport(public_source())) as client,
        pytest.raises(Refused) as refused,
    ):
        client.get(f"http://{host}:{port}/feed")
    assert shown in str(refused.value) and "whose location is public" in str(refused.value)
    assert state.requests == []  # checked at connect time: the server never saw a request


def test_a_public_source_that_opts_in_may_reach_internal_addresses(wire: tuple[Wire, str]) -> None:
    state, base = wire
    with httpx.Client(transport=GuardedTransport(public_source(allow_internal=True))) as client:
        assert client.get(f"{base}/feed").content == FEED
    assert [path for path, _ in state.requests] == ["/feed"]


def test_the_option_reaches_the_poll(wire: tuple[Wire, str]) -> None:
    # TEST-NET-2: documentation space, a private kind of address nobody should answer on.
    target = redirect(wire[1], "http://198.51.100.1/feed")
    got: list[Delivery] = []
    try:
        HttpTransport().poll(
            spec(target, allow_internal_redirects="true", timeout=0.2), {}, got.append
        )
    except TransportError as exc:  # it was tried: timed out, unreachable or answered
        assert "refused to connect" not in str(exc)


def test_address_kinds() -> None:
    import ipaddress

    kinds = {
        "8.8.8.8": "public",
        "2001:4860:4860::8888": "public",
        "127.0.0.53": "loopback",
        "::1": "loopback",
        "0.0.0.0": "loopback",
        "::ffff:127.0.0.1": "loopback",
        "169.254.169.254": "link-local",
        "fe80::1": "link-local",
        "10.0.0.1": "private",
        "172.16.5.4": "private",
        "192.168.0.1": "private",
        "100.64.0.1": "private",
        "fd12::1": "private",
        "::ffff:10.0.0.1": "private",
        "224.0.0.1": "reserved",
        "255.255.255.255": "reserved",
        "240.0.0.1": "reserved",
    }
    assert {a: kind_of(ipaddress.ip_address(a)) for a in kinds} == kinds
