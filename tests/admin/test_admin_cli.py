"""`wiredesk admin add-user` and `wiredesk admin token`: secrets go in hashed, never echoed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiredesk import open_desk
from wiredesk.admin import auth
from wiredesk.cli import main
from wiredesk.config import Config
from wiredesk.store.models import AdminUser, ApiToken

PASSWORD = "a perfectly long password"


def stored(tmp_path: Path) -> tuple[list[AdminUser], list[ApiToken]]:
    desk = open_desk(Config(data_dir=tmp_path / "var"))
    try:
        with desk.store.session() as session:
            return list(session.query(AdminUser)), list(session.query(ApiToken))
    finally:
        desk.store.close()


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIREDESK_DB", raising=False)
    return CliRunner()


def test_add_user_from_env_then_change_password(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMIN_PW", PASSWORD)
    result = runner.invoke(main, ["admin", "add-user", "ed", "--password-env", "ADMIN_PW"])
    assert result.exit_code == 0, result.output
    assert "added admin user ed" in result.output and PASSWORD not in result.output
    (user,), _ = stored(tmp_path)
    assert user.username == "ed" and PASSWORD not in user.password_hash
    assert auth.verify_password(PASSWORD, user.password_hash)
    monkeypatch.setenv("ADMIN_PW", PASSWORD + "!")
    result = runner.invoke(main, ["admin", "add-user", "ed", "--password-env", "ADMIN_PW"])
    assert "new password for admin user ed" in result.output
    (user,), _ = stored(tmp_path)
    assert auth.verify_password(PASSWORD + "!", user.password_hash)


def test_add_user_prompts_twice_and_refuses_short_or_missing(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["admin", "add-user", "ann"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # the prompt hides what is typed
    short = runner.invoke(main, ["admin", "add-user", "bob"], input="short\nshort\n")
    assert short.exit_code == 1 and "12 to 1024 characters" in short.output
    unset = runner.invoke(main, ["admin", "add-user", "cy", "--password-env", "NOT_SET_HERE"])
    assert unset.exit_code == 1 and "NOT_SET_HERE" in unset.output
    users, _ = stored(tmp_path)
    assert [u.username for u in users] == ["ann"]


def test_token_printed_once_and_stored_as_sha256(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["admin", "token", "ci"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("wdk_") and len(token) > 40
    _, (row,) = stored(tmp_path)
    assert row.name == "ci" and row.token_hash == auth.token_hash(token)
    desk = open_desk(Config(data_dir=tmp_path / "var"))
    try:
        with desk.store.session() as session:
            assert auth.check_token(session, token, datetime.now(UTC)) is not None
            assert auth.check_token(session, token + "x", datetime.now(UTC)) is None
    finally:
        desk.store.close()
