"""`python -m bench`: every benchmark, then bench/results.md.

    python -m bench                 # the full run (10k and 100k ingest, the reader peer, a 1M
                                    # backfill, 50/s and 1,000/s latency, site, 1M scale)
    python -m bench --quick         # a few minutes: small sizes, short runs
    python -m bench --only ingest,site --ingest-sizes 10000 --reps 3

The 1M corpus (bench/out/corpus-1000000) and the scale part's store (bench/out/scale-store)
are kept between runs and reused, so a second full run skips writing them.

Results are saved as JSON under bench/out/ (one file per part) and bench/results.md is
written from every part found there, so parts can be re-run one at a time.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "out"
PARTS = (
    "startup",
    "ingest",
    "peer",
    "backfill",
    "latency",
    "site",
    "scale",
    "push",
    "delivery",
    "pictures",
    "enrich",
    "lighthouse",
)


def startup_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import startup

    return startup.run(args.startup_reps)


def ingest_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import floor, generator, ingest

    sizes = [int(s) for s in args.ingest_sizes.split(",")]
    corpus = OUT / f"corpus-{max(sizes)}"
    if not (corpus / "manifest.jsonl").exists():
        started = time.perf_counter()
        counts = generator.write(corpus, max(sizes), check=False)
        print(f"corpus of {max(sizes)} written in {time.perf_counter() - started:.0f}s: {counts}")
    runs: list[dict[str, Any]] = []
    for size in sizes:
        # Repetitions are cheap only at the smaller size; the largest runs once per database.
        reps = args.reps if size <= 10_000 else 1
        for rep in range(reps):
            for db in args.dbs.split(","):
                result = ingest.measure(corpus, db, size, pin=True)
                runs.append({"size": size, "rep": rep, "kind": db, **result})
                print(f"ingest {db} {size} rep {rep}: {result['files_per_s']:.1f} files/s")
            result = floor.measure(corpus, size, pin=True)
            runs.append({"size": size, "rep": rep, "kind": "floor", **result})
            print(f"floor {size} rep {rep}: {result['files_per_s']:.1f} files/s")
            result = floor.measure(corpus, size, pin=True, parser="wiredesk")
            runs.append({"size": size, "rep": rep, "kind": "parsers", **result})
            print(
                f"wiredesk parsers + INSERT {size} rep {rep}: {result['files_per_s']:.1f} files/s"
            )
    summary: dict[str, Any] = {}
    for size in sizes:
        for kind in [*args.dbs.split(","), "floor", "parsers"]:
            mine = [r for r in runs if r["size"] == size and r["kind"] == kind]
            summary[f"{kind}-{size}"] = {
                "reps": len(mine),
                "median_files_per_s": statistics.median(r["files_per_s"] for r in mine),
                "median_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in mine),
            }
        floor_rate = summary[f"floor-{size}"]["median_files_per_s"]
        for kind in [*args.dbs.split(","), "parsers"]:
            summary[f"{kind}-{size}"]["vs_floor"] = (
                summary[f"{kind}-{size}"]["median_files_per_s"] / floor_rate
            )
    return {"corpus": str(corpus), "runs": runs, "summary": summary}


def peer_part(args: argparse.Namespace) -> dict[str, Any]:
    """wiredesk and lemon24/reader on the same RSS files, alternating, `--reps` times."""
    from bench import generator, ingest, peer

    size = int(args.ingest_sizes.split(",")[0])
    corpus = OUT / f"corpus-{max(int(s) for s in args.ingest_sizes.split(','))}"
    if not (corpus / "manifest.jsonl").exists():
        generator.write(corpus, size)
    files = len(peer.rss_rows(corpus, args.peer_files))
    runs = []
    for rep in range(args.reps):
        theirs = peer.measure(corpus, args.peer_files, pin=True)
        ours = ingest.measure(corpus, "sqlite", None, pin=True, fmt="rss", only_new=files)
        runs += [{"rep": rep, "kind": "reader", **theirs}, {"rep": rep, "kind": "wiredesk", **ours}]
        print(
            f"peer rep {rep}: reader {theirs['files_per_s']:.1f}, wiredesk {ours['files_per_s']:.1f} files/s"
        )
    median = {
        kind: statistics.median(r["files_per_s"] for r in runs if r["kind"] == kind)
        for kind in ("reader", "wiredesk")
    }
    # Publishers' feeds carry many items: the same comparison on `--peer-feeds` feeds of
    # `--peer-items` items each (bench/feeds.py), alternating, stories per second.
    from bench import feeds

    folder = OUT / f"feeds-{args.peer_feeds}x{args.peer_items}"
    feed_runs = []
    for rep in range(args.reps):
        for who in ("reader", "wiredesk"):
            result = feeds.measure(folder, args.peer_feeds, args.peer_items, who)
            feed_runs.append({"rep": rep, "kind": who, **result})
            print(f"feeds rep {rep}: {who} {result['stories_per_s']:.1f} stories/s")
    feed_median = {
        kind: statistics.median(r["stories_per_s"] for r in feed_runs if r["kind"] == kind)
        for kind in ("reader", "wiredesk")
    }
    return {
        "corpus": str(corpus),
        "files": files,
        "runs": runs,
        "median_files_per_s": median,
        "wiredesk_vs_reader": median["wiredesk"] / median["reader"],
        "feeds": {
            "feeds": args.peer_feeds,
            "items": args.peer_items,
            "runs": feed_runs,
            "median_stories_per_s": feed_median,
            "wiredesk_vs_reader": feed_median["wiredesk"] / feed_median["reader"],
        },
    }


def backfill_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import backfill

    return backfill.run(args.backfill_files, OUT / f"corpus-{args.backfill_files}")


def latency_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import latency

    return latency.run([float(r) for r in args.rates.split(",")], args.seconds, args.kills, None)


def site_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import site

    return site.run(args.site_stories, args.duration, args.workers)


def scale_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import scale

    sizes = [int(s) for s in args.scale_sizes.split(",")]
    return scale.run(sizes, args.requests, args.search_requests, keep=OUT / "scale-store")


def push_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import push

    sizes = [int(s) for s in args.push_sizes.split(",")]
    return push.run(sizes, args.push_reps, args.push_uploads, args.push_upload_mib)


def delivery_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import delivery

    return delivery.run(args.delivery_rate, args.delivery_seconds, args.delivery_kinds.split(","))


def pictures_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import pictures

    return pictures.run(args.site_stories, args.duration)


def enrich_part(args: argparse.Namespace) -> dict[str, Any]:
    """Ingest files/s with and without the enricher, alternating in one run (median, ratio)."""
    from bench import generator, ingest

    size = int(args.ingest_sizes.split(",")[0])
    corpus = OUT / f"corpus-{max(int(s) for s in args.ingest_sizes.split(','))}"
    if not (corpus / "manifest.jsonl").exists():
        generator.write(corpus, size, check=False)
    rates: dict[str, list[float]] = {"with": [], "without": []}
    loads: list[float] = []
    for rep in range(args.reps):
        for kind in ("without", "with"):
            result = ingest.measure(corpus, "sqlite", size, pin=True, enrich=kind == "with")
            rates[kind].append(result["files_per_s"])
            if kind == "with":
                loads.append(result["gazetteer_load_s"])
            print(f"enrich {kind} {size} rep {rep}: {result['files_per_s']:.1f} files/s")
    medians = {k: statistics.median(v) for k, v in rates.items()}
    return {
        "size": size,
        "runs": rates,
        "median_with": medians["with"],
        "median_without": medians["without"],
        "ratio": medians["with"] / medians["without"],
        "gazetteer_load_s": statistics.median(loads),
    }


def lighthouse_part(args: argparse.Namespace) -> dict[str, Any]:
    from bench import lighthouse

    return lighthouse.run()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, ~2 minutes")
    parser.add_argument("--only", default=",".join(PARTS), help="parts: " + ",".join(PARTS))
    parser.add_argument("--ingest-sizes", default="10000,100000")
    parser.add_argument("--dbs", default="sqlite,postgres")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--rates", default="50,1000")
    parser.add_argument("--peer-files", type=int, default=1000, help="RSS files for the peer")
    parser.add_argument("--peer-feeds", type=int, default=100, help="feeds of --peer-items")
    parser.add_argument("--peer-items", type=int, default=20, help="items per feed")
    parser.add_argument("--backfill-files", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--site-stories", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale-sizes", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--search-requests", type=int, default=100)
    parser.add_argument("--push-sizes", default="1,16,49", help="MiB per timed push")
    parser.add_argument("--push-reps", type=int, default=5)
    parser.add_argument("--push-uploads", type=int, default=12)
    parser.add_argument("--push-upload-mib", type=int, default=49)
    parser.add_argument("--delivery-rate", type=float, default=50, help="stories/s delivered")
    parser.add_argument("--delivery-seconds", type=float, default=30)
    parser.add_argument("--delivery-kinds", default="webhook,static,wordpress")
    parser.add_argument("--startup-reps", type=int, default=5)
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.ingest_sizes, args.reps, args.peer_files = "2000", 1, 100
        args.peer_feeds = 20
        args.backfill_files = 5000
        args.seconds, args.rates, args.kills = 10, "50,500", 10
        args.site_stories, args.duration = 2000, 3
        args.scale_sizes, args.requests, args.search_requests = "1000,5000", 30, 5
        args.push_sizes, args.push_reps, args.push_upload_mib = "1,16", 3, 16
        args.delivery_seconds = 5
    OUT.mkdir(exist_ok=True)
    command = "python -m bench " + shlex.join(sys.argv[1:])
    runners = {
        "startup": startup_part,
        "ingest": ingest_part,
        "peer": peer_part,
        "backfill": backfill_part,
        "latency": latency_part,
        "site": site_part,
        "scale": scale_part,
        "push": push_part,
        "delivery": delivery_part,
        "pictures": pictures_part,
        "enrich": enrich_part,
        "lighthouse": lighthouse_part,
    }
    for part in args.only.split(","):
        started = time.perf_counter()
        print(f"== {part}", flush=True)
        result = runners[part](args)
        result["command"] = command
        result["quick"] = args.quick
        result["wall_seconds"] = time.perf_counter() - started
        result["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        name = f"{part}{'-quick' if args.quick else ''}.json"
        (OUT / name).write_text(json.dumps(result, indent=1))
        print(f"== {part} done in {result['wall_seconds']:.0f}s -> bench/out/{name}", flush=True)
    if not args.no_report:
        from bench import report

        report.write(OUT, quick=args.quick)


if __name__ == "__main__":
    main()
