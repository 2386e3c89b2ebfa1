"""The raw archive: every received file, byte for byte, addressed by its sha256.

A file is durable (written, fsynced and renamed into place) before anything parses it, so a
crash at any later point loses nothing that was received.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import tempfile
from pathlib import Path


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = root
        # Shard folders known to exist: one mkdir per folder per process, not per file.
        self._folders: set[Path] = set()

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256)
        if target.exists():
            return sha256
        write_file(target, data, prefix=".incoming-")
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return sha256

    def put_many(self, files: list[bytes]) -> list[str]:
        """Archive many files with one filesystem sync instead of two fsyncs each."""
        shas = []
        for data in files:
            sha256 = hashlib.sha256(data).hexdigest()
            target = self.path_for(sha256)
            if not target.exists():
                folder = target.parent
                if folder not in self._folders:
                    folder.mkdir(parents=True, exist_ok=True)
                    self._folders.add(folder)
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)
            shas.append(sha256)
        if files:
            _sync_filesystem(self.root)
        return shas

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def __contains__(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()


def _sync_filesystem(path: Path) -> None:
    """syncfs(2) on the archive's filesystem: every file and rename above is durable after it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(fd) != 0:
            os.sync()
    except (AttributeError, OSError):
        os.sync()
    finally:
        os.close(fd)


def write_file(
    target: Path, data: bytes, prefix: str, suffix: str = "", mode: int | None = None
) -> None:
    """Written under a hidden temporary name, fsynced, then renamed: whole or not at all.
    `mode`: the file's permissions (mkstemp makes it 0600)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=suffix)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
