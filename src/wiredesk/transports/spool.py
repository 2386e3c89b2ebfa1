"""A spool folder an agency (or its FTP server, or rsync) drops files into.

A file is taken only once complete: unchanged between two scans, or older than the settle time
(a file renamed into place atomically is complete at first sight). After the sink returns it
moves to processed/DATE/ or error/DATE/, so a crash before the move re-delivers it (a no-op in
the desk) and never loses it.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wiredesk.exceptions import TransportError
from wiredesk.transports.base import Delivery, Sink, SourceSpec

PROCESSED = "processed"
ERROR = "error"
# Names writers use while a file is still being written; they are renamed when complete.
TEMP_SUFFIXES = (".part", ".tmp", ".temp", ".filepart", ".crdownload", "~")


def is_candidate(name: str) -> bool:
    return not name.startswith(".") and not name.lower().endswith(TEMP_SUFFIXES)


def watch_paths(spec: SourceSpec) -> list[Path]:
    """What the runner watches to poll at once when something lands."""
    return [Path(spec.location)]


def landed_at(mtime_ns: int) -> datetime:
    return datetime.fromtimestamp(mtime_ns / 1e9, UTC)


def free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `stem~N.ext` when a file of that name is already there."""
    target = folder / name
    stem, dot, ext = name.rpartition(".")
    if not stem:  # no extension, or a name like "file."
        stem, dot, ext = name, "", ""
    n = 1
    while target.exists():
        target = folder / f"{stem}~{n}{dot}{ext}"
        n += 1
    return target


def acknowledge(folder: Path, name: str, outcome: str) -> Path:
    """Move a delivered file out of the spool: error/ for quarantine, processed/ otherwise."""
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    dest_dir = folder / (ERROR if outcome == "quarantined" else PROCESSED) / today
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = free_name(dest_dir, name)
    os.replace(folder / name, target)
    return target


class FolderTransport:
    def poll(self, spec: SourceSpec, cursor: dict[str, Any], sink: Sink) -> dict[str, Any]:
        folder = Path(spec.location)
        settle_ns = int(float(spec.options.get("settle_seconds", 2)) * 1e9)
        seen: dict[str, list[int]] = dict(cursor.get("seen", {}))
        pending: dict[str, list[int]] = {}
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise TransportError(f"spool folder {folder}: {exc.strerror or exc}") from exc
        now_ns = time.time_ns()
        for entry in entries:
            if not is_candidate(entry.name):
                continue
            try:
                if not entry.is_file():
                    continue  # processed/, error/ and any other folder
                stat = entry.stat()
            except FileNotFoundError:
                continue  # gone since the scan: moved by its writer
            signature = [stat.st_size, stat.st_mtime_ns]
            settled = now_ns - stat.st_mtime_ns >= settle_ns
            if not settled and seen.get(entry.name) != signature:
                pending[entry.name] = signature  # maybe still being written: look again
                continue
            data = self._read_whole(Path(entry.path), stat.st_size, stat.st_mtime_ns)
            if data is None:
                pending[entry.name] = signature
                continue
            outcome = sink(Delivery(data, entry.name, landed_at(stat.st_mtime_ns)))
            try:
                acknowledge(folder, entry.name, outcome.outcome)
            except OSError as exc:
                # Delivered and durable, but still in the spool: it comes again as a duplicate.
                raise TransportError(f"could not move {entry.path}: {exc.strerror or exc}") from exc
        return {"seen": pending}

    @staticmethod
    def _read_whole(path: Path, size: int, mtime_ns: int) -> bytes | None:
        """The file's bytes, or None if it changed while being read (a writer is still at it)."""
        try:
            with path.open("rb") as handle:
                data = handle.read()
                after = os.fstat(handle.fileno())
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise TransportError(f"could not read {path}: {exc.strerror or exc}") from exc
        if len(data) != size or after.st_size != size or after.st_mtime_ns != mtime_ns:
            return None
        return data
