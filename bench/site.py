"""The site under wrk: story page and home page, wiredesk against nginx serving the same bytes.

    python -m bench.site [--stories 10000] [--duration 15] [--workers 2]

A store of `--stories` stories (bulk-filled as in bench.scale) is served three ways:
`wiredesk serve` (one process, as shipped), uvicorn with `--workers` processes over the same
app (`uvicorn bench.site:app --factory --workers N`), and nginx (worker_processes N) serving
the HTML of the same two pages saved as static files. Each is hit with
`wrk -t2 -c64 -d15s --latency`; req/s and p99 are read from wrk's output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

WRK = ["wrk", "-t2", "-c64", "--latency"]


def app() -> Any:
    """The ASGI app `wiredesk serve` runs, for `uvicorn --factory --workers N`."""
    from wiredesk import Config, open_desk
    from wiredesk.commands.processes import site_for

    config = Config(data_dir=Path(os.environ["WIREDESK_BENCH_DATA"]))
    return site_for(config, open_desk(config))


def wrk(url: str, duration: int) -> dict[str, Any]:
    out = subprocess.run(
        [*WRK, f"-d{duration}s", url], check=True, capture_output=True, text=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "command": " ".join([*WRK, f"-d{duration}s", url]),
    }


NGINX_CONF = """worker_processes {workers};
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {work}/tmp;
    proxy_temp_path {work}/tmp;
    fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp;
    scgi_temp_path {work}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {work}/html;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


class Nginx:
    def __init__(self, work: Path, pages: dict[str, bytes], workers: int) -> None:
        from bench.latency import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        for path, body in pages.items():
            target = work / "html" / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        (work / "tmp").mkdir(exist_ok=True)
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(workers=workers, work=work, port=self.port))
        self.proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work)])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                httpx.get(self.base + "/", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def run(stories: int, duration: int, workers: int) -> dict[str, Any]:
    from bench.scale import Filler, Server

    work = Path(tempfile.mkdtemp(prefix="wiredesk-site-", dir=os.environ.get("BENCH_TMP")))
    work.chmod(0o755)  # nginx workers run as www-data
    result: dict[str, Any] = {"stories": stories, "duration_s": duration, "workers": workers}
    try:
        filler = Filler(work / "data")
        filler.grow(stories)
        filler.desk.store.close()
        section, slug = filler.slugs[len(filler.slugs) // 2]
        paths = {"story": f"/{section}/{slug}", "home": "/"}
        servers: dict[str, Any] = {}
        for name, workers_n in (("serve", 0), (f"uvicorn_{workers}w", workers)):
            server = Server(work / "data", workers_n)
            try:
                pages = {p: httpx.get(server.base + p).content for p in paths.values()}
                servers[name] = {
                    "command": server.command,
                    **{k: wrk(server.base + p, duration) for k, p in paths.items()},
                }
            finally:
                server.stop()
        nginx = Nginx(work, pages, workers)
        try:
            servers["nginx"] = {
                "command": f"nginx -c {work}/nginx.conf (worker_processes {workers})",
                **{k: wrk(nginx.base + p, duration) for k, p in paths.items()},
            }
        finally:
            nginx.stop()
        result["page_bytes"] = {k: len(pages[p]) for k, p in paths.items()}
        result["servers"] = servers
        for name in servers:
            for page in paths:
                servers[name][page]["vs_nginx"] = (
                    servers[name][page]["rps"] / servers["nginx"][page]["rps"]
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="site throughput under wrk")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None or shutil.which("nginx") is None:
        sys.exit("wrk and nginx are needed: bench/setup.sh installs them")
    print(json.dumps(run(args.stories, args.duration, args.workers)))


if __name__ == "__main__":
    main()
