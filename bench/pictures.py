"""Pictures: story page req/s with pictures against without, and the rendition route, in one run.

    python -m bench.pictures [--stories 10000] [--duration 10]

A store of `--stories` stories (bulk-filled as in bench.scale). One story page is measured,
then every second story on the sampled list, that one included, gets a checked picture (rows
written as the picture worker leaves them: a Picture `ready`, a StoryPicture link, the JPEG
archived) and the same page is measured again: the two figures differ only by the picture.
`wiredesk serve` runs twice, with the page cache as shipped (60 s, dropped on change) and with
it off (what a page costs to render); each URL is hit with `wrk -t2 -c64 --latency`. The
rendition route (/media/<sha256>/640.webp, never page-cached: it is a visibility check and a
file) is measured warm, and the first request for each size (Pillow making it) cold.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

DISTINCT = 16  # distinct image files, shared out among the pictured stories


def _image(n: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (2400, 1600), (20 + 10 * n, 80, 160 - 5 * n))
    draw = ImageDraw.Draw(image)
    for x in range(0, 2400, 60):
        draw.line([(x, 0), (2400 - x, 1600)], fill=(200, 200 - 8 * n, 90), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def add_pictures(filler: Any, every: int = 2) -> tuple[list[str], list[str], list[str]]:
    """Pictures for every `every`-th sampled story: paths with pictures, paths without, and
    the images' sha256s."""
    from sqlalchemy import insert, select

    from wiredesk.store.models import Picture, RawFile, Story, StoryPicture

    desk = filler.desk
    now = time.time()
    files = []
    for n in range(DISTINCT):
        data = _image(n)
        files.append((desk.store.archive.put(data), len(data)))
    with desk.store.engine.begin() as conn:
        conn.execute(
            insert(RawFile),
            [{"sha256": sha, "size": size, "first_received_at": _utc(now)} for sha, size in files],
        )
        slugs = [slug for _section, slug in filler.slugs]
        uris = dict(conn.execute(select(Story.slug, Story.uri).where(Story.slug.in_(slugs))).all())
        pictured, plain, pictures, links = [], [], [], []
        for index, (section, slug) in enumerate(filler.slugs):
            if index % every:
                plain.append(f"/{section}/{slug}")
                continue
            sha, _size = files[len(pictured) % DISTINCT]
            pictured.append(f"/{section}/{slug}")
            uri = f"urn:bench:picture:{index}"
            pictures.append(
                {
                    "uri": uri,
                    "source": "bench",
                    "version": "1",
                    "pubstatus": "usable",
                    "embargoed": None,
                    "href": f"{uri}.jpg",
                    "local_name": f"{uri}.jpg",
                    "caption": f"A bench caption for picture {index}, as an agency writes it.",
                    "credit": "Bench Photo",
                    "status": "ready",
                    "reason": "",
                    "sha256": sha,
                    "width": 2400,
                    "height": 1600,
                    "contenttype": "image/jpeg",
                    "attempts": 0,
                    "next_attempt_at": None,
                    "lease_owner": None,
                    "lease_expires": None,
                    "created_at": _utc(now),
                    "updated_at": _utc(now),
                }  # fmt: skip
            )
            links.append(
                {
                    "story_uri": uris[slug],
                    "picture_uri": uri,
                    "origin": uris[slug],
                    "origin_version": "1",
                    "position": 0,
                    "caption": "",
                    "credit": "",
                }  # fmt: skip
            )
        conn.execute(insert(Picture), pictures)
        conn.execute(insert(StoryPicture), links)
    return pictured, plain, [sha for sha, _size in files]


def _utc(seconds: float) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC)


def cold_renditions(base: str, sha256s: list[str]) -> dict[str, Any]:
    """The first request for a size: Pillow decodes the 2400x1600 original and encodes it."""
    times: dict[str, list[float]] = {}
    with httpx.Client(timeout=60) as client:
        for sha in sha256s:
            for name in ("320.jpg", "640.webp", "1024.jpg", "1024.webp"):
                started = time.perf_counter()
                response = client.get(f"{base}/media/{sha}/{name}")
                times.setdefault(name, []).append(time.perf_counter() - started)
                assert response.status_code == 200, (name, response.status_code)
    return {k: {"n": len(v), "median_ms": statistics.median(v) * 1000} for k, v in times.items()}


def run(stories: int, duration: int) -> dict[str, Any]:
    """The same story page measured before its picture is added and after, in one run."""
    from bench.scale import Filler, Server
    from bench.site import wrk

    work = Path(tempfile.mkdtemp(prefix="wiredesk-pictures-", dir=os.environ.get("BENCH_TMP")))
    result: dict[str, Any] = {"stories": stories, "duration_s": duration}
    modes = (("cached", 60.0), ("uncached", 0.0))
    try:
        filler = Filler(work / "data")
        filler.grow(stories)
        section, slug = filler.slugs[0]  # add_pictures gives the first sampled story one
        story = f"/{section}/{slug}"
        result["page"] = story
        runs: dict[str, Any] = {label: {} for label, _cache in modes}
        for label, cache in modes:
            server = Server(work / "data", page_cache=cache)
            try:
                runs[label]["story_without_picture"] = wrk(server.base + story, duration)
                runs[label]["page_bytes"] = {"without": len(httpx.get(server.base + story).content)}
            finally:
                server.stop()
        _pictured, _plain, distinct = add_pictures(filler)
        filler.desk.store.close()
        for label, cache in modes:
            server = Server(work / "data", page_cache=cache)
            entry = runs[label]
            entry["command"] = server.command
            try:
                page = httpx.get(server.base + story).text
                media = sorted({u for u in page.split('"') if u.startswith("/media/")})
                assert media, "the pictured story shows no picture"
                entry["page_bytes"]["with"] = len(page.encode())
                if label == "cached":
                    entry["cold_rendition"] = cold_renditions(server.base, distinct[1:5])
                    rendition = f"/media/{media[0].split('/')[2]}/640.webp"
                    httpx.get(server.base + rendition)  # made once, then served from memory
                    entry["rendition_640_webp"] = wrk(server.base + rendition, duration)
                entry["story_with_picture"] = wrk(server.base + story, duration)
                entry["with_vs_without"] = (
                    entry["story_with_picture"]["rps"] / entry["story_without_picture"]["rps"]
                )
            finally:
                server.stop()
        result["runs"] = runs
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="story pages with and without pictures")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: bench/setup.sh installs it")
    print(json.dumps(run(args.stories, args.duration), indent=1))


if __name__ == "__main__":
    main()
