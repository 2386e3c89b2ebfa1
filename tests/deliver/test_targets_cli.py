"""`wiredesk targets` and targets declared in wiredesk.toml."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wiredesk.cli import main


def test_targets_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--config", str(tmp_path / "none.toml"), "--db", f"sqlite:///{tmp_path / 'wd.db'}"]
    added = runner.invoke(
        main,
        [*db, "targets", "add", "cms", "--kind", "wordpress", "--location", "https://news.example"]
        + ["--secret-env", "WP_PASS", "--option", "user=desk", "--option", "timeout=5"],
    )
    assert added.exit_code == 0, added.output
    assert runner.invoke(main, [*db, "targets", "disable", "cms"]).exit_code == 0
    listed = json.loads(runner.invoke(main, [*db, "targets", "list", "--json"]).output)
    assert [(t["name"], t["kind"], t["enabled"], t["status"]) for t in listed] == [
        ("cms", "wordpress", False, "disabled")
    ]
    assert runner.invoke(main, [*db, "targets", "enable", "cms"]).exit_code == 0
    retried = runner.invoke(main, [*db, "targets", "retry", "cms"])
    assert retried.output.strip() == "target cms: 0 waiting deliveries due now"
    bad = runner.invoke(main, [*db, "targets", "retry", "nope"])
    assert bad.exit_code == 1 and "no target named 'nope'" in bad.output
    bad_kind = runner.invoke(
        main, [*db, "targets", "add", "x", "--kind", "ftp", "--location", "/tmp"]
    )
    assert bad_kind.exit_code == 2


def test_targets_from_wiredesk_toml(tmp_path: Path) -> None:
    toml = tmp_path / "wiredesk.toml"
    toml.write_text(
        '[[targets]]\nname = "cdn"\nkind = "static"\nlocation = "out"\n'
        'options = { purge_url = "http://127.0.0.1:9/purge" }\n'
    )
    runner = CliRunner()
    db = ["--config", str(toml), "--db", f"sqlite:///{tmp_path / 'wd.db'}"]
    listed = json.loads(runner.invoke(main, [*db, "targets", "list", "--json"]).output)
    assert [(t["name"], t["kind"], t["location"]) for t in listed] == [("cdn", "static", "out")]
