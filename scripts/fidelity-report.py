"""The fidelity table against today's parsers: files passing, the columns that fail, and the
known misses that now read right (`--prune` takes those lines off the list; it never adds one).

    .venv/bin/python scripts/fidelity-report.py [--prune] [--show PATH-PART]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "formats")]

import test_fidelity as fidelity  # noqa: E402


def main(argv: list[str]) -> int:
    show = argv[argv.index("--show") + 1] if "--show" in argv else None
    columns: Counter[str] = Counter()
    passing, failing, now_right, new_misses = 0, 0, [], []
    for file, rows in sorted(fidelity.BY_FILE.items()):
        found = fidelity.mismatches(rows, (fidelity.SAMPLES / file).read_bytes())
        if not found:
            passing += 1
            if file in fidelity.MISSES:
                now_right.append(file)
            continue
        failing += 1
        if file not in fidelity.MISSES:
            new_misses.append(file)
        names = {m.group(1) for line in found if (m := re.match(r"\s*(\w+)", line))}
        columns.update(names)
        if show and show in file:
            print(file, *found, sep="\n")
    print(f"{passing} files read as the table says, {failing} do not")
    for column, count in columns.most_common():
        print(f"  {column}: {count} files")
    print(f"known misses that now read right: {len(now_right)}", *now_right, sep="\n  ")
    print(f"files that read wrong and are not listed: {len(new_misses)}", *new_misses, sep="\n  ")
    if "--prune" in argv and now_right:
        lines = fidelity.KNOWN_MISSES.read_text(encoding="utf-8").split("\n")
        kept = [ln for ln in lines if ln.split("\t", 1)[0] not in set(now_right)]
        fidelity.KNOWN_MISSES.write_text("\n".join(kept), encoding="utf-8")
        print(f"took {len(now_right)} lines off {fidelity.KNOWN_MISSES.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
