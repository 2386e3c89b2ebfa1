"""A hostile corpus, each file received by a real desk: quarantined with a reason, and the
next good file still published."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wiredesk import Desk, formats
from wiredesk.store.models import Version

PASSWD = Path("/etc/passwd")
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY l0 "lol">'
    + b"".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10))
    + b"]><nitf><body><body.content><p>&l9;</p></body.content></body></nitf>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><nitf><head><title>&xxe;</title></head><body><body.content><p>&xxe;</p></body.content></body></nitf>'
FEED_XXE = '<?xml version="1.0" encoding="{enc}"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><guid>x</guid><title>&xxe;</title><description>&xxe;</description></item></channel></rss>'
QUADRATIC = (
    b'<!DOCTYPE rss [<!ENTITY big "'
    + b"x" * 50_000
    + b'">]><rss><channel><item><title>'
    + b"&big;" * 20_000
    + b"</title></item></channel></rss>"
)

CORPUS: dict[str, tuple[bytes, str]] = {
    "billion-laughs.xml": (LAUGHS, "DOCTYPE"),
    "xxe-passwd.xml": (XXE, "DOCTYPE"),
    "xxe-feed.xml": (FEED_XXE.format(enc="utf-8").encode(), "DOCTYPE"),
    "xxe-feed-utf16.xml": (FEED_XXE.format(enc="utf-16").encode("utf-16"), "DOCTYPE"),
    "xxe-feed-utf16-no-bom.xml": (FEED_XXE.format(enc="utf-16").encode("utf-16-le"), "DOCTYPE"),
    "quadratic-blowup.xml": (QUADRATIC, "DOCTYPE"),
    "late-entity-feed.xml": (
        b"<rss><channel><item><title>t</title></item><!ENTITY e 'x'></channel></rss>",
        "entities",
    ),
    "external-dtd-entity.xml": (
        b'<!DOCTYPE nitf SYSTEM "file:///etc/passwd"><nitf><p>&secret;</p></nitf>',
        "undeclared entity",
    ),
    "deep-xml.xml": (b"<nitf>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</nitf>", "deeper than"),
    "deep-feed.xml": (
        b"<rss><channel><item><title>t</title>"
        + b"<a>" * 100_000
        + b"</a>" * 100_000
        + b"</item></channel></rss>",
        "deeper than",
    ),
    "json-bomb.json": (b"[" * 500_000 + b"]" * 500_000, "nested deeper"),
    "json-bomb-object.json": (
        b'{"uri": "u", "x": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"}",
        "nested deeper",
    ),
    "jsonfeed-bomb.json": (
        b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000,
        "nested",
    ),
    "nul-garbage.bin": (b"\x00\x01\x02\x03" * 2000, "NUL bytes"),
    "undecodable.xml": (
        b"<nitf>" + bytes(range(0x80, 0x100)) * 8 + b"</nitf>",
        "byte 7 (0x81) is not valid UTF-8",
    ),
    "truncated.xml": (b'<?xml version="1.0"?><nitf><head><title>Cut', "not well-formed"),
    "broken-utf16.xml": (
        b"\xff\xfe" + "<nitf>".encode("utf-16-le") + b"\x00\xd8",
        "not valid UTF-16",
    ),
    "empty.xml": (b"   \n", "empty"),
}


def good(n: int) -> bytes:
    return json.dumps(
        {"uri": f"urn:good:{n}", "type": "text", "headline": f"Good {n}", "body_text": "Fine text."}
    ).encode()


def receive_then_good(desk: Desk, name: str, data: bytes, n: int) -> tuple[str, str]:
    bad = desk.receive(data, source="local", filename=name)
    ok = desk.receive(good(n), source="local", filename=f"good-{n}.json")
    story = desk.store.story(ok.stories[0])
    assert ok.outcome == "accepted" and story is not None and story.state == "published"
    return bad.outcome, bad.detail


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_file_is_quarantined_and_the_next_file_published(
    desk: Desk, name: str
) -> None:
    data, reason = CORPUS[name]
    started = time.monotonic()
    outcome, detail = receive_then_good(desk, name, data, 1)
    assert time.monotonic() - started < 5
    assert outcome == "quarantined"
    assert reason in detail
    [entry] = desk.store.quarantine()
    assert entry.filename == name and entry.reason == detail


def passwd_lines() -> list[str]:
    if not PASSWD.exists():
        pytest.skip("no /etc/passwd on this machine")
    return [line for line in PASSWD.read_text(errors="replace").splitlines() if len(line) > 8]


def test_xxe_never_leaks_the_file_anywhere(desk: Desk) -> None:
    lines = passwd_lines()
    for n, name in enumerate(
        ["xxe-passwd.xml", "xxe-feed.xml", "xxe-feed-utf16.xml", "external-dtd-entity.xml"]
    ):
        receive_then_good(desk, name, CORPUS[name][0], n)
    stored = [q.reason for q in desk.store.quarantine()]
    stored += [r.detail for r in desk.store.receipts()]
    with desk.store.session() as session:
        stored += [json.dumps(v.item) for v in session.query(Version).all()]
    assert len(desk.store.quarantine()) == 4
    for text in stored:
        assert not any(line in text for line in lines)
        assert "root:x:0:0" not in text


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.3)
    yield server
    server.close()


def test_no_network_is_touched_while_parsing(desk: Desk, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}/evil.dtd"
    files = [
        f'<!DOCTYPE nitf SYSTEM "{url}"><nitf><p>&leak;</p></nitf>'.encode(),
        f'<!DOCTYPE nitf [<!ENTITY % p SYSTEM "{url}"> %p;]><nitf/>'.encode(),
        f'<!DOCTYPE rss SYSTEM "{url}"><rss><channel><item><title>&leak;</title></item></channel></rss>'.encode(),
        f'<!DOCTYPE rss PUBLIC "-//x//EN" "{url}"><rss><channel><item><title>t</title></item></channel></rss>'.encode(),
        f'<?xml version="1.0"?><?xml-stylesheet href="{url}"?><nitf xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{url}"/></nitf>'.encode(),
    ]
    for n, data in enumerate(files):
        desk.receive(data, source="local", filename=f"net-{n}.xml")
        ok = desk.receive(good(n), source="local")
        assert ok.outcome == "accepted"
    with pytest.raises(TimeoutError):
        listener.accept()


def test_a_file_over_the_size_limit_is_quarantined(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "MAX_BYTES", 1000)
    outcome, detail = receive_then_good(
        desk, "big.json", b'{"uri": "u", "body_text": "' + b"x" * 2000 + b'"}', 1
    )
    assert outcome == "quarantined" and "over the 1,000-byte limit" in detail
