"""The hostile corpus through the real spool and a real `wiredesk worker` process: each file is
quarantined with a readable reason in bounded time and memory, and the next good file goes on.

tests/desk/test_hostile.py holds the corpus and checks it desk-level; this adds the transport,
the worker process, its peak memory (VmHWM), more variants, and a 200 MB file.
"""

from __future__ import annotations

import importlib.util
import json
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from relkit import add_spool, drop, peak_rss_mb, wait_until, worker
from sqlalchemy import select

from conftest import PG_URL, pg_schema
from wiredesk import Desk, open_desk
from wiredesk.config import Config
from wiredesk.store.models import Quarantine, Story

SMALL_MB, BIG_MB, SECONDS = 300, 1500, 30
HERE = Path(__file__).resolve().parent


def desk_corpus() -> dict[str, tuple[bytes, str]]:
    """The desk-level corpus, loaded from its file rather than copied."""
    spec = importlib.util.spec_from_file_location(
        "hostile_corpus", HERE.parent / "desk" / "test_hostile.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.CORPUS)


EXTRA: dict[str, tuple[bytes, str]] = {
    "parameter-entity.xml": (
        # A parameter entity with text of its own (XXE indirection); an external one alone is
        # skipped unread (Kyodo's DOCTYPE), so this one carries the declaration it would smuggle.
        b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY % ext "<!ENTITY x SYSTEM \'file:///etc/passwd\'>"> %ext;]><nitf>&x;</nitf>',
        "DOCTYPE",
    ),
    "external-dtd-public.xml": (
        b'<!DOCTYPE newsItem PUBLIC "-//x//EN" "http://127.0.0.1:9/x.dtd"><newsItem guid="g">&leak;</newsItem>',
        "entity",
    ),
    "deep-g2.xml": (
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">'
        + b"<a>" * 100_000
        + b"</a>" * 100_000
        + b"</newsItem>",
        "deeper than",
    ),
    "invalid-utf8.json": (
        b'{"uri": "u", "type": "text", "headline": "' + bytes(range(0x80, 0x100)) * 8 + b'"}',
        "byte 43 (0x81) is not valid UTF-8",
    ),
    # Valid JSON escapes that are not text: PostgreSQL refuses NUL, UTF-8 a lone surrogate.
    "nul-escape.json": (b'{"uri": "u", "type": "text", "headline": "a\\u0000b"}', "U+0000"),
    "lone-surrogate.json": (b'{"uri": "u", "type": "text", "headline": "\\ud800"}', "U+D800"),
    "nul-in-json.json": (
        b'{"uri": "u", "headline": "a\x00b", "body_text": "x\x00y"}',
        "control character",
    ),
    "binary-garbage.bin": (bytes((i * 7919 + 13) % 256 for i in range(64_000)), ""),
    "truncated-ninjs.json": (b'{"uri": "urn:x", "type": "text", "headline": "Cut', ""),
    "deep-ninjs.json": (
        b'{"uri": "u", "body_text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "nested",
    ),
}


def good(n: int) -> bytes:
    return json.dumps(
        {
            "uri": f"urn:good:{n}",
            "type": "text",
            "headline": f"Good story {n}",
            "body_text": "New Delhi, June 1 (PTI) Fine text.",
        }
    ).encode()


@dataclass
class Spool:
    folder: Path
    desk: Desk
    pid: int


@pytest.fixture
def spool(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Spool]:
    url = getattr(request, "param", "sqlite")
    with ExitStack() as stack:
        if url == "postgresql":
            if not PG_URL:
                pytest.skip("PostgreSQL: set WIREDESK_TEST_PG to run this half")
            url = stack.enter_context(pg_schema())
        else:
            url = f"sqlite:///{tmp_path / 'var' / 'wd.db'}"
        yield from running(tmp_path, url)


