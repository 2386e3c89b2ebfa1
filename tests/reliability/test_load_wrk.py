"""`wiredesk run` (site and spool worker in one process) under wrk while files land in its spool
at 100 stories a second: no error answers, no socket errors, and every story ends as the
manifest says.

Short form: 32 connections for 10 s, 1,000 files. Long form: 64 connections for 60 s, 6,000.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from relkit import LONG, add_spool, check_against_manifest, generate, pending, wiredesk
from sqlalchemy import select

from livesite import free_port
from wiredesk import Desk, open_desk
from wiredesk.config import Config
from wiredesk.site.render import story_url
from wiredesk.store.models import Story

WRK = shutil.which("wrk")
SECONDS, CONNECTIONS, FILES = (60, 64, 6_000) if LONG else (10, 32, 1_000)
RATE = 100  # stories a second into the spool
PRE = 100  # files ingested before the load starts, so section and story pages exist
LUA = """
local paths = {PATHS}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""

pytestmark = pytest.mark.skipif(
    WRK is None,
    reason="wrk is not installed (scripts/system-deps.sh installs it: apt-get install wrk)",
)


def feed(rows: list[dict[str, object]], files: Path, spool: Path, stop: threading.Event) -> None:
    started = time.monotonic()
    for k, row in enumerate(rows):
        if stop.is_set():
            return
        delay = started + k / RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        (spool / str(row["file"])).hardlink_to(files / str(row["file"]))  # atomic, complete


def test_the_site_answers_every_request_while_the_spool_ingests(tmp_path: Path) -> None:
    rows = generate(tmp_path / "corpus", FILES, 424242)
    files = tmp_path / "corpus" / "files"
    spool = tmp_path / "in"
    config = Config(data_dir=tmp_path / "var", db_url=f"sqlite:///{tmp_path / 'var' / 'wd.db'}")
    add_spool(config, spool)
    port = free_port()
    log = tmp_path / "run.log"
    proc = wiredesk(config, "run", "--host", "127.0.0.1", "--port", str(port), log=log)
    base = f"http://127.0.0.1:{port}"
    desk = open_desk(config)
    stop = threading.Event()
    try:
        assert wait_for_site(base, proc), log.read_text()[-3000:]
        feed(rows[:PRE], files, spool, stop)
        deadline = time.monotonic() + 60
        while pending(spool) and time.monotonic() < deadline:
            time.sleep(0.2)
        paths = pages(desk, rows[:PRE])
        script = tmp_path / "paths.lua"
        script.write_text(LUA.replace("{PATHS}", "{" + ", ".join(f'"{p}"' for p in paths) + "}"))
        feeder = threading.Thread(target=feed, args=(rows[PRE:], files, spool, stop))
        feeder.start()
        ran = subprocess.run(
            [str(WRK), "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "30s"]
            + ["-s", str(script), base + "/"],
            capture_output=True,
            text=True,
            timeout=SECONDS + 120,
        )
        out = ran.stdout + ran.stderr
        feeder.join(timeout=FILES / RATE + 60)
        fed = time.monotonic()
        deadline = fed + (600 if LONG else 180)
        while pending(spool) and time.monotonic() < deadline:
            time.sleep(0.2)
        drained = time.monotonic() - fed
        verdict = check_against_manifest(desk, rows, files, config.archive_dir)
    finally:
        stop.set()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
        desk.store.close()
    assert code == 0, log.read_text()[-3000:]
    requests = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert requests and int(requests.group(1)) > 0, out
    assert "Non-2xx or 3xx responses" not in out, out
    assert "Socket errors" not in out, out
    print(
        f"\nwrk {CONNECTIONS} connections, {SECONDS} s over {len(paths)} paths: "
        f"{requests.group(1)} requests, {rate.group(1) if rate else '?'} req/s, no errors; "
        f"{len(rows)} files fed at {RATE}/s, spool drained {drained:.1f} s after the last; "
        f"{verdict.stories} stories as the manifest says"
    )


def wait_for_site(base: str, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def pages(desk: Desk, rows: list[dict[str, object]]) -> list[str]:
    """Listings, feeds and a few stories that stay published to the end (by the manifest)."""
    keep = [str(r["uri"]) for r in rows if r["final"] == "published" and r["kind"] == "new"][:5]
    with desk.store.session() as session:
        stories = session.scalars(select(Story).where(Story.uri.in_(keep))).all()
        urls = [story_url(s) for s in stories]
        sections = sorted({s.section for s in stories})
    assert urls, "no story from the first files was published"
    return [
        "/",
        *(f"/{s}/" for s in sections),
        "/feed.atom",
        "/api/latest.json",
        "/sitemap.xml",
        "/search?q=ba",
        *urls,
        *(u + ".txt" for u in urls),
        *(u + ".json" for u in urls),
    ]
