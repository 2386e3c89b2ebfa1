"""Files on disk: the paths given to `wiredesk ingest`, and (later) watched spool folders."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
# Files per transaction in bulk imports: large enough to amortise the archive sync and commit,
# small enough that a crash repeats little.
BATCH = 200


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every regular file under the given paths, in name order, hidden files left out."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(
                    part.startswith(".") for part in child.relative_to(path).parts
                ):
                    yield child
        elif path.is_file():
            yield path


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
