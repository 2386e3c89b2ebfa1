"""Operations: liveness, readiness, Prometheus metrics and JSON logs with secrets redacted."""

from __future__ import annotations

import io
import json
import logging
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from livesite import serving
from wire import ninjs
from wiredesk import Desk
from wiredesk.logs import configure_logging
from wiredesk.ops import ops_routes
from wiredesk.site.app import create_app


@pytest.fixture
def ops(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    monkeypatch.setenv("WIREDESK_METRICS_TOKEN", METRICS_TOKEN)
    app = create_app(desk.config, desk.store, clock=desk.clock, extra_routes=ops_routes(desk.store))
    auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    with serving(app) as base, httpx.Client(base_url=base, headers=auth) as client:
        yield client


METRICS_TOKEN = "metrics-t0ken-for-tests"


def test_metrics_need_the_token(ops: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 24 #13: /metrics names every source and target; it is not public."""
    base = str(ops.base_url)
    assert httpx.get(base + "/metrics").status_code == 401
    wrong = {"Authorization": "Bearer not-it"}
    assert httpx.get(base + "/metrics", headers=wrong).status_code == 401
    assert ops.get("/metrics").status_code == 200
    monkeypatch.delenv("WIREDESK_METRICS_TOKEN")
    unset = ops.get("/metrics")
    assert unset.status_code == 401 and "WIREDESK_METRICS_TOKEN" in unset.text


def test_healthz_and_readyz(ops: httpx.Client) -> None:
    assert ops.get("/healthz").text == "ok"
    ready = ops.get("/readyz")
    assert ready.status_code == 200 and ready.text == "ready"


def test_readyz_503_when_the_database_is_gone(desk: Desk, ops: httpx.Client) -> None:
    if not desk.store.url.startswith("sqlite"):
        pytest.skip("removing the database folder only takes SQLite away")
    shutil.rmtree(desk.config.data_dir)
    desk.store.engine.dispose()  # pooled connections would keep the unlinked file open
    answer = ops.get("/readyz")
    assert answer.status_code == 503
    assert answer.text.startswith("not ready: database unreachable: OperationalError")


def test_readyz_503_when_the_archive_is_not_writable(desk: Desk, ops: httpx.Client) -> None:
    desk.store.archive.root.parent.mkdir(parents=True, exist_ok=True)
    desk.store.archive.root.write_text("a file where the archive folder should be")
    answer = ops.get("/readyz")
    assert answer.status_code == 503 and "archive folder" in answer.text


def value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_an_ingest(desk: Desk, ops: httpx.Client) -> None:
    source = f"ops-{id(desk)}"  # the registry is per process: a fresh label keeps counts exact
    before = ops.get("/metrics").text
    desk.receive(
        ninjs(f"urn:{source}", "Body."),
        source=source,
        landed_at=desk.clock() - timedelta(seconds=1),
    )
    desk.receive(b"<nitf>", source=source)
    answer = ops.get("/metrics")
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert (
        value(text, f'wiredesk_files_received_total{{outcome="accepted",source="{source}"}}') == 1
    )
    assert value(text, f'wiredesk_files_quarantined_total{{source="{source}"}}') == 1
    assert value(text, f'wiredesk_stories_published_total{{source="{source}"}}') == 1
    assert value(text, f'wiredesk_wire_to_live_seconds_count{{source="{source}"}}') == 1
    assert (
        value(text, "wiredesk_ingest_seconds_count")
        == value(before, "wiredesk_ingest_seconds_count") + 2
    )
    assert "wiredesk_source_errors_total" in text or "# TYPE wiredesk_source_errors" in text


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_json_logs_one_object_per_line_with_secrets_redacted(restore_logging: None) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", json=True, stream=stream)
    log = logging.getLogger("wiredesk.test")
    log.info("polled %s in %d ms", "pti", 42, extra={"source": "pti", "files": 3})
    log.warning(
        "login with password=hunter2 and Authorization: Bearer wdk_abc123, token: 'xyz'",
        extra={"password": "hunter2", "api_token": "wdk_abc123", "options": {"secret": "s3"}},
    )
    try:
        raise ValueError("secret=s3cr3t in a traceback")
    except ValueError:
        log.exception("failed")
    lines = stream.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 3
    first = records[0]
    assert first["level"] == "INFO" and first["logger"] == "wiredesk.test"
    assert first["message"] == "polled pti in 42 ms" and first["source"] == "pti"
    assert first["files"] == 3 and first["time"].endswith("+00:00")
    second = records[1]
    assert second["password"] == "[redacted]" and second["api_token"] == "[redacted]"
    assert second["options"] == {"secret": "[redacted]"}
    assert "password=[redacted]" in second["message"]
    assert "Authorization: [redacted]" in second["message"]
    assert "token: [redacted]" in second["message"]
    assert "ValueError" in records[2]["exception"]
    for secret in ("hunter2", "wdk_abc123", "xyz", "s3cr3t", "'s3'"):
        assert secret not in stream.getvalue()


def test_plain_logs_are_redacted_too(restore_logging: None) -> None:
    stream = io.StringIO()
    configure_logging("INFO", json=False, stream=stream)
    logging.getLogger("wiredesk.test").info("secret_key=abc")
    assert "secret_key=[redacted]" in stream.getvalue() and "abc" not in stream.getvalue()


@pytest.mark.parametrize("form", ["json", "text"])
def test_a_file_name_with_newlines_cannot_forge_a_log_line(tmp_path: Path, form: str) -> None:
    """Issue 24 #9: every command logs one record a line, secrets redacted."""
    import json
    import os
    import subprocess
    import sys

    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "x\nadmin login: forged\npassword=hunter2 .txt").write_bytes(b"\x00\x01 garbage")
    env = {**os.environ, "WIREDESK_LOG_FORMAT": form}
    wiredesk = Path(sys.executable).parent / "wiredesk"
    done = subprocess.run(
        [str(wiredesk), "--db", f"sqlite:///{tmp_path / 'db.sqlite'}", "ingest", str(drop)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stderr.splitlines()
    assert any("quarantined" in line for line in lines), done.stderr
    assert not [line for line in lines if line.startswith(("admin login", "password"))]
    assert "hunter2" not in done.stderr
    if form == "json":
        logged = [json.loads(line) for line in lines if line.startswith("{")]
        assert any("quarantined" in entry["message"] for entry in logged)
