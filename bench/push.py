"""Push bodies: what streaming them to disk costs, and what it saves.

Against one `wiredesk run` subprocess (the latency part's `Site`, with the unverified-body caps
raised so every upload below is really read):

- seconds per push of one body, median of `reps`, signed (HMAC computed while the body streams
  to the spool file) against bearer (authenticated before reading, streamed the same way): the
  ratio is what the HMAC adds. Every push after the first is a recorded duplicate, so this is
  transport and archive cost, not parsing.
- the server's peak RSS (VmHWM) before and after `uploads` concurrent bodies with a wrong
  signature, against the bytes those bodies carried: before streaming, growth was about the
  bytes in flight (the probe saw 177 -> 767 MiB for 12 x 49 MiB).
"""

from __future__ import annotations

import hashlib
import hmac
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench.latency import SECRET, Site

MiB = 1024 * 1024


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def body_of(mib: int) -> bytes:
    return bytes(range(256)) * (mib * 4096)


def timed_pushes(base: str, body: bytes, reps: int) -> dict[str, float]:
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    ways = {
        "signed": {"X-Wiredesk-Signature": signature},
        "bearer": {"Authorization": f"Bearer {SECRET}"},
    }
    seconds: dict[str, list[float]] = {way: [] for way in ways}
    with httpx.Client(timeout=300) as client:
        client.post(f"{base}/ingest/pushed", content=body, headers=ways["bearer"])  # first: stored
        for _ in range(reps):
            for way, headers in ways.items():
                started = time.perf_counter()
                answer = client.post(f"{base}/ingest/pushed", content=body, headers=headers)
                seconds[way].append(time.perf_counter() - started)
                assert answer.status_code == 202, answer.text
    medians = {f"{way}_median_s": statistics.median(times) for way, times in seconds.items()}
    medians["signed_vs_bearer"] = medians["signed_median_s"] / medians["bearer_median_s"]
    medians["signed_mib_per_s"] = len(body) / MiB / medians["signed_median_s"]
    return medians


def unverified_peak(site: Site, uploads: int, mib: int) -> dict[str, Any]:
    body = body_of(mib)
    wrong = "sha256=" + hmac.new(b"not the secret", body, hashlib.sha256).hexdigest()
    statuses: list[int] = []

    def upload() -> None:
        answer = httpx.post(
            f"{site.base}/ingest/pushed",
            content=body,
            headers={"X-Wiredesk-Signature": wrong},
            timeout=600,
        )
        statuses.append(answer.status_code)

    before = peak_rss_mib(site.proc.pid)
    threads = [threading.Thread(target=upload) for _ in range(uploads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = peak_rss_mib(site.proc.pid)
    return {
        "uploads": uploads,
        "body_mib": mib,
        "statuses": sorted(set(statuses)),
        "wall_s": time.perf_counter() - started,
        "peak_before_mib": before,
        "peak_after_mib": after,
        "growth_mib": after - before,
        "growth_vs_bytes_in_flight": (after - before) / (uploads * mib),
    }


def run(sizes: list[int], reps: int, uploads: int, upload_mib: int) -> dict[str, Any]:
    caps = f"[site]\npush_unverified_per_client = {uploads}\npush_unverified_total = {uploads}\n"
    with tempfile.TemporaryDirectory(prefix="wdbench-push-") as tmp:
        site = Site(Path(tmp), settle=None, toml=caps)
        try:
            # The memory figure first, before timed pushes have raised the high-water mark.
            memory = unverified_peak(site, uploads, upload_mib)
            print(
                f"push: {memory['growth_mib']:.1f} MiB peak growth for {uploads} x {upload_mib} MiB"
            )
            timed = {}
            for mib in sizes:
                timed[str(mib)] = timed_pushes(site.base, body_of(mib), reps)
                print(f"push {mib} MiB: {timed[str(mib)]}")
        finally:
            site.stop()
    return {"reps": reps, "timed": timed, "unverified": memory}
