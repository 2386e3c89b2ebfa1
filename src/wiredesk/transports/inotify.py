"""Linux inotify, through ctypes: which files in a folder were just completed.

A name renamed into the folder (IN_MOVED_TO) or closed after writing (IN_CLOSE_WRITE) is
complete at that moment, so the spool can take it at once instead of waiting to see it
unchanged on a second scan. watchfiles cannot tell a close from a write, hence this; where
inotify is missing the runner falls back to watchfiles, which only wakes the spool.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
from pathlib import Path

IN_CLOSE_WRITE = 0x00000008
IN_MOVED_TO = 0x00000080
IN_Q_OVERFLOW = 0x00004000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC
_EVENT = struct.Struct("iIII")


class Unavailable(OSError):
    pass


class Landings:
    """Folders watched for completed files; `wait()` returns what completed, by folder."""

    def __init__(self, folders: list[Path]) -> None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            self._fd = int(libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC))
        except (AttributeError, OSError) as exc:
            raise Unavailable(f"inotify: {exc}") from exc
        if self._fd < 0:
            raise Unavailable(f"inotify_init1: {os.strerror(ctypes.get_errno())}")
        self._folders: dict[int, Path] = {}
        for folder in folders:
            wd = libc.inotify_add_watch(self._fd, os.fsencode(folder), IN_CLOSE_WRITE | IN_MOVED_TO)
            if wd < 0:
                os.close(self._fd)
                raise Unavailable(f"inotify_add_watch {folder}: {os.strerror(ctypes.get_errno())}")
            self._folders[wd] = folder

    def wait(self, timeout: float) -> tuple[dict[Path, set[str]], bool]:
        """(completed names by folder, whether the kernel dropped events) within `timeout`."""
        readable, _, _ = select.select([self._fd], [], [], timeout)
        found: dict[Path, set[str]] = {}
        overflow = False
        if not readable:
            return found, overflow
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            at = 0
            while at + _EVENT.size <= len(data):
                wd, mask, _cookie, length = _EVENT.unpack_from(data, at)
                raw = data[at + _EVENT.size : at + _EVENT.size + length]
                at += _EVENT.size + length
                overflow = overflow or bool(mask & IN_Q_OVERFLOW)
                folder = self._folders.get(wd)
                name = os.fsdecode(raw.rstrip(b"\0"))
                if folder is not None and name:
                    found.setdefault(folder, set()).add(name)
        return found, overflow

    def close(self) -> None:
        os.close(self._fd)
