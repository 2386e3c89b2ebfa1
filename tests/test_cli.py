from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from wire import ninjs
from wiredesk.cli import main


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    return invoke


def test_init_writes_the_config_and_creates_the_database(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = run("init")
    assert "wrote wiredesk.toml" in out
    assert (tmp_path / "var" / "wiredesk.db").exists()
    assert "kept it" in run("init")
    import tomllib

    settings = tomllib.loads((tmp_path / "wiredesk.toml").read_text())
    assert settings["desk"]["disclaimer"].endswith("has not been reviewed by an editor")


def test_ingest_summarises_and_exits_zero_with_quarantine(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "a.json").write_bytes(ninjs("urn:c:1", "Delhi, June 1 (PTI) One."))
    (wire / "b.xml").write_bytes(b"<nitf><broken")
    (wire / ".hidden").write_bytes(b"ignored")
    out = run("ingest", str(wire))
    assert out.strip().splitlines()[-1] == "2 files: 1 accepted, 1 quarantined"
    assert "2 files: 2 duplicate" in run("ingest", str(wire))


def test_ingest_fails_only_when_nothing_can_run(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "no files to ingest" in run("ingest", str(tmp_path / "missing"), code=1)


def test_parse_prints_items_and_fails_cleanly(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.json"
    good.write_bytes(ninjs("urn:c:2", "Kabul, Sep 1 (PTI) Text.", headline="H"))
    [item] = json.loads(run("parse", str(good)))
    assert (item["uri"], item["headline"], item["dateline"], item["agency"], item["body_text"]) == (
        "urn:c:2",
        "H",
        "Kabul, Sep 1",
        "PTI",
        "Text.",
    )
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<nitf>")
    assert "not well-formed XML" in run("parse", str(bad), code=1)


def test_stories_show_hold_and_audit(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "wiredesk.toml").write_text(
        '[[rules]]\nname = "hold ians"\nagency = "IANS"\naction = "hold"\n'
    )
    (tmp_path / "a.json").write_bytes(
        ninjs("urn:c:3", "Delhi, June 1 (PTI) One.", headline="<b>One</b>")
    )
    (tmp_path / "b.json").write_bytes(ninjs("urn:c:4", "Delhi, June 1 (IANS) Two.", headline="Two"))
    run("ingest", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    stories = json.loads(run("stories", "--json"))
    assert [(s["id"], s["state"], s["section"]) for s in stories] == [
        (1, "published", "news"),
        (2, "held", "news"),
    ]
    assert stories[0]["url"].startswith("/news/b-one-b-")
    assert set(stories[0]) >= {"id", "uri", "version", "state", "headline", "section", "url"}
    assert run("show", "1", "--as", "txt").startswith("date ")
    assert json.loads(run("show", "1", "--as", "json"))["headline"] == "<b>One</b>"
    assert run("show", "1", "--as", "html").strip() == "<p>One.</p>"
    assert "no story with id 9" in run("show", "9", code=1)
    assert json.loads(run("hold", "list", "--json"))[0]["reason"] == "held by rule 'hold ians'"
    assert "2: published" in run("hold", "release", "2")
    assert "nothing is held" in run("hold", "list")
    assert "no held story with id 1" in run("hold", "drop", "1", code=1)
    assert [e["action"] for e in json.loads(run("audit", "2", "--json"))] == [
        "published",
        "released",
    ]


def test_db_option_and_environment_choose_the_database(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.json").write_bytes(ninjs("urn:c:5", "Text."))
    run("--db", f"sqlite:///{tmp_path / 'other.db'}", "ingest", str(tmp_path / "a.json"))
    assert (tmp_path / "other.db").exists() and not (tmp_path / "var" / "wiredesk.db").exists()
    monkeypatch.setenv("WIREDESK_DB", f"sqlite:///{tmp_path / 'env.db'}")
    run("ingest", str(tmp_path / "a.json"))
    assert (tmp_path / "env.db").exists()


def test_demo_ingests_the_bundled_wire(run) -> None:  # type: ignore[no-untyped-def]
    out = run("demo", "--no-serve")
    assert "4 accepted, 4 picture, 1 quarantined" in out
    assert "pictures checked: 4" in out


def test_the_console_script_is_installed() -> None:
    from shutil import which

    exe = which("wiredesk", path=os.path.dirname(os.sys.executable))  # type: ignore[attr-defined]
    assert exe is not None


def test_group_options_are_accepted_after_the_command(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.json").write_bytes(ninjs("urn:c:6", "Text."))
    other = f"sqlite:///{tmp_path / 'after.db'}"
    run("ingest", str(tmp_path / "a.json"), "--db", other)
    assert (tmp_path / "after.db").exists() and not (tmp_path / "var" / "wiredesk.db").exists()
    assert json.loads(run("stories", "--json", f"--db={other}"))[0]["uri"] == "urn:c:6"
    assert json.loads(run("--db", other, "stories", "--json"))[0]["uri"] == "urn:c:6"


def test_hoisting_stops_at_a_double_dash() -> None:
    from wiredesk.commands.context import hoist_group_options

    assert hoist_group_options(["parse", "--", "--db", "x"]) == ["parse", "--", "--db", "x"]
    assert hoist_group_options(["--db", "a", "parse", "f", "--config", "c.toml"]) == [
        "--config",
        "c.toml",
        "--db",
        "a",
        "parse",
        "f",
    ]


def test_the_demo_says_the_quarantine_is_on_purpose_and_keeps_its_database_only_when_asked(
    run,
) -> None:  # type: ignore[no-untyped-def]
    out = run("demo", "--no-serve")
    assert "05-truncated.nitf.xml, is cut short on purpose" in out
    assert "deleted on exit (--keep keeps it)" in out and "database: " not in out
    kept = run("demo", "--no-serve", "--keep")
    [line] = [line for line in kept.splitlines() if line.startswith("database: ")]
    path = Path(line.split("sqlite:///", 1)[1].split(" ", 1)[0])
    assert path.exists()
    import shutil

    shutil.rmtree(path.parent)


def test_a_taken_port_is_named_with_a_free_one_to_try(run) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = run("run", "--port", str(port), code=1)
    assert f"port {port} on 127.0.0.1 is in use" in out
    assert "try --port " in out or "choose another with --port" in out


def test_the_files_own_credit_wins_over_the_sources_agency(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "wiredesk.toml").write_text(
        '[[sources]]\nname = "spool"\ntransport = "folder"\nlocation = "in"\nagency = "DWN"\n'
    )
    (tmp_path / "pti.json").write_bytes(ninjs("urn:c:7", "Delhi, June 1 (PTI) One."))
    (tmp_path / "bare.json").write_bytes(ninjs("urn:c:8", "Nothing credits this one."))
    run("ingest", "--source", "spool", str(tmp_path / "pti.json"), str(tmp_path / "bare.json"))
    agencies = {s["uri"]: s["agency"] for s in json.loads(run("stories", "--json"))}
    assert agencies == {"urn:c:7": "PTI", "urn:c:8": "DWN"}


def test_ingest_says_when_a_picture_waits_for_a_retry(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from picturekit import jpeg, ninjs_with_picture, picture_server

    (tmp_path / "wiredesk.toml").write_text("[pictures]\nprivate_hosts = true\n")
    with picture_server() as server:
        (tmp_path / "a.json").write_bytes(
            ninjs_with_picture("urn:c:9", server.put("/busy.jpg", b"busy", "text/plain", 503))
        )
        (tmp_path / "b.json").write_bytes(
            ninjs_with_picture("urn:c:10", server.put("/ok.jpg", jpeg(400, 300)))
        )
        out = run("ingest", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert out.strip().splitlines()[-1] == (
        "2 files: 2 accepted; 2 pictures fetched or checked;"
        " 1 picture waits for a retry by `wiredesk run`"
    )
