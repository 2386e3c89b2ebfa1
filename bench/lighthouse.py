"""Lighthouse scores of the site as readers get it: home, a section, a story and search.

    python -m bench --only lighthouse

`wiredesk demo` serves its bundled wire (pictures included) on a free port; npm's
`lighthouse@12.2.3` (installed once under ~/.cache/wiredesk-bench) audits each page with
Debian's Chromium, on its default mobile profile (simulated slow 4G and a 4x slower CPU) and
on its desktop preset. Each page's four category scores (0-100) are recorded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

VERSION = "12.2.3"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "wiredesk-bench"
CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
    " --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")


def lighthouse() -> Path:
    """The lighthouse command, installed from npm the first time."""
    folder = CACHE / f"lighthouse-{VERSION}"
    script = folder / "node_modules" / ".bin" / "lighthouse"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("lighthouse needs npm (scripts/system-deps.sh installs it)")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund",
             "--loglevel=error", f"lighthouse@{VERSION}"],
            check=True,
            timeout=900,
        )  # fmt: skip
    return script


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def audit(command: Path, url: str, preset: str, out: Path) -> dict[str, float]:
    args = [str(command), url, "--quiet", "--output=json", f"--output-path={out}",
            f"--chrome-flags={FLAGS}", "--only-categories=" + ",".join(CATEGORIES)]  # fmt: skip
    if preset == "desktop":
        args.append("--preset=desktop")
    subprocess.run(args, check=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(out.read_text())
    failed = [
        ref["id"]
        for c in CATEGORIES
        for ref in report["categories"][c]["auditRefs"]
        if ref["weight"]
        and (report["audits"][ref["id"]].get("score") or 0) < 1
        and report["audits"][ref["id"]].get("scoreDisplayMode") in ("binary", "numeric")
    ]
    if failed:
        print(f"  {url} ({preset}) lost points on: {', '.join(failed)}", flush=True)
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def run() -> dict[str, Any]:
    command = lighthouse()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="wiredesk-lighthouse-"))
    demo = subprocess.Popen(
        [sys.executable, "-m", "wiredesk", "demo", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=work,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                home = httpx.get(base + "/", timeout=2)
                if home.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or demo.poll() is not None:
                raise SystemExit("wiredesk demo did not start")
            time.sleep(0.3)
        story = re.search(r'href="(/[a-z-]+/[^"/]+-[0-9a-f]{8})"', home.text)
        assert story is not None, "no story on the demo's home page"
        section = story.group(1).rsplit("/", 1)[0] + "/"
        pages = {
            "home": "/",
            "section": section,
            "story": story.group(1),
            "search": "/search?q=rain",
        }
        # Renditions are made on first request: warm them as a reader before would have.
        for path in pages.values():
            httpx.get(base + path, timeout=10)
        scores: dict[str, dict[str, dict[str, float]]] = {}
        for preset in PRESETS:
            for name, path in pages.items():
                result = audit(command, base + path, preset, work / f"{preset}-{name}.json")
                scores.setdefault(preset, {})[name] = result
                print(f"lighthouse {preset} {name} {path}: {result}", flush=True)
        return {
            "version": VERSION,
            "pages": pages,
            "scores": scores,
            "lowest": {
                preset: min(min(r.values()) for r in by_page.values())
                for preset, by_page in scores.items()
            },
        }
    finally:
        demo.terminate()
        demo.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
