"""The long-running processes, run for real: `wiredesk run` polls a spool and serves the site."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from livesite import free_port
from wire import ninjs
from wiredesk.cli import main


def wait_until(check, timeout: float = 20.0) -> object:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except httpx.HTTPError:
            result = None
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_run_polls_a_spool_serves_the_site_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    (tmp_path / "wiredesk.toml").write_text(
        f'[[sources]]\nname = "pti"\nagency = "PTI"\ntransport = "folder"\nlocation = "{spool}"\nsection = "india"\n'
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "WIREDESK_DB"}
    process = subprocess.Popen(
        [sys.executable, "-m", "wiredesk", "run", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: httpx.get(f"{base}/healthz").status_code == 200)
        tmp = spool / ".incoming"
        tmp.write_bytes(
            ninjs("urn:run:1", "Delhi, June 1 (PTI) Live from the spool.", headline="Spool story")
        )
        os.replace(tmp, spool / "story.json")
        stories = wait_until(lambda: httpx.get(f"{base}/api/latest.json").json()["stories"])
        [story] = stories  # type: ignore[misc]
        assert story["url"].startswith("/india/spool-story-")
        assert "Live from the spool." in httpx.get(base + story["url"]).text
        assert wait_until(lambda: list((spool / "processed").rglob("story.json")))
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _command_of(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_run(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "WIREDESK_DB"}
    process = subprocess.Popen(
        [sys.executable, "-m", "wiredesk", "run", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/healthz").status_code == 200)
    return process, base


def test_run_serves_and_delivers_from_processes_of_their_own(tmp_path: Path) -> None:
    process, _base = _start_run(tmp_path)
    try:
        children = wait_until(lambda: len(_children(process.pid)) == 2 and _children(process.pid))
        commands = sorted(_command_of(pid).split(" wiredesk ", 1)[1] for pid in children)  # type: ignore[attr-defined]
        assert [c.split()[0] for c in commands] == ["deliver", "serve"]
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert not [pid for pid in children if _alive(pid)]  # type: ignore[attr-defined]


def test_run_stops_with_status_1_when_a_child_dies(tmp_path: Path) -> None:
    process, _base = _start_run(tmp_path)
    try:
        children = wait_until(lambda: len(_children(process.pid)) == 2 and _children(process.pid))
        site = next(p for p in children if " serve " in _command_of(p) + " ")  # type: ignore[attr-defined]
        os.kill(site, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 1, output
    assert "the site process exited" in output
    assert not [pid for pid in children if _alive(pid)]  # type: ignore[attr-defined]


def test_sources_add_list_enable_disable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    monkeypatch.setenv("PTI_FTP_PASSWORD", "hunter2")
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    run(
        "sources",
        "add",
        "pti-ftp",
        "--transport",
        "ftp",
        "--location",
        "ftp://pti@127.0.0.1:2121/out",
        "--agency",
        "PTI",
        "--interval",
        "30",
        "--section",
        "india",
        "--secret-env",
        "PTI_FTP_PASSWORD",
        "--option",
        "after=delete",
    )
    run(
        "sources",
        "add",
        "ians",
        "--transport",
        "http",
        "--location",
        "https://wire.example/ians.xml",
    )
    rows = json.loads(run("sources", "list", "--json"))
    assert [(r["name"], r["transport"], r["interval"], r["enabled"]) for r in rows] == [
        ("ians", "http", 60, True),
        ("pti-ftp", "ftp", 30, True),
    ]
    assert rows[1]["secret_env"] == "PTI_FTP_PASSWORD"
    assert "hunter2" not in run("sources", "list", "--json") + run("sources", "list")
    run("sources", "disable", "ians")
    assert json.loads(run("sources", "list", "--json"))[0]["enabled"] is False
    assert "no source named 'nope'" in run("sources", "enable", "nope", code=1)
    assert "needs a location" in run("sources", "add", "x", "--transport", "http", code=2)
    for location in ("file:///etc/passwd", "ftp://wire.example/x", "localhost:8000/feed"):
        refused = run("sources", "add", "x", "--transport", "http", "--location", location, code=2)
        assert "must be an http(s) URL" in refused
    assert [r["name"] for r in json.loads(run("sources", "list", "--json"))] == ["ians", "pti-ftp"]


def test_backfill_imports_an_archive_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    archive = tmp_path / "archive" / "2021" / "09"
    archive.mkdir(parents=True)
    for n in range(5):
        (archive / f"{n}.json").write_bytes(ninjs(f"urn:bf:{n}", f"Story {n}."))
    (archive / "bad.xml").write_bytes(b"<nitf")
    result = CliRunner().invoke(
        main, ["backfill", str(tmp_path / "archive")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "6 files: 5 accepted, 1 quarantined"


def test_demo_serves_the_sample_wire_and_publishes_what_lands_in_its_spool(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wiredesk", "demo", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    lines: list[str] = []
    try:
        assert process.stdout is not None
        while not any(line.startswith("wiredesk demo site:") for line in lines):
            line = process.stdout.readline()
            assert line, "demo exited early: " + "".join(lines)
            lines.append(line)
        text = "".join(lines)
        assert "4 accepted, 4 picture, 1 quarantined" in text
        spool = Path(
            next(line for line in lines if line.startswith("drop wire files into"))
            .split(" into ", 1)[1]
            .split(" to publish")[0]
        )
        password = (
            next(line for line in lines if line.startswith("admin:"))
            .rsplit("password ", 1)[1]
            .strip()
        )
        wait_until(lambda: httpx.get(f"{base}/").status_code == 200)
        assert "Monsoon reaches Kerala" in httpx.get(f"{base}/").text
        tmp = spool / ".part"
        tmp.write_bytes(
            ninjs(
                "urn:demo:drop",
                "Delhi, June 1 (DWN) Dropped in.",
                headline="Dropped into the demo spool",
            )
        )
        os.replace(tmp, spool / "drop.json")
        wait_until(lambda: "Dropped into the demo spool" in httpx.get(f"{base}/").text)
        with httpx.Client(base_url=base) as client:
            form = client.get("/admin/login").text
            csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post(
                "/admin/login",
                data={"csrf": csrf, "next": "/admin/", "username": "demo", "password": password},
            )
            assert "demo-spool" in client.get("/admin/").text
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0
