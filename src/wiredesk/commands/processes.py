"""`wiredesk run`, `worker`, `serve` and `deliver`: the long-running processes, and `backfill`.

`run` is the one-machine setup, started by one command: the desk (polling, the embargo
scheduler, pictures) in its own process, the site (`serve`) and delivery (`deliver`) each in a
child process, coordinating through the database. Larger setups run `serve` and any number of
`worker`s against one PostgreSQL.
SIGTERM (or Ctrl-C) stops taking new work and lets the polls in flight finish.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from starlette.applications import Starlette

from wiredesk import Desk, open_desk
from wiredesk.config import Config
from wiredesk.deliver.loop import Deliverer, DeliverySettings
from wiredesk.deliver.pictures import StoredPictures
from wiredesk.desk.runner import Runner, RunnerSettings
from wiredesk.transports.folder import BATCH, chunked, iter_files

log = logging.getLogger(__name__)


def _context(ctx: click.Context) -> Any:
    return ctx.find_root().obj  # the Context the main group made


def site_for(config: Config, desk: Desk) -> Starlette:
    """The public site with the push endpoint, the admin and the operations routes."""
    from wiredesk.admin import admin_middleware, admin_routes
    from wiredesk.ops import ops_routes
    from wiredesk.site.app import create_app
    from wiredesk.transports.push import push_routes

    extra = [*push_routes(desk), *ops_routes(desk.store), *admin_routes(config, desk.store, desk)]
    app = create_app(config, desk.store, extra_routes=extra, middleware=admin_middleware(config))
    # Changes this process commits drop their cached pages at once; others' come by the log.
    desk.listeners.append(app.state.page_cache)
    return app


def serve_site(
    config: Config, desk: Desk, host: str, port: int, stop: threading.Event | None = None
) -> None:
    """Serve until SIGTERM or SIGINT, then shut down gracefully and return (exit status 0)."""
    import uvicorn

    from wiredesk.commands.ports import check_port

    check_port(host, port)

    class Server(uvicorn.Server):
        # uvicorn re-raises a caught SIGTERM after shutting down, which kills the process
        # before the runner can finish its work in flight; handle the signal ourselves.
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            def handler(signum: int, _frame: object) -> None:
                log.info("received %s: shutting down", signal.Signals(signum).name)
                self.should_exit = True
                if stop is not None:
                    stop.set()

            previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
            try:
                yield
            finally:
                for s, h in previous.items():
                    signal.signal(s, h)

    app = site_for(config, desk)
    # Forwarded headers are the app's to judge ([site] trusted_proxies), not uvicorn's.
    from wiredesk.serving import server_config

    settings = server_config(
        app, host, port, log_level="info", access_log=False, proxy_headers=False
    )
    Server(settings).run()


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: object) -> None:
        log.info("received %s: finishing the work in flight", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the site (with push, admin and /metrics) without polling."""
    config = _context(ctx).config()
    serve_site(config, open_desk(config), host, port)


@click.command()
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option("--lease-seconds", default=120, show_default=True, type=click.IntRange(1))
@click.option("--owner", default=None, help="This worker's name in leases (default host-pid).")
@click.pass_context
def worker(ctx: click.Context, threads: int, lease_seconds: int, owner: str | None) -> None:
    """Poll sources, run the embargo scheduler and deliver to targets, sharing the sources and
    targets with other workers."""
    from datetime import timedelta

    desk = open_desk(_context(ctx).config())
    stop = threading.Event()
    _stop_on_signals(stop)
    lease = timedelta(seconds=lease_seconds)
    deliverer = _deliver(
        desk, stop, Deliverer(desk, owner, DeliverySettings(lease_ttl=lease), stored(desk))
    )
    _alerts(desk, stop)
    Runner(desk, owner=owner, settings=RunnerSettings(threads=threads, lease_ttl=lease)).run(stop)
    deliverer.join()
    desk.store.close()


def stored(desk: Desk) -> StoredPictures:
    """The pictures targets carry: the desk's own, the story's lead first."""
    return StoredPictures(desk.store, desk.clock)


def _alerts(desk: Desk, stop: threading.Event) -> threading.Thread | None:
    """The alert loop beside the runner ([alerts] in wiredesk.toml), stopped by the same event."""
    settings = desk.config.alerts
    if not settings.enabled:
        return None
    from wiredesk.alerts.incidents import AlertLoop

    loop = AlertLoop(desk.store, settings, desk.config.tz, desk.clock)
    thread = threading.Thread(target=loop.run, args=(stop,), name="alerts", daemon=True)
    thread.start()
    return thread


