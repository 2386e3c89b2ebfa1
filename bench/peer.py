"""The peer: lemon24's `reader` (a well-kept feed library on SQLite) on the same RSS files.

    python -m bench.peer CORPUS [--limit N] [--pin]

The corpus's RSS files (new stories: one item per file, as an agency's per-story feed) are
each added to a fresh `reader` database as a feed under `feed_root` (outside the timing), then
one `update_feeds()` reads, parses and stores them all (timed): reader's own path from a feed
file to a stored entry. `bench.ingest --format rss` times wiredesk on exactly these files.
Needs the `bench` extra (`pip install -e '.[bench]'`, which `make bench` does).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def rss_rows(corpus: Path, limit: int | None) -> list[dict[str, Any]]:
    from bench.ingest import read_manifest

    rows = [r for r in read_manifest(corpus) if r["format"] == "rss" and r["kind"] == "new"]
    return rows[:limit] if limit else rows


def run(corpus: Path, limit: int | None, pin: bool) -> dict[str, Any]:
    if pin:
        os.sched_setaffinity(0, {0})
    import logging

    from reader import make_reader

    from bench.ingest import peak_rss_kb

    logging.disable(logging.WARNING)
    rows = rss_rows(corpus, limit)
    root = (corpus / "files").resolve()
    with tempfile.TemporaryDirectory(prefix="wiredesk-peer-") as work:
        reader = make_reader(str(Path(work) / "reader.sqlite"), feed_root=str(root))
        for row in rows:
            reader.add_feed(row["file"])
        started = time.perf_counter()
        reader.update_feeds()
        elapsed = time.perf_counter() - started
        entries = reader.get_entry_counts().total
        reader.close()
    import reader as package

    return {
        "files": len(rows),
        "entries": entries,
        "seconds": elapsed,
        "files_per_s": len(rows) / elapsed,
        "peak_rss_mb": peak_rss_kb() / 1024,
        "reader_version": package.__version__,
        "pinned": pin,
    }


def measure(corpus: Path, limit: int | None, pin: bool = True) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.peer", str(corpus)]
    if limit:
        cmd += ["--limit", str(limit)]
    if pin:
        cmd.append("--pin")
    from bench.ingest import json_of

    return json_of(cmd)


def main() -> None:
    parser = argparse.ArgumentParser(description="lemon24/reader on the corpus's RSS files")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--pin", action="store_true")
    args = parser.parse_args()
    print(json.dumps(run(args.corpus, args.limit, args.pin)))


if __name__ == "__main__":
    main()
