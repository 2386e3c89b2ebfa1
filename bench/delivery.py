"""Delivery lag per target kind at a steady wire rate, next to wire-to-live in the same run.

    python -m bench.delivery [--rate 50] [--seconds 30] [--kinds webhook,static,wordpress]

Starts `wiredesk run` (bench.latency.Site: a spool folder source) with one target of each
kind: a signed webhook to a receiver in this process, a static folder, and (when Debian's
WordPress, php-cli and MariaDB are there) a WordPress served by `php -S` with 4 workers,
installed by the test kit (tests/deliver/wpkit.py). Files are dropped into the spool at
`--rate` per second.

Delivery lag = outbox row `delivered_at - created_at`: from the change committing (the story
going live) to the target acknowledging it, as the desk records both on one clock. Webhook
wire-to-target = the receiver getting the POST minus the file's rename into the spool.
Wire-to-live is measured as bench.latency measures it (the section page lists the story).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from bench import generator as gen
from bench import latency

ROOT = Path(__file__).resolve().parents[1]
HOOK_SECRET = "bench-hook-secret-0123456789"


class Arrivals:
    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def serving(self) -> Iterator[str]:
        arrivals = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = unquote(self.headers.get("Idempotency-Key", ""))
                with arrivals.lock:
                    arrivals.at.setdefault(key, time.perf_counter())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/hook"
        finally:
            server.shutdown()
            server.server_close()


def add_target(work: Path, env: dict[str, str], *args: str) -> None:
    cli = [sys.executable, "-m", "wiredesk", "--config", str(work / "wiredesk.toml")]
    subprocess.run([*cli, "targets", "add", *args], check=True, env=env, capture_output=True)


def outbox_lags(work: Path) -> dict[str, Any]:
    from sqlalchemy import select

    from wiredesk import Config, open_desk
    from wiredesk.store.models import OutboxRow, Target

    desk = open_desk(Config(data_dir=work / "var"))
    try:
        with desk.store.session() as session:
            rows = session.execute(
                select(
                    Target.kind,
                    OutboxRow.state,
                    OutboxRow.created_at,
                    OutboxRow.delivered_at,
                    OutboxRow.action,
                ).join(Target, Target.id == OutboxRow.target_id)
            ).all()
    finally:
        desk.store.close()
    kinds: dict[str, Any] = {}
    for kind in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == kind]
        lags = [(r[3] - r[2]).total_seconds() for r in mine if r[1] == "done" and r[3]]
        kill_lags = [
            (r[3] - r[2]).total_seconds()
            for r in mine
            if r[1] == "done" and r[3] and r[4] == "kill"
        ]
        kinds[kind] = {
            "lag": latency.percentiles(lags),
            "kill_lag": latency.percentiles(kill_lags) if kill_lags else {},
            "pending": sum(1 for r in mine if r[1] == "pending"),
        }
    return kinds


def backlog(work: Path) -> int:
    kinds = outbox_lags(work)
    return sum(k["pending"] for k in kinds.values())


def run(rate: float, seconds: float, kinds: list[str]) -> dict[str, Any]:
    count = int(rate * seconds)
    items = latency.plan(count, 11, "d")
    work = Path(tempfile.mkdtemp(prefix="wiredesk-delivery-", dir=os.environ.get("BENCH_TMP")))
    (work / "wiredesk.toml").write_text(f'[desk]\ndata_dir = "{work / "var"}"\n')
    os.environ["BENCH_HOOK_SECRET"] = HOOK_SECRET
    arrivals = Arrivals()
    result: dict[str, Any] = {"rate": rate, "seconds": seconds, "stories": count}
    with contextlib.ExitStack() as stack:
        env = dict(os.environ)
        if "webhook" in kinds:
            url = stack.enter_context(arrivals.serving())
            add_target(
                work, env, "hook", "--kind", "webhook", "--location", url,
                "--secret-env", "BENCH_HOOK_SECRET",
            )  # fmt: skip
        if "static" in kinds:
            add_target(work, env, "cdn", "--kind", "static", "--location", str(work / "out"))
        if "wordpress" in kinds:
            sys.path[:0] = [str(ROOT / "tests" / "deliver"), str(ROOT / "tests")]
            import wpkit

            reason = wpkit.unavailable()
            if reason:
                result["wordpress_skipped"] = reason
            else:
                wp = stack.enter_context(wpkit.wordpress(work / "wp"))
                os.environ["BENCH_WP_PASSWORD"] = env["BENCH_WP_PASSWORD"] = wp.app_password
                add_target(
                    work, env, "cms", "--kind", "wordpress", "--location", wp.url,
                    "--secret-env", "BENCH_WP_PASSWORD", "--option", f"user={wp.user}",
                )  # fmt: skip
        site = latency.Site(work, None)
        try:
            watcher = latency.Watcher(site.base, "spool")
            watcher.start()
            landed: dict[str, float] = {}

            def send(planned: latency.Planned) -> None:
                at = latency.drop(site.spool, planned)
                landed[planned.slug] = at
                watcher.expect(planned.slug, at)

            # Kills in the burst: every 25th killable story is withdrawn 40 files after it was
            # sent, so each kill has a backlog of new stories around it.
            schedule: list[latency.Planned] = []
            for i, planned in enumerate(items):
                schedule.append(planned)
                back = i - 40
                if back >= 0 and back % 25 == 0 and items[back].story.fmt in gen.KILLABLE:
                    schedule.append(kill_of(items[back]))
            result["kills"] = len(schedule) - len(items)

            def send_or_kill(planned: latency.Planned) -> None:
                if planned.name.startswith("kill-"):
                    latency.drop(site.spool, planned)
                else:
                    send(planned)

            started = time.perf_counter()
            latency.paced(schedule, rate, send_or_kill)
            result["send_seconds"] = time.perf_counter() - started
            watcher.wait_empty(60)
            watcher.done.set()
            result["wire_to_live"] = latency.percentiles(list(watcher.seen.values()))
            result["live_missing"] = len(watcher.awaited)
            deadline = time.monotonic() + 300
            while backlog(work) and time.monotonic() < deadline:
                time.sleep(0.5)
            result["drain_seconds"] = time.perf_counter() - started
        finally:
            site.stop()
        result["kinds"] = outbox_lags(work)
        if "webhook" in kinds:
            result["webhook_wire_to_target"] = wire_to_target(items, landed, arrivals)
    shutil.rmtree(work, ignore_errors=True)
    return result


def kill_of(planned: latency.Planned) -> latency.Planned:
    """A kill of a planned story: its next version, withdrawn, in its own format."""
    story = dataclasses.replace(planned.story, version=planned.story.version + 1, killed=True)
    data = gen.BUILDERS[story.fmt](story, True, False)
    return latency.Planned(story, data, planned.slug, "kill-" + planned.name)


def wire_to_target(
    items: list[latency.Planned], landed: dict[str, float], arrivals: Arrivals
) -> dict[str, float]:
    from wiredesk import formats

    lags = []
    for planned in items:
        item = formats.parse(planned.data).items[0]
        at = arrivals.at.get(f"{item.uri}@{item.version}:publish")
        start = landed.get(planned.slug)
        if at is not None and start is not None:
            lags.append(at - start)
    return latency.percentiles(lags)


def main() -> None:
    parser = argparse.ArgumentParser(description="delivery lag per target kind")
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--kinds", default="webhook,static,wordpress")
    args = parser.parse_args()
    print(json.dumps(run(args.rate, args.seconds, args.kinds.split(","))))


if __name__ == "__main__":
    main()
