"""axe-core from npm for the accessibility tests, installed once into a cache folder.

A fresh machine gets it on the first run (npm comes from scripts/system-deps.sh); without npm
or the registry the tests that need it skip with the reason.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

AXE_VERSION = "4.14.1"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "wiredesk-tests"


def axe_source() -> str:
    folder = CACHE / f"axe-core-{AXE_VERSION}"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed (scripts/system-deps.sh installs it)")
        folder.mkdir(parents=True, exist_ok=True)
        # Two test workers may get here at once: one installs, the other waits for it.
        with open(folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not script.exists():
                done = subprocess.run(
                    [
                        npm,
                        "install",
                        "--prefix",
                        str(folder),
                        "--no-save",
                        "--no-audit",
                        "--no-fund",
                        "--loglevel=error",
                        f"axe-core@{AXE_VERSION}",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                if done.returncode != 0 or not script.exists():
                    pytest.skip(
                        f"could not install axe-core from npm: {done.stderr.strip()[-300:]}"
                    )
    return script.read_text(encoding="utf-8")
