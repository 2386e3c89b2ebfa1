"""Push bodies are streamed to disk: twelve concurrent 49 MiB uploads with a bogus signature do
not grow a real `wiredesk serve` process by more than 64 MiB at its peak (VmHWM).

Before streaming, each such body sat whole in memory until its signature was checked: the
probe that found it saw 177 MiB grow to 767 MiB.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from pathlib import Path

import httpx
from relkit import peak_rss_mb, wait_until, wiredesk

from livesite import free_port
from wire import ninjs
from wiredesk import open_desk
from wiredesk.config import Config, SourceConfig
from wiredesk.store import sources

UPLOADS = 12
BODY_MIB = 49
LIMIT_MIB = 64
ENV, SECRET = "WIREDESK_TEST_PUSH_MEMORY_SECRET", "the-push-secret-for-the-memory-test"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_twelve_concurrent_49_mib_bodies_with_a_bad_signature_stay_off_the_heap(
    tmp_path: Path,
) -> None:
    config = Config(data_dir=tmp_path / "var")
    desk = open_desk(config)
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session, SourceConfig(name="wire", transport="push", secret_env=ENV), desk.clock()
        )
    desk.store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Let all twelve in at once, so each body really is read (the default caps would turn
    # most of them away before reading, which proves nothing about memory).
    caps = f"[site]\npush_unverified_per_client = {UPLOADS}\npush_unverified_total = {UPLOADS}\n"
    log = tmp_path / "serve.log"
    proc = wiredesk(config, "serve", "--port", str(port), log=log, toml=caps, env={ENV: SECRET})
    try:
        assert wait_until(lambda: _up(base), 30), log.read_text()
        # Warm up every code path the uploads take, so imports and first-use caches count in
        # the baseline, not in the growth.
        small = ninjs("urn:mem:1", "Warm-up story.", headline="Warm-up")
        for headers in (
            {"X-Wiredesk-Signature": sign(small)},
            {"X-Wiredesk-Signature": "sha256=0"},
        ):
            httpx.post(f"{base}/ingest/wire", content=small, headers=headers, timeout=30)
        baseline = peak_rss_mb(proc.pid)

        body = bytes(range(256)) * (BODY_MIB * 1024 * 4)  # 49 MiB, shared by every sender
        assert len(body) == BODY_MIB * 1024 * 1024
        bogus = sign(body, "not the secret")
        answers: list[int] = []

        def upload() -> None:
            answer = httpx.post(
                f"{base}/ingest/wire",
                content=body,
                headers={"X-Wiredesk-Signature": bogus},
                timeout=300,
            )
            answers.append(answer.status_code)

        threads = [threading.Thread(target=upload) for _ in range(UPLOADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        peak = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    assert answers == [401] * UPLOADS, answers
    growth = peak - baseline
    print(
        f"\npeak RSS {baseline:.0f} -> {peak:.0f} MiB (+{growth:.1f}) over {UPLOADS} x {BODY_MIB} MiB"
    )
    assert growth < LIMIT_MIB, f"peak RSS grew by {growth:.0f} MiB"
    leftovers = list((config.archive_dir).glob(".incoming-*"))
    assert leftovers == [], "a refused body left its spool file behind"


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