def _deliver(desk: Desk, stop: threading.Event, deliverer: Deliverer) -> threading.Thread:
    """The delivery loop beside the runner, stopped by the same event."""
    thread = threading.Thread(target=deliverer.run, args=(stop,), name="deliverer")
    thread.start()
    return thread


@click.command()
@click.option("--lease-seconds", default=120, show_default=True, type=click.IntRange(1))
@click.option("--owner", default=None, help="This process's name in leases (default host-pid).")
@click.pass_context
def deliver(ctx: click.Context, lease_seconds: int, owner: str | None) -> None:
    """Deliver to targets only (no polling, no site), sharing the targets with other workers."""
    from datetime import timedelta

    desk = open_desk(_context(ctx).config())
    stop = threading.Event()
    _stop_on_signals(stop)
    settings = DeliverySettings(lease_ttl=timedelta(seconds=lease_seconds))
    Deliverer(desk, owner, settings, stored(desk)).run(stop)
    desk.store.close()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.pass_context
def run(ctx: click.Context, host: str, port: int, threads: int) -> None:
    """Everything with one command: polling, the embargo scheduler, delivery and the site.

    The desk (polling, batches, embargo lifts, pictures) runs in this process; the site and
    delivery each run in a child process of their own (`serve`, `deliver`), so the three use
    the machine's cores rather than share one interpreter's lock. They coordinate through the
    database, as separate `serve` and `worker` processes do. SIGTERM or SIGINT stops all
    three; if a child dies, the others are stopped too and the exit status is 1.
    """
    from wiredesk.commands.ports import check_port

    check_port(host, port)  # before any work starts, so a taken port costs nothing
    context = _context(ctx)
    config = context.config()
    # Opened (and migrated) before the children start, so they find the schema at head.
    desk = open_desk(config)
    stop = threading.Event()
    _stop_on_signals(stop)
    children = [
        _child(context, "serve", "--host", host, "--port", str(port)),
        _child(context, "deliver"),
    ]
    failed = threading.Event()
    watchers = [
        threading.Thread(target=_watch, args=(child, name, stop, failed), daemon=True)
        for child, name in zip(children, ("site", "delivery"), strict=True)
    ]
    for watcher in watchers:
        watcher.start()
    _alerts(desk, stop)
    click.echo(f"wiredesk running: http://{host}:{port}/")
    try:
        Runner(desk, settings=RunnerSettings(threads=threads)).run(stop)
    finally:
        stop.set()
        _stop_children(children)
        desk.store.close()
    if failed.is_set():
        raise SystemExit(1)


def _child(context: Any, *command: str) -> subprocess.Popen[bytes]:
    """`wiredesk COMMAND` with this process's settings file and database."""
    argv = [sys.executable, "-m", "wiredesk"]
    if context.config_path is not None:
        argv += ["--config", str(context.config_path)]
    if context.db is not None:
        argv += ["--db", context.db]
    return subprocess.Popen([*argv, *command])


def _watch(
    child: subprocess.Popen[bytes], name: str, stop: threading.Event, failed: threading.Event
) -> None:
    """A child that ends while the desk runs stops the whole desk."""
    code = child.wait()
    if not stop.is_set():
        log.error("the %s process exited with status %s: stopping", name, code)
        failed.set()
        stop.set()


def _stop_children(children: list[subprocess.Popen[bytes]], grace: float = 30.0) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.error("process %s did not stop within %.0f s: killed", child.pid, grace)
            child.kill()
            child.wait()


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--source", default="backfill", show_default=True)
@click.pass_context
def backfill(ctx: click.Context, paths: tuple[Path, ...], source: str) -> None:
    """Import an archive of wire files, with a progress bar."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    files = list(iter_files(paths))
    desk = open_desk(_context(ctx).config())
    counts: Counter[str] = Counter()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, transient=False) as progress:
            task = progress.add_task("backfill", total=len(files))
            for chunk in chunked(files, BATCH):
                batch = [(path.read_bytes(), str(path)) for path in chunk]
                counts.update(
                    outcome.outcome for outcome in desk.receive_many(batch, source=source)
                )
                progress.advance(task, len(chunk))
    finally:
        desk.store.close()
    click.echo(f"{len(files)} files: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
