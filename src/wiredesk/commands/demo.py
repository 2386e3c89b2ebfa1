"""`wiredesk demo`: a throwaway desk with a bundled sample wire, running and served at once.

It shows the whole desk: the sample wire ingested (one file quarantined on purpose), a spool
folder being watched for more, and an admin login printed once.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections import Counter
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import click

from wiredesk import open_desk
from wiredesk.commands.demo_pictures import demo_pictures
from wiredesk.config import Config, SourceConfig
from wiredesk.desk.picture_worker import PictureWorker
from wiredesk.desk.runner import Runner
from wiredesk.store import sources
from wiredesk.transports.folder import iter_files

# The sample wire's deliberately broken file.
TRUNCATED = "05-truncated.nitf.xml"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Ingest the sample wire and exit.")
@click.option("--keep", is_flag=True, help="Keep the demo's folder and database after it exits.")
def demo(host: str, port: int, no_serve: bool, keep: bool) -> None:
    """Ingest a bundled sample wire into a throwaway database and run the desk and the site."""
    from wiredesk.admin import auth
    from wiredesk.commands.ports import check_port
    from wiredesk.commands.processes import serve_site

    if not no_serve:
        check_port(host, port)
    workdir = Path(tempfile.mkdtemp(prefix="wiredesk-demo-"))
    spool = workdir / "spool"
    spool.mkdir()
    config = Config(data_dir=workdir, base_url=f"http://{host}:{port}")
    desk = open_desk(config)
    password = secrets.token_urlsafe(12)
    with desk.store.session() as session, session.begin():
        sources.upsert(
            session,
            SourceConfig(name="demo-spool", agency="DWN", transport="folder", location=str(spool)),
            desk.clock(),
        )
        auth.set_user(session, "demo", password, datetime.now(UTC))
    counts: Counter[str] = Counter()
    # The wire's pictures arrive beside its files, as an agency's would.
    for name, data in demo_pictures().items():
        counts[desk.receive(data, source="demo", filename=name).outcome] += 1
    with resources.as_file(resources.files("wiredesk") / "samples" / "wire") as folder:
        for path in iter_files([folder]):
            counts[desk.receive(path.read_bytes(), source="demo", filename=path.name).outcome] += 1
    shown = PictureWorker(desk).drain()
    click.echo("demo wire ingested: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    click.echo(f"pictures checked: {shown}")
    if counts["quarantined"]:
        click.echo(
            f"(the quarantined file, {TRUNCATED}, is cut short on purpose: it shows how a bad"
            " file is kept with its reason at /admin/quarantine while the others publish)"
        )
    if keep:
        click.echo(f"database: {config.database_url} (kept after exit, with {workdir})")
    else:
        click.echo("the demo's database is deleted on exit (--keep keeps it)")
    stop = threading.Event()
    try:
        if no_serve:
            return
        runner = threading.Thread(target=Runner(desk).run, args=(stop,), name="runner")
        runner.start()
        click.echo(f"drop wire files into {spool} to publish them")
        click.echo(f"admin: http://{host}:{port}/admin/  user demo, password {password}")
        click.echo(f"wiredesk demo site: http://{host}:{port}/")
        try:
            serve_site(config, desk, host, port, stop)
        finally:
            stop.set()
            runner.join()
    finally:
        desk.store.close()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
