"""The floor: the same corpus through the bare minimum, in the same kind of subprocess.

    python -m bench.floor CORPUS [--limit N] [--pin] [--parser bare|wiredesk] [--format F]

Per file: read it, parse it (XML formats: lxml.etree.fromstring and the text of the tree;
JSON formats: json.loads and the body field; text formats: a split into lines), then one
INSERT of (file name, text) into a SQLite table; all in one transaction, committed at the end.
No archive, no detection, no lifecycle, no ORM: what any ingest must at least do.

`--parser wiredesk` swaps the bare parse for `wiredesk.formats.parse` (detection, the
format's own parser, normalisation): the most the desk could reach with its parsers as they
are, a second baseline beside the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lxml import etree

XML = ("nitf", "newsmlg2", "rss", "atom")
JSON = ("ninjs", "jsonfeed")


def text_of(fmt: str, data: bytes) -> str:
    if fmt in XML:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        return "".join(root.itertext())
    if fmt in JSON:
        doc = json.loads(data)
        if fmt == "jsonfeed":
            return str(doc["items"][0]["content_text"])
        return str(doc["body_text"])
    return "\n".join(data.decode("utf-8", "replace").split("\n"))


def wiredesk_text(fmt: str, data: bytes) -> str:
    from wiredesk import formats

    return "\n\n".join(item.body_text for item in formats.parse(data).items)


def run(
    corpus: Path, limit: int | None, pin: bool, parser: str = "bare", fmt: str | None = None
) -> dict[str, Any]:
    if pin:
        os.sched_setaffinity(0, {0})
    from bench.ingest import peak_rss_kb, read_manifest
    from wiredesk.exceptions import ParseError

    rows = read_manifest(corpus, limit)
    if fmt:
        rows = [r for r in rows if r["format"] == fmt]
    parse = wiredesk_text if parser == "wiredesk" else text_of
    with tempfile.TemporaryDirectory(prefix="wiredesk-floor-") as work:
        db = sqlite3.connect(Path(work) / "floor.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE stories (id INTEGER PRIMARY KEY, name TEXT, body TEXT)")
        files = corpus / "files"
        failed = 0
        started = time.perf_counter()
        db.execute("BEGIN")
        for row in rows:
            data = (files / row["file"]).read_bytes()
            try:
                text = parse(row["format"], data)
            except (etree.XMLSyntaxError, ValueError, KeyError, ParseError):
                failed += 1
                continue
            db.execute("INSERT INTO stories (name, body) VALUES (?, ?)", (row["file"], text))
        db.execute("COMMIT")
        elapsed = time.perf_counter() - started
        db.close()
    return {
        "files": len(rows),
        "failed": failed,
        "pinned": pin,
        "seconds": elapsed,
        "files_per_s": len(rows) / elapsed,
        "parser": parser,
        "peak_rss_mb": peak_rss_kb() / 1024,
    }


def measure(
    corpus: Path,
    limit: int | None,
    pin: bool = True,
    parser: str = "bare",
    fmt: str | None = None,
) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.floor", str(corpus), "--parser", parser]
    if fmt:
        cmd += ["--format", fmt]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    if pin:
        cmd.append("--pin")
    from bench.ingest import json_of

    return json_of(cmd)


def main() -> None:
    parser = argparse.ArgumentParser(description="the floor: parse + one INSERT per story")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--pin", action="store_true")
    parser.add_argument("--parser", choices=("bare", "wiredesk"), default="bare")
    parser.add_argument("--format")
    args = parser.parse_args()
    print(json.dumps(run(args.corpus, args.limit, args.pin, args.parser, args.format)))


if __name__ == "__main__":
    main()
