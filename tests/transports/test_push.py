from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

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
def site(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
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
