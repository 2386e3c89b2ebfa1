"""Scale: page latency with 10k, 100k and 1M stories in the store.

    python -m bench.scale [--sizes 10000,100000,1000000] [--requests 200]

The store is filled directly, bypassing parsing and the desk: SQLAlchemy Core executemany
INSERTs of rows shaped like the desk writes them (a RawFile, a Story with its body_text,
text_hash and minhash-sized signature, and one Version carrying the full item JSON), 5,000 per
transaction, into one SQLite database that grows from size to size. Bodies are 400 to 1,500
words, assembled from a pool of seeded paragraphs. Then `wiredesk serve` runs on it and each
page (home, a section, a random story, a search for a random vocabulary word) is fetched
sequentially `--requests` times (search: fewer at 1M, it scans) and median and p99 reported.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench import generator as gen

SECTIONS = ("india", "world", "business", "sport", "science", "politics", "tech", "health")
NOW = datetime.now(UTC).replace(microsecond=0)


class Filler:
    """Adds stories to a wiredesk store in bulk; remembers how many it has written."""

    def __init__(self, data_dir: Path, seed: int = 99) -> None:
        from wiredesk import Config, open_desk

        self.desk = open_desk(Config(data_dir=data_dir))
        self.rng = random.Random(seed)
        self.vocab = gen.vocabulary(seed)
        words = gen.Words(self.rng, self.vocab)
        self.pool = [" ".join(words.paragraphs(60)) for _ in range(3000)]
        self.headlines = [words.headline() for _ in range(5000)]
        # A store kept from an earlier run (bench/out/scale-store) grows on from where it was.
        with self.desk.store.session() as session:
            from sqlalchemy import func, select

            from wiredesk.store.models import Story

            self.count = int(session.scalar(select(func.coalesce(func.max(Story.id), 0))) or 0)
            self.slugs: list[tuple[str, str]] = [
                (section, slug)
                for section, slug in session.execute(
                    select(Story.section, Story.slug)
                    .where(Story.state == "published", Story.id % 50 == 0)
                    .limit(20_000)
                )
            ]

    def _rows(self, i: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        rng = self.rng
        paragraphs = rng.choices(self.pool, k=rng.randint(7, 25))
        # Search probes: "rareN" is in 10 stories of a million, "filed by wire" in all of them.
        paragraphs.append(f"Filed by wire, rare{i % 100_000}.")
        body = "\n\n".join(paragraphs)
        headline = f"{self.headlines[i % len(self.headlines)]} {i}"
        uri = f"urn:bench:scale:{i}"
        digest = hashlib.sha256(uri.encode()).hexdigest()
        slug = f"{headline.lower().replace(' ', '-')[:70]}-{digest[:8]}"
        section = SECTIONS[i % len(SECTIONS)]
        published = NOW - timedelta(seconds=(2_000_000 - i) * 10)
        state = "killed" if i % 97 == 0 else "published"
        sha = hashlib.sha256(f"file {i}".encode()).hexdigest()
        item = gen.Story(i, "ninjs", headline, "Mumbai", published, paragraphs)
        item_json = {
            "uri": uri, "headline": headline, "version": "1",
            "versioncreated": published.isoformat(), "firstcreated": published.isoformat(),
            "pubstatus": "usable", "embargoed": None, "urgency": 3, "language": "en",
            "byline": "", "dateline": item.city, "slugline": "", "body_text": body,
            "body_html": "", "subject": [], "agency": "PTI", "category": section,
            "ednote": "", "signals": [], "format": "ninjs",
        }  # fmt: skip
        story = {
            "id": i, "uri": uri, "slug": slug, "section": section, "state": state,
            "source": "bench", "agency": "PTI", "disclaimer": "auto-published",
            "headline": headline, "version": "1", "embargoed": None,
            "firstcreated": published, "versioncreated": published, "published_at": published,
            "updated_at": published, "current_version_id": i, "revised_at": None,
            "killed_at": published if state == "killed" else None, "reason": "", "tags": [],
            "text_hash": hashlib.sha256(body.encode()).hexdigest(), "duplicate_of": None,
            "cluster_id": None, "minhash": [rng.getrandbits(32) for _ in range(64)],
            "body_text": body,
        }  # fmt: skip
        version = {
            "id": i, "story_id": i, "version": "1", "versioncreated": published,
            "received_at": published, "sha256": sha, "item": item_json,
        }  # fmt: skip
        raw = {"sha256": sha, "size": len(body) + 500, "first_received_at": published}
        if state == "published" and i % 50 == 0:
            self.slugs.append((section, slug))
        return raw, story, version

    def grow(self, total: int, batch: int = 5000) -> float:
        from sqlalchemy import insert

        from wiredesk.store.models import RawFile, Story, Version

        started = time.perf_counter()
        with self.desk.store.engine.connect() as conn:
            while self.count < total:
                end = min(total, self.count + batch)
                rows = [self._rows(i) for i in range(self.count + 1, end + 1)]
                with conn.begin():
                    conn.execute(insert(RawFile), [r[0] for r in rows])
                    conn.execute(insert(Story), [r[1] for r in rows])
                    conn.execute(insert(Version), [r[2] for r in rows])
                self.count = end
        return time.perf_counter() - started


class Server:
    """`wiredesk serve` (one process) or uvicorn with workers, on a loopback port."""

    def __init__(self, data_dir: Path, workers: int = 0, page_cache: float = 0.5) -> None:
        from bench.latency import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "WIREDESK_BENCH_DATA": str(data_dir)}
        if workers:
            cmd = [
                sys.executable, "-m", "uvicorn", "bench.site:app", "--factory",
                "--workers", str(workers), "--host", "127.0.0.1", "--port", str(self.port),
                "--no-access-log", "--log-level", "warning",
            ]  # fmt: skip
        else:
            settings = data_dir / "bench-site.toml"
            settings.write_text(
                f'[desk]\ndata_dir = "{data_dir}"\n[site]\npage_cache_seconds = {page_cache}\n'
            )
            cmd = [
                sys.executable, "-m", "wiredesk", "--config", str(settings),
                "--db", f"sqlite:///{data_dir / 'wiredesk.db'}", "serve", "--port", str(self.port),
            ]  # fmt: skip
        self.command = " ".join(cmd)
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start: " + self.command)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def timings(client: httpx.Client, urls: list[str]) -> dict[str, float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    ordered = sorted(times)
    return {
        "n": len(times),
        "median_ms": statistics.median(times) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000,
    }


def measure_pages(filler: Filler, base: str, requests: int, search_requests: int) -> dict[str, Any]:
    rng = random.Random(5)
    stories = [f"{base}/{sec}/{slug}" for sec, slug in rng.choices(filler.slugs, k=requests)]
    sections = [f"{base}/{SECTIONS[i % len(SECTIONS)]}/" for i in range(requests)]
    probes = {
        "search_vocab": [w for w in rng.choices(filler.vocab, k=search_requests)],
        "search_rare": [f"rare{rng.randrange(100_000)}" for _ in range(search_requests)],
        "search_common": ["wire"] * search_requests,
        "search_phrase": ['"filed by wire"'] * search_requests,
    }
    with httpx.Client(timeout=300) as client:
        for url in (base + "/", sections[0], stories[0]):  # warm caches once
            client.get(url)
        return {
            "home": timings(client, [base + "/"] * requests),
            "section": timings(client, sections),
            "story": timings(client, stories),
            **{
                kind: timings(client, [f"{base}/search?q={q}" for q in queries])
                for kind, queries in probes.items()
            },
        }


def run(
    sizes: list[int], requests: int, search_requests: int, keep: Path | None = None
) -> dict[str, Any]:
    """Grow one store through `sizes`; with `keep`, the store stays there for the next run."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    work = keep or Path(tempfile.mkdtemp(prefix="wiredesk-scale-", dir=os.environ.get("BENCH_TMP")))
    results: dict[str, Any] = {"requests": requests, "sizes": {}, "kept_store": str(keep or "")}
    try:
        filler = Filler(work)
        for size in sizes:
            if filler.count > size:
                continue  # a kept store already past this size
            seconds = filler.grow(size)
            db = work / "wiredesk.db"
            with filler.desk.store.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            # The page cache off: these figures are what the store costs per page, uncached.
            server = Server(work, page_cache=0)
            try:
                pages = measure_pages(filler, server.base, requests, search_requests)
            finally:
                server.stop()
            results["sizes"][str(size)] = {
                "insert_seconds": seconds,
                "db_mb": db.stat().st_size / 2**20,
                "pages": pages,
                "server": server.command,
            }
            print(json.dumps({size: results["sizes"][str(size)]}), file=sys.stderr)
        filler.desk.store.close()
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="page latency at scale")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--search-requests", type=int, default=50)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(json.dumps(run(sizes, args.requests, args.search_requests)))


if __name__ == "__main__":
    main()
