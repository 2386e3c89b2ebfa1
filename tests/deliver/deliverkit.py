"""Shared pieces of the delivery tests: a real webhook receiver on loopback, targets, waiting."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from sqlalchemy import func, select

from livesite import free_port, taking_posts
from wiredesk import Desk
from wiredesk.config import Config, TargetConfig
from wiredesk.deliver.loop import Deliverer, DeliverySettings
from wiredesk.deliver.pictures import PictureSource, no_pictures
from wiredesk.store import targets
from wiredesk.store.models import OutboxRow

SECRET = "test-webhook-secret-6f1d"


@dataclass
class Receiver:
    """What a publisher's receiver does: check the signature, apply each key once."""

    secret: str = SECRET
    failing: bool = False
    received: list[dict[str, Any]] = field(default_factory=list)  # every POST, even repeats
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> body, once
    order: list[str] = field(default_factory=list)
    bad_signatures: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def handle(self, headers: Any, body: bytes) -> int:
        timestamp = headers.get("X-Wiredesk-Timestamp", "")
        want = (
            "sha256="
            + hmac.new(
                self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
        )
        with self.lock:
            if not hmac.compare_digest(want, headers.get("X-Wiredesk-Signature", "")):
                self.bad_signatures += 1
                return 401
            if self.failing:
                self.refused += 1
                return 500
            data = json.loads(body)
            key = unquote(headers["Idempotency-Key"])
            assert key == data["idempotency_key"]
            self.received.append(data)
            if key not in self.applied:
                self.applied[key] = data
                self.order.append(key)
            return 200

    def actions(self, uri: str) -> list[tuple[str, str]]:
        with self.lock:
            return [
                (self.applied[k]["action"], self.applied[k]["version"])
                for k in self.order
                if self.applied[k]["uri"] == uri
            ]


@contextmanager
def receiving(receiver: Receiver | None = None) -> Iterator[Receiver]:
    receiver = receiver or Receiver()

    def handle(headers: Any, body: bytes, whole: bool) -> int:
        # A sender killed mid-request leaves a short body: a broken request, not a
        # signature to check (a real server would never hand it to the application).
        return receiver.handle(headers, body) if whole else 400

    with taking_posts(handle) as base:
        receiver.url = f"{base}/hook"
        yield receiver


def add_target(desk: Desk, name: str, kind: str, location: str, **options: Any) -> None:
    secret_env = options.pop("secret_env", "")
    with desk.store.session() as session, session.begin():
        targets.upsert(
            session,
            TargetConfig(
                name=name, kind=kind, location=location, secret_env=secret_env, options=options
            ),
            desk.clock(),
        )


def backlog(desk: Desk) -> int:
    with desk.store.session() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.state == "pending")
            )
            or 0
        )


def wait_until(check: Callable[[], bool], timeout: float = 20, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return check()


@contextmanager
def delivering(
    desk: Desk, pictures: PictureSource = no_pictures, **settings: Any
) -> Iterator[Deliverer]:
    """The real delivery loop in a thread, stopped (and its rounds finished) on exit."""
    deliverer = Deliverer(
        desk, owner="test", settings=DeliverySettings(**settings), pictures=pictures
    )
    stop = threading.Event()
    thread = threading.Thread(target=deliverer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield deliverer
    finally:
        stop.set()
        thread.join(timeout=30)


NGINX = next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if Path(p).exists()), "")


def nginx_conf(root: Path, work: Path, port: int) -> str:
    """The server block docs/targets.md recommends for an exported folder."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/tmp;
    proxy_temp_path {work}/tmp;
    fastcgi_temp_path {work}/tmp;
    uwsgi_temp_path {work}/tmp;
    scgi_temp_path {work}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location ^~ /.wiredesk/ {{ return 404; }}
        error_page 404 /404.html;
        error_page 410 @withdrawn;
        location / {{
            if (-f $document_root/.wiredesk/gone$uri.410) {{ return 410; }}
            try_files $uri $uri.html $uri/index.html =404;
        }}
        location @withdrawn {{ try_files $uri.html $uri/index.html =404; }}
    }}
}}
"""


@contextmanager
def nginx_serving(root: Path, work: Path) -> Iterator[str]:
    if not NGINX:
        pytest.skip("nginx is not installed (scripts/system-deps.sh installs it as root)")
    work.mkdir(parents=True, exist_ok=True)
    (work / "tmp").mkdir(exist_ok=True)
    port = free_port()
    (work / "nginx.conf").write_text(nginx_conf(root, work, port))
    proc = subprocess.Popen(
        [NGINX, "-c", str(work / "nginx.conf"), "-p", str(work)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_until(lambda: _answers(base), timeout=10):
            raise RuntimeError(f"nginx did not start: {(work / 'error.log').read_text()}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _answers(base: str) -> bool:
    try:
        httpx.get(base + "/", timeout=1)
    except httpx.HTTPError:
        return False
    return True


@contextmanager
def wiredesk_serve(config: Config, work: Path) -> Iterator[str]:
    """A real `wiredesk serve` process over the same database and data folder."""
    work.mkdir(parents=True, exist_ok=True)
    toml = work / "wiredesk.toml"
    toml.write_text(
        f'[desk]\ndata_dir = "{config.data_dir}"\n[site]\npage_cache_seconds = 0\n'
        f'base_url = "{config.base_url}"\n'
    )
    port = free_port()
    log = (work / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "wiredesk", "--config", str(toml), "--db", config.database_url]
        + ["serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_until(lambda: _answers(base), timeout=30):
            raise RuntimeError((work / "serve.log").read_text())
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
