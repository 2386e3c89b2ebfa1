"""Wire-to-live latency: spool and push arrivals at a steady rate while the site serves.

    python -m bench.latency [--rate 50] [--seconds 60] [--kills 50]

Starts `wiredesk run` (polling, scheduler and site in one process) on a loopback port with a
folder source `spool` (section "spool") and a push source `pushed` (section "pushed", bearer
secret in $BENCH_PUSH_SECRET). A light background load GETs `/` about 5 times a second.

Spool: each file is written as NAME.tmp and renamed into the spool folder (atomic); the clock
starts at the rename. Push: the clock starts when the POST is sent. A story counts as live at
the first GET of its own page (`/{section}/{slug}`, slug = `wiredesk.desk.publish.story_slug(item)`)
that answers 200; the poller asks for every awaited page in turn, every 10 ms (through the
page cache, as readers do). At high rates one story in `--sample` is awaited (its landing
chosen in advance), so the polling itself stays light. At the end every story page is
fetched once to confirm it answers 200.
Kill-to-410: kill versions of live stories are dropped into the spool (5/s) and each story
page is polled every 25 ms until it answers 410.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bench import generator as gen

SECRET = "bench-push-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {
        "n": len(ordered),
        "p50_ms": pick(0.50) * 1000,
        "p95_ms": pick(0.95) * 1000,
        "p99_ms": pick(0.99) * 1000,
        "max_ms": ordered[-1] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


@dataclass
class Planned:
    story: gen.Story
    data: bytes
    slug: str
    name: str


def plan(
    count: int, seed: int, prefix: str, formats: tuple[str, ...] = gen.FORMATS
) -> list[Planned]:
    """`count` new stories round-robin over `formats`, with the slug the desk will give each."""
    from wiredesk import formats as wire_formats
    from wiredesk.desk.publish import story_slug

    rng = random.Random(seed)
    words = gen.Words(rng, gen.vocabulary(seed))
    out = []
    for i in range(count):
        fmt = formats[i % len(formats)]
        story = gen.Story(
            n=seed * 100_000 + i,
            fmt=fmt,
            headline=words.headline(),
            city=rng.choice(gen.CITIES),
            created=gen.EPOCH + timedelta(minutes=i),
            paragraphs=words.paragraphs(rng.randint(400, 1500)),
        )
        data = gen.BUILDERS[fmt](story, False, False)
        item = wire_formats.parse(data).items[0]
        out.append(Planned(story, data, story_slug(item), f"{prefix}{i:06d}.{gen.EXTENSIONS[fmt]}"))
    return out


class Site:
    """`wiredesk run` in a subprocess with a spool and a push source."""

    def __init__(self, work: Path, settle: float | None, toml: str = "") -> None:
        self.work = work
        self.spool = work / "spool"
        self.spool.mkdir(parents=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        (work / "wiredesk.toml").write_text(f'[desk]\ndata_dir = "{work / "var"}"\n{toml}')
        self.env = {**os.environ, "BENCH_PUSH_SECRET": SECRET}
        cli = [sys.executable, "-m", "wiredesk", "--config", str(work / "wiredesk.toml")]
        options = ["--option", f"settle_seconds={settle}"] if settle is not None else []
        for args in (
            ["sources", "add", "spool", "--transport", "folder", "--location", str(self.spool)]
            + ["--section", "spool", "--interval", "1", *options],
            ["sources", "add", "pushed", "--transport", "push", "--section", "pushed"]
            + ["--secret-env", "BENCH_PUSH_SECRET"],
        ):
            subprocess.run([*cli, *args], check=True, env=self.env, capture_output=True)
        self.proc = subprocess.Popen(
            [*cli, "run", "--port", str(self.port)],
            env=self.env,
            stdout=(work / "run.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"wiredesk run did not come up; see {work / 'run.log'}")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Watcher(threading.Thread):
    """Polls awaited story pages and records when each first answers 200."""

    def __init__(self, base: str, section: str, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.url = f"{base}/{section}/"
        self.section = section
        self.interval = interval
        self.awaited: dict[str, float] = {}
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.polls = 0

    def expect(self, slug: str, landed: float) -> None:
        with self.lock:
            self.awaited[slug] = landed

    def run(self) -> None:
        with httpx.Client(timeout=10, base_url=self.url) as client:
            while not self.done.is_set():
                started = time.perf_counter()
                with self.lock:
                    slugs = list(self.awaited)
                for slug in slugs:
                    try:
                        live = client.get(slug).status_code == 200
                    except httpx.HTTPError:
                        live = False
                    self.polls += 1
                    if live:
                        at = time.perf_counter()
                        with self.lock:
                            self.seen[slug] = at - self.awaited.pop(slug)
                time.sleep(max(0.0, self.interval - (time.perf_counter() - started)))

    def wait_empty(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.awaited:
                    return
            time.sleep(0.1)


class Background(threading.Thread):
    """A light reader load: GET / about `rate` times a second."""

    def __init__(self, base: str, rate: float = 5) -> None:
        super().__init__(daemon=True)
        self.base, self.rate = base, rate
        self.done = threading.Event()
        self.times: list[float] = []

    def run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self.done.is_set():
                started = time.perf_counter()
                try:
                    client.get(self.base + "/")
                    self.times.append(time.perf_counter() - started)
                except httpx.HTTPError:
                    pass
                time.sleep(max(0.0, 1 / self.rate - (time.perf_counter() - started)))


def paced(items: list[Planned], rate: float, send: Callable[[Planned], None]) -> None:
    start = time.perf_counter()
    for i, planned in enumerate(items):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        send(planned)


def drop(spool: Path, planned: Planned) -> float:
    tmp = spool / (planned.name + ".tmp")
    tmp.write_bytes(planned.data)
    os.replace(tmp, spool / planned.name)
    return time.perf_counter()


def spool_run(site: Site, items: list[Planned], rate: float, sample: int) -> dict[str, Any]:
    watcher = Watcher(site.base, "spool")
    watcher.start()
    awaited = {p.slug for p in items[::sample]}

    def send(planned: Planned) -> None:
        landed = drop(site.spool, planned)
        if planned.slug in awaited:
            watcher.expect(planned.slug, landed)

    paced(items, rate, send)
    watcher.wait_empty(30)
    watcher.done.set()
    return {"latency": percentiles(list(watcher.seen.values())), "missing": len(watcher.awaited)}


def push_run(site: Site, items: list[Planned], rate: float, sample: int) -> dict[str, Any]:
    watcher = Watcher(site.base, "pushed")
    watcher.start()
    awaited = {p.slug for p in items[::sample]}
    client = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=16))
    statuses: dict[int, int] = {}
    post_times: list[float] = []
    lock = threading.Lock()

    def post(planned: Planned) -> None:
        started = time.perf_counter()
        if planned.slug in awaited:
            watcher.expect(planned.slug, started)
        status = client.post(
            f"{site.base}/ingest/pushed",
            content=planned.data,
            headers={"Authorization": f"Bearer {SECRET}", "X-Wiredesk-Filename": planned.name},
        ).status_code
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            post_times.append(time.perf_counter() - started)

    with ThreadPoolExecutor(32) as pool:
        paced(items, rate, lambda p: pool.submit(post, p) and None)
    watcher.wait_empty(30)
    watcher.done.set()
    client.close()
    return {
        "latency": percentiles(list(watcher.seen.values())),
        "missing": len(watcher.awaited),
        "post_statuses": statuses,
        "post_response": percentiles(post_times),
    }


def kill_run(site: Site, live: list[Planned], rate: float) -> dict[str, Any]:
    pending: dict[str, float] = {}
    gone: dict[str, float] = {}
    lock = threading.Lock()
    done = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=10) as client:
            while not done.is_set():
                with lock:
                    slugs = list(pending)
                for slug in slugs:
                    if client.get(f"{site.base}/spool/{slug}").status_code == 410:
                        at = time.perf_counter()
                        with lock:
                            gone[slug] = at - pending.pop(slug)
                time.sleep(0.005)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()

    def send(planned: Planned) -> None:
        story = planned.story
        story.version += 1
        kill = Planned(story, gen.BUILDERS[story.fmt](story, True, False), planned.slug, "")
        kill.name = "kill-" + planned.name
        landed = drop(site.spool, kill)
        with lock:
            pending[planned.slug] = landed

    paced(live, rate, send)
    deadline = time.monotonic() + 30
    while pending and time.monotonic() < deadline:
        time.sleep(0.1)
    done.set()
    return {"latency": percentiles(list(gone.values())), "missing": len(pending)}


def confirm(site: Site, section: str, items: list[Planned]) -> dict[int, int]:
    counts: dict[int, int] = {}
    with httpx.Client(timeout=10) as client:
        for planned in items:
            status = client.get(f"{site.base}/{section}/{planned.slug}").status_code
            counts[status] = counts.get(status, 0) + 1
    return counts


def run(
    rates: list[float], seconds: float, kills: int, settle: float | None, sample_above: float = 100
) -> dict[str, Any]:
    """Each rate for `seconds` into one `wiredesk run`, spool then push; then kills at 5/s."""
    work = Path(tempfile.mkdtemp(prefix="wiredesk-latency-", dir=os.environ.get("BENCH_TMP")))
    site = Site(work, settle)
    background = Background(site.base)
    background.start()
    result: dict[str, Any] = {"seconds": seconds, "settle_seconds": settle, "rates": {}}
    try:
        for n, rate in enumerate(rates):
            count = int(rate * seconds)
            # One story in `sample` is awaited at high rates: 50 a second, spread evenly.
            sample = max(1, int(rate // 50)) if rate > sample_above else 1
            spool_items = plan(count, 7 + 2 * n, f"s{n}-")
            push_items = plan(count, 8 + 2 * n, f"p{n}-")
            at: dict[str, Any] = {"rate": rate, "sample": sample}
            at["spool"] = spool_run(site, spool_items, rate, sample)
            at["spool"]["pages"] = confirm(site, "spool", spool_items[::sample])
            at["push"] = push_run(site, push_items, rate, sample)
            at["push"]["pages"] = confirm(site, "pushed", push_items[::sample])
            result["rates"][str(rate)] = at
            if n == 0:
                killable = [p for p in spool_items if p.story.fmt in gen.KILLABLE][:kills]
                result["kill"] = kill_run(site, killable, 5)
        background.done.set()
        result["background_home_get"] = percentiles(background.times)
    finally:
        background.done.set()
        site.stop()
        shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="wire-to-live latency")
    parser.add_argument("--rates", default="50,1000")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--settle", type=float, default=None, help="spool settle_seconds option")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    print(json.dumps(run(rates, args.seconds, args.kills, args.settle)))


if __name__ == "__main__":
    main()
