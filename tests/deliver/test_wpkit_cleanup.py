"""Issue 24 #14: the test and bench WordPress (`php -S` with its forked workers) leaves no
process behind when its block ends, even when the block fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from wpkit import group_members, unavailable, wordpress


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_no_php_process_outlives_the_kit_even_on_failure(tmp_path: Path) -> None:
    reason = unavailable()
    if reason:
        pytest.skip(f"WordPress cannot run here: {reason}")
    seen: list[int] = []
    with (
        pytest.raises(RuntimeError, match="the test failed"),
        wordpress(tmp_path / "wp") as site,
    ):
        seen = [site.server_pid, *children_of(site.server_pid)]
        assert len(seen) > 1  # php -S forked its workers
        raise RuntimeError("the test failed")
    assert [pid for pid in seen if running(pid)] == []
    assert group_members(seen[0]) == []
