"""Publishers' feeds beside the peer: N RSS feeds of K items each, read by `reader` and by wiredesk.

    python -m bench.feeds FOLDER --feeds 100 --items 20 --who reader|wiredesk [--pin]

The corpus's RSS files carry one item each (an agency's per-story feed); a publisher's feed
carries many. This writes FOLDER/feed-NNN.xml (deterministic: the generator's words, the
corpus's story sizes) once, then times one side in this process: `reader` adds every file as a
feed under `feed_root` (untimed) and one `update_feeds()` reads them all; wiredesk hands the
files to `Desk.receive_many` in batches of 200 files, as `wiredesk ingest` does, enrichment on
and the gazetteer loaded before the timing (a running desk loads it at start). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from bench import generator as gen
from bench.ingest import json_of, peak_rss_kb


def write(folder: Path, feeds: int, items: int, seed: int = 2020) -> list[Path]:
    files = [folder / f"feed-{f:03d}.xml" for f in range(feeds)]
    if all(p.exists() for p in files) and (folder / f"shape-{feeds}x{items}").exists():
        return files
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    words = gen.Words(rng, gen.vocabulary(seed))
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    n = 0
    for path in files:
        entries = []
        for _ in range(items):
            n += 1
            when = start + timedelta(minutes=n)
            city = rng.choice(gen.CITIES)
            paragraphs = words.paragraphs(rng.randint(400, 1500))
            opening = f"{city}, {gen.MONTHS_EN[when.month - 1]} {when.day} (PTI) "
            html = "".join(
                f"<p>{escape(p)}</p>" for p in [opening + paragraphs[0], *paragraphs[1:]]
            )
            entries.append(
                f'<item><guid isPermaLink="false">urn:bench:feed:{n:07d}</guid>'
                f"<title>{escape(words.headline())}</title>"
                f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
                f"<description>{escape(html)}</description></item>"
            )
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>PTI</title><link>https://wire.example/</link><description>{path.stem}"
            f"</description>\n{chr(10).join(entries)}\n</channel></rss>\n",
            encoding="utf-8",
        )
    (folder / f"shape-{feeds}x{items}").touch()
    return files


def reader_run(files: list[Path]) -> dict[str, Any]:
    import logging

    from reader import make_reader

    logging.disable(logging.WARNING)
    root = files[0].parent.resolve()
    with tempfile.TemporaryDirectory(prefix="wiredesk-peer-") as work:
        reader = make_reader(str(Path(work) / "reader.sqlite"), feed_root=str(root))
        for path in files:
            reader.add_feed(path.name)
        started = time.perf_counter()
        reader.update_feeds()
        elapsed = time.perf_counter() - started
        entries = reader.get_entry_counts().total
        reader.close()
    return {"seconds": elapsed, "stories": entries}


def wiredesk_run(files: list[Path]) -> dict[str, Any]:
    import logging

    from wiredesk import Config, open_desk
    from wiredesk.enrich.gazetteer import gazetteer

    logging.disable(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="wiredesk-feeds-", dir=os.environ.get("BENCH_TMP")))
    try:
        desk = open_desk(Config(data_dir=work))
        gazetteer()
        started = time.perf_counter()
        for at in range(0, len(files), 200):
            desk.receive_many(
                [(p.read_bytes(), p.name) for p in files[at : at + 200]], source="bench"
            )
        elapsed = time.perf_counter() - started
        from sqlalchemy import func, select

        from wiredesk.store.models import Story

        with desk.store.session() as session:
            stories = int(session.scalar(select(func.count()).select_from(Story)) or 0)
        desk.store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"seconds": elapsed, "stories": stories}


def measure(folder: Path, feeds: int, items: int, who: str, pin: bool = True) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.feeds", str(folder), "--feeds", str(feeds)]
    cmd += ["--items", str(items), "--who", who] + (["--pin"] if pin else [])
    return json_of(cmd)


def main() -> None:
    parser = argparse.ArgumentParser(description="N feeds of K items: reader or wiredesk")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--who", choices=("reader", "wiredesk"), required=True)
    parser.add_argument("--pin", action="store_true")
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, {0})
    files = write(args.folder, args.feeds, args.items)
    result = (reader_run if args.who == "reader" else wiredesk_run)(files)
    result.update(
        who=args.who,
        feeds=args.feeds,
        items=args.items,
        stories_per_s=result["stories"] / result["seconds"],
        peak_rss_mb=peak_rss_kb() / 1024,
        pinned=args.pin,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
