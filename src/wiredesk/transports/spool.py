"""A spool folder an agency (or its FTP server, or rsync) drops files into.

A file is taken only once complete: unchanged between two scans, older than the settle time,
or reported complete by the runner's watcher (renamed into the folder, or closed after
writing, as inotify saw it) and unchanged since. Ready files go to the desk in batches; after
the sink returns each moves to processed/DATE/ or error/DATE/, so a crash before the move
re-delivers it (a no-op in the desk) and never loses it.

Only regular files are read, and only within `max_bytes`: a symlink (to a file outside the
spool, or to /etc/passwd), a device or a pipe, and a file over the size limit, are refused
unread (lstat, then an O_NOFOLLOW open), quarantined by name and reason without their bytes,
and moved to error/.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import Any

from wiredesk.exceptions import TransportError
from wiredesk.formats import MAX_BYTES
from wiredesk.transports.base import Delivery, Sink, SourceSpec, deliver_all, refusal

PROCESSED = "processed"
ERROR = "error"
# Names writers use while a file is still being written; they are renamed when complete.
TEMP_SUFFIXES = (".part", ".tmp", ".temp", ".filepart", ".crdownload", "~")
# Files read ahead and handed to the desk at once: a batch, bounded in count and bytes.
CHUNK_FILES = 200
CHUNK_BYTES = 32 * 1024 * 1024
# folder -> name -> (size, mtime) of files the watcher saw completed, until they are taken.
_landed: dict[Path, dict[str, list[int]]] = {}
_landed_lock = threading.Lock()


def is_candidate(name: str) -> bool:
    return not name.startswith(".") and not name.lower().endswith(TEMP_SUFFIXES)


def watch_paths(spec: SourceSpec) -> list[Path]:
    """What the runner watches to poll at once when something lands."""
    return [Path(spec.location)]


def mark_complete(folder: Path, names: set[str]) -> None:
    """The watcher saw these files completed: the next poll may take them as they are now."""
    signatures = {name: _signature(folder / name) for name in names if is_candidate(name)}
    with _landed_lock:
        known = _landed.setdefault(folder, {})
        known.update({name: sig for name, sig in signatures.items() if sig is not None})


def _completed(folder: Path) -> dict[str, list[int]]:
    with _landed_lock:
        return dict(_landed.get(folder, {}))


def _taken(folder: Path, name: str) -> None:
    with _landed_lock:
        _landed.get(folder, {}).pop(name, None)


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


def _signature(path: Path) -> list[int] | None:
    """Size and mtime of a regular file, or None for anything else or a file gone meanwhile."""
    try:
        stat = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _not_a_file(path: Path) -> str | None:
    """Why an entry that is neither a regular file nor a folder is refused, else None."""
    try:
        stat = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if S_ISREG(stat.st_mode) or S_ISDIR(stat.st_mode):
        return None
    if S_ISLNK(stat.st_mode):
        return "a symbolic link: the spool reads only regular files, never what a link names"
    return "not a regular file (a device, pipe or socket): the spool reads only regular files"


class FolderTransport:
    def poll(self, spec: SourceSpec, cursor: dict[str, Any], sink: Sink) -> dict[str, Any]:
        folder = Path(spec.location)
        settle_ns = int(float(spec.options.get("settle_seconds", 2)) * 1e9)
        # Opt-in, for spools fed only by atomic renames: a paused writer would be cut short.
        recheck = float(spec.options.get("recheck_seconds", 0))
        chunk_files = int(spec.options.get("chunk_files", CHUNK_FILES))
        max_bytes = int(spec.options.get("max_bytes", MAX_BYTES))
        seen: dict[str, list[int]] = dict(cursor.get("seen", {}))
        pending: dict[str, list[int]] = {}
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise TransportError(f"spool folder {folder}: {exc.strerror or exc}") from exc
        now_ns = time.time_ns()
        completed = _completed(folder)
        ready: list[tuple[str, list[int]]] = []
        fresh: list[tuple[str, list[int]]] = []
        refused: list[Delivery] = []
        for entry in entries:
            if not is_candidate(entry.name):
                continue
            path = folder / entry.name
            reason = _not_a_file(path)
            if reason is not None:
                refused.append(refusal(entry.name, reason, datetime.now(UTC)))
                continue
            signature = _signature(path)
            if signature is None:
                continue  # a folder (processed/, error/), or gone since the scan
            settled = now_ns - signature[1] >= settle_ns
            known = seen.get(entry.name) == signature or completed.get(entry.name) == signature
            (ready if settled or known else fresh).append((entry.name, signature))
        if fresh and recheck > 0:
            # A file unchanged over a short look is complete; waiting for the next scan would
            # add the whole poll interval to every story's wire-to-live time.
            time.sleep(recheck)
            for name, signature in fresh:
                if _signature(folder / name) == signature:
                    ready.append((name, signature))
                else:
                    pending[name] = signature
        elif fresh:
            pending.update(fresh)
        chunk: list[Delivery] = refused
        size = 0
        for name, signature in sorted(ready):
            if signature[0] > max_bytes:
                why = f"{signature[0]:,} bytes, over the spool's {max_bytes:,}-byte limit"
                chunk.append(refusal(name, why, landed_at(signature[1])))
                continue
            data = self._read_whole(folder / name, signature[0], signature[1])
            if data is None:
                pending[name] = signature
                continue
            chunk.append(Delivery(data, name, landed_at(signature[1])))
            size += len(data)
            if len(chunk) >= chunk_files or size >= CHUNK_BYTES:
                self._deliver(folder, chunk, sink)
                chunk, size = [], 0
        self._deliver(folder, chunk, sink)
        return {"seen": pending}

    @staticmethod
    def _deliver(folder: Path, chunk: list[Delivery], sink: Sink) -> None:
        """Hand a batch over, then move each file out of the spool."""
        for delivery, outcome in zip(chunk, deliver_all(sink, chunk), strict=True):
            _taken(folder, delivery.filename)
            try:
                acknowledge(folder, delivery.filename, outcome.outcome)
            except OSError as exc:
                # Delivered and durable, but still in the spool: it comes again as a duplicate.
                raise TransportError(
                    f"could not move {folder / delivery.filename}: {exc.strerror or exc}"
                ) from exc

    @staticmethod
    def _read_whole(path: Path, size: int, mtime_ns: int) -> bytes | None:
        """The file's bytes, or None if it changed while being read (a writer is still at it)."""
        try:
            # O_NOFOLLOW: a file swapped for a symlink since the scan is not followed.
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None  # now a symlink: the next scan refuses it
            raise TransportError(f"could not read {path}: {exc.strerror or exc}") from exc
        try:
            with os.fdopen(fd, "rb") as handle:
                before = os.fstat(handle.fileno())
                if not S_ISREG(before.st_mode) or before.st_size != size:
                    return None
                data = handle.read(size + 1)
                after = os.fstat(handle.fileno())
        except OSError as exc:
            raise TransportError(f"could not read {path}: {exc.strerror or exc}") from exc
        if len(data) != size or after.st_size != size or after.st_mtime_ns != mtime_ns:
            return None
        return data
