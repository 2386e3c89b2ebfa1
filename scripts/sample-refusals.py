"""How many files in a folder of samples wiredesk refuses, and why: one line per refusal.

    .venv/bin/python scripts/sample-refusals.py ../shared/samples
"""

from __future__ import annotations

import sys
from pathlib import Path

from wiredesk import formats
from wiredesk.exceptions import ParseError


def main(folder: Path) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "README.md")
    refused = 0
    for path in files:
        try:
            formats.parse(path.read_bytes())
        except ParseError as exc:
            refused += 1
            print(f"{path.relative_to(folder)}: {exc}")
    share = refused / len(files) if files else 0
    print(f"refused {refused} of {len(files)} files ({share:.1%})")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/samples"))