def running(tmp_path: Path, url: str) -> Iterator[Spool]:
    config = Config(data_dir=tmp_path / "var", db_url=url)
    folder = tmp_path / "in"
    add_spool(config, folder)
    log = tmp_path / "worker.log"
    proc = worker(config, "hostile", log, lease=30)
    desk = open_desk(config)
    try:
        yield Spool(folder, desk, proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        desk.store.close()
        assert code == 0, log.read_text()[-3000:]


def published(desk: Desk, uri: str) -> bool:
    with desk.store.session() as session:
        story = session.scalars(select(Story).where(Story.uri == uri)).one_or_none()
        return story is not None and story.state == "published"


def reason_of(desk: Desk, name: str) -> str | None:
    with desk.store.session() as session:
        rows = session.scalars(select(Quarantine).where(Quarantine.filename == name)).all()
        assert len(rows) <= 1, f"{name} quarantined {len(rows)} times"
        return rows[0].reason if rows else None


def readable(reason: str) -> bool:
    return 10 <= len(reason) <= 500 and reason.isprintable()


def send_then_good(spool: Spool, name: str, data: bytes | None, n: int) -> tuple[str, float]:
    """Drop the file (unless already there) and a good one after it; both done in time."""
    started = time.monotonic()
    if data is not None:
        drop(spool.folder, name, data)
    drop(spool.folder, f"zz-good-{n:03d}.json", good(n))  # sorts after the hostile file
    assert wait_until(lambda: published(spool.desk, f"urn:good:{n}"), SECONDS), (
        f"{name}: the next good file was not published within {SECONDS} s"
    )
    reason = reason_of(spool.desk, name) if name else ""
    assert reason is not None, f"{name} was not quarantined"
    return reason, time.monotonic() - started


@pytest.mark.parametrize("spool", ["sqlite", "postgresql"], indirect=True)
def test_every_hostile_file_is_quarantined_in_bounded_time_and_memory(spool: Spool) -> None:
    corpus = {**desk_corpus(), **EXTRA}
    send_then_good(spool, "", None, 999)  # warm up: the worker has read and published a file
    baseline = peak_rss_mb(spool.pid)
    report = []
    for n, (name, (data, expected)) in enumerate(sorted(corpus.items())):
        reason, seconds = send_then_good(spool, name, data, n)
        assert expected in reason, (name, reason)
        assert readable(reason), (name, reason)
        peak = peak_rss_mb(spool.pid)
        assert peak < SMALL_MB, f"{name}: the worker's peak RSS reached {peak:.0f} MiB"
        report.append(f"{name}: {seconds:.2f} s, peak {peak:.0f} MiB: {reason[:70]}")
        assert not list((spool.folder / "error").glob(f"*/{name}~*")), "delivered twice"
    assert sorted(p.name for p in (spool.folder / "error").glob("*/*")) == sorted(corpus)
    print(f"\nworker baseline {baseline:.0f} MiB\n" + "\n".join(report))


def write_big(path: Path, megabytes: int) -> None:
    """A NITF-looking file of `megabytes` MiB, streamed in 1 MiB chunks (never whole in memory)."""
    chunk = (b"<p>" + b"word " * 209_700 + b"</p>\n")[: 1024 * 1024]
    with path.open("wb") as handle:
        handle.write(b'<?xml version="1.0"?><nitf><body><body.content>')
        for _ in range(megabytes):
            handle.write(chunk)
        handle.write(b"</body.content></body></nitf>")


def test_a_200_mb_file_is_quarantined_and_the_spool_goes_on(spool: Spool) -> None:
    name = "huge.nitf.xml"
    tmp = spool.folder / f".{name}.part"
    write_big(tmp, 200)
    size = tmp.stat().st_size
    send_then_good(spool, "", None, 0)  # warm up: the worker has read and published a file
    before = peak_rss_mb(spool.pid)
    tmp.rename(spool.folder / name)
    reason, seconds = send_then_good(spool, name, None, 1)
    peak = peak_rss_mb(spool.pid)
    print(
        f"\n200 MiB file ({size:,} bytes): quarantined in {seconds:.1f} s, worker peak RSS "
        f"{before:.0f} -> {peak:.0f} MiB: {reason}"
    )
    assert "limit" in reason and readable(reason)
    assert seconds < SECONDS
    assert peak < BIG_MB


def test_symlinks_in_the_spool_are_refused_unread_by_the_worker(
    spool: Spool, tmp_path: Path
) -> None:
    """Issue 24 #2 through a real `wiredesk worker`: a link to a story outside the spool and
    a link to /etc/passwd are quarantined by name and reason; neither's bytes are archived."""
    outside = tmp_path / "outside.json"
    outside.write_bytes(good(500).replace(b"urn:good:500", b"urn:outside:1"))
    (spool.folder / "link.json").symlink_to(outside)
    (spool.folder / "passwd").symlink_to("/etc/passwd")
    reason, _seconds = send_then_good(spool, "link.json", None, 501)
    assert "symbolic link" in reason
    assert "symbolic link" in (reason_of(spool.desk, "passwd") or "")
    assert not published(spool.desk, "urn:outside:1")
    archive = spool.desk.store.archive.root
    kept = [p.read_bytes() for p in archive.rglob("*") if p.is_file()]
    assert not [k for k in kept if k in (outside.read_bytes(), Path("/etc/passwd").read_bytes())]
