"""Issue 15, finding 6: invalid UTF-8 was published as mojibake ("bad Ã( utf8").

Pushed over real HTTP on loopback, as the probe sent them: a NITF that declares UTF-8 and a
ninjs file (JSON is UTF-8) whose headlines hold the broken sequence C3 28. Each must be
quarantined with the offset of the bad byte, nothing published, and the next file go through.
A documented fallback that reads the bytes exactly (a Windows-1252 label) still publishes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from livesite import serving
from wiredesk import Desk
from wiredesk.config import SourceConfig
from wiredesk.site.app import create_app
from wiredesk.store import sources
from wiredesk.transports.push import push_routes

SECRET = "bad-utf8-push-secret"
NITF = (
    b'<?xml version="1.0" encoding="UTF-8"?><nitf><head><docdata>'
    b'<doc-id id-string="urn:bad:nitf"/></docdata></head><body><body.head><hedline>'
    b"<hl1>bad \xc3\x28 utf8</hl1></hedline></body.head><body.content><p>Text.</p>"
    b"</body.content></body></nitf>"
)
NINJS = (
    b'{"uri": "urn:bad:ninjs", "type": "text", "headline": "bad \xc3\x28 utf8", "body_text": "x"}'
)


@pytest.fixture
def site(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    monkeypatch.setenv("WD_BAD_UTF8_SECRET", SECRET)
    with desk.store.session() as session, session.begin():
        source = SourceConfig(name="probe", transport="push", secret_env="WD_BAD_UTF8_SECRET")
        sources.upsert(session, source, desk.clock())
    app = create_app(desk.config, desk.store, clock=desk.clock, extra_routes=push_routes(desk))
    with serving(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


def push(site: httpx.Client, body: bytes) -> str:
    answer = site.post("/ingest/probe", content=body, headers={"Authorization": f"Bearer {SECRET}"})
    assert answer.status_code == 202
    return str(answer.json()["outcome"])


@pytest.mark.parametrize(("body", "offset"), [(NITF, 145), (NINJS, 58)], ids=["nitf", "ninjs"])
def test_invalid_utf8_is_quarantined_with_its_byte_offset(
    desk: Desk, site: httpx.Client, body: bytes, offset: int
) -> None:
    assert body[offset : offset + 2] == b"\xc3\x28"
    assert push(site, body) == "quarantined"
    (held,) = desk.store.quarantine()
    assert f"byte {offset} (0xC3) is not valid UTF-8" in held.reason
    assert desk.store.stories() == []
    assert "Ã(" not in site.get("/").text and "Ã(" not in site.get("/api/latest.json").text

    good = json.dumps({"uri": "urn:good", "type": "text", "headline": "Good", "body_text": "ok"})
    assert push(site, good.encode()) == "accepted"


def test_a_windows_1252_label_is_a_fallback_that_reads_exactly(
    desk: Desk, site: httpx.Client
) -> None:
    body = NITF.replace(b"UTF-8", b"windows-1252").replace(b"bad \xc3\x28", b"\x93good\x94 \xe9")
    assert push(site, body) == "accepted"
    (story,) = desk.store.stories()
    assert story.headline == "“good” é utf8"
