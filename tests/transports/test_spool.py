from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from transport_sinks import Crash, CrashingSink, DeskSink

from wire import ninjs
from wiredesk import Desk
from wiredesk.exceptions import TransportError
from wiredesk.transports import for_name
from wiredesk.transports.base import SourceSpec
from wiredesk.transports.spool import FolderTransport, watch_paths

OLD = time.time() - 3600  # an hour ago: long settled


def spec(folder: Path, **options: object) -> SourceSpec:
    return SourceSpec(name="spool", transport="folder", location=str(folder), options=options)


def drop(folder: Path, name: str, data: bytes, mtime: float | None = OLD) -> Path:
    path = folder / name
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def today(folder: Path, kind: str = "processed") -> Path:
    return folder / kind / datetime.now(UTC).strftime("%Y-%m-%d")


def test_settled_file_is_taken_at_once_verbatim_and_moved(desk: Desk, tmp_path: Path) -> None:
    data = ninjs("urn:spool:1", "Body  with  double spaces.\n\nSecond para.", headline="Spool one")
    drop(tmp_path, "one.json", data)
    sink = DeskSink(desk, "spool")
    cursor = FolderTransport().poll(spec(tmp_path), {}, sink)
    assert sink.names == ["one.json"]
    assert sink.deliveries[0].data == data
    assert sink.deliveries[0].landed_at == datetime.fromtimestamp(
        os.stat(today(tmp_path) / "one.json").st_mtime_ns / 1e9, UTC
    )
    assert sink.outcomes[0].outcome == "accepted"
    assert desk.store.archive.get(sink.outcomes[0].sha256) == data
    assert not (tmp_path / "one.json").exists()
    assert (today(tmp_path) / "one.json").read_bytes() == data
    assert cursor == {"seen": {}}
    assert FolderTransport().poll(spec(tmp_path), cursor, sink) == {"seen": {}}
    assert len(sink.deliveries) == 1  # processed/ is not scanned again


def test_fresh_file_waits_until_unchanged_between_two_scans(desk: Desk, tmp_path: Path) -> None:
    transport, sink = FolderTransport(), DeskSink(desk, "spool")
    path = drop(tmp_path, "growing.json", b'{"uri": "urn:g", "body_text": "Hal', mtime=None)
    cursor = transport.poll(spec(tmp_path, settle_seconds=60), {}, sink)
    assert sink.deliveries == [] and list(cursor["seen"]) == ["growing.json"]
    # The writer goes on: the second scan sees a new size, so still not complete.
    data = ninjs("urn:g", "Half a story, then the rest.", headline="Grown")
    path.write_bytes(data)
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    cursor = transport.poll(spec(tmp_path, settle_seconds=60), cursor, sink)
    assert sink.deliveries == [] and path.exists()
    # Unchanged since the last scan: complete, taken whole.
    cursor = transport.poll(spec(tmp_path, settle_seconds=60), cursor, sink)
    assert [d.data for d in sink.deliveries] == [data]
    assert cursor == {"seen": {}} and not path.exists()


def test_temp_hidden_and_subfolders_are_left_alone(desk: Desk, tmp_path: Path) -> None:
    for name in (".hidden.json", "upload.json.part", "upload.tmp", "x.TMP"):
        drop(tmp_path, name, ninjs(f"urn:{name}", "Not yet."))
    (tmp_path / "incoming").mkdir()
    drop(tmp_path / "incoming", "deep.json", ninjs("urn:deep", "In a subfolder."))
    sink = DeskSink(desk, "spool")
    assert FolderTransport().poll(spec(tmp_path), {}, sink) == {"seen": {}}
    assert sink.deliveries == []
    assert (tmp_path / "upload.json.part").exists()


def test_quarantined_file_goes_to_error_and_names_never_collide(desk: Desk, tmp_path: Path) -> None:
    sink = DeskSink(desk, "spool")
    drop(tmp_path, "broken.xml", b"<nitf><body>cut off")
    FolderTransport().poll(spec(tmp_path), {}, sink)
    assert sink.outcomes[0].outcome == "quarantined"
    assert (today(tmp_path, "error") / "broken.xml").read_bytes() == b"<nitf><body>cut off"
    # The same name again, other bytes: kept beside the first, not over it.
    drop(tmp_path, "broken.xml", b"<nitf><body>cut off again")
    drop(tmp_path, "noext", ninjs("urn:noext", "No extension at all."))
    FolderTransport().poll(spec(tmp_path), {}, sink)
    errors = today(tmp_path, "error")
    assert (errors / "broken~1.xml").read_bytes() == b"<nitf><body>cut off again"
    assert (errors / "broken.xml").read_bytes() == b"<nitf><body>cut off"
    drop(tmp_path, "noext", ninjs("urn:noext", "No extension at all."))
    FolderTransport().poll(spec(tmp_path), {}, sink)
    assert sorted(p.name for p in today(tmp_path).iterdir()) == ["noext", "noext~1"]


def test_crash_between_sink_and_move_redelivers_as_a_duplicate(desk: Desk, tmp_path: Path) -> None:
    data = ninjs("urn:crash", "Taken, then the lights went out.", headline="Crash")
    drop(tmp_path, "crash.json", data)
    crashing = CrashingSink(desk, "spool")
    with pytest.raises(Crash):
        FolderTransport().poll(spec(tmp_path), {}, crashing)
    assert crashing.outcomes[0].outcome == "accepted"
    assert (tmp_path / "crash.json").exists()  # never acknowledged: still in the spool
    sink = DeskSink(desk, "spool")
    FolderTransport().poll(spec(tmp_path), {}, sink)
    assert [o.outcome for o in sink.outcomes] == ["duplicate"]
    assert (today(tmp_path) / "crash.json").read_bytes() == data
    assert len(desk.store.stories()) == 1


def test_missing_folder_is_a_transport_error_and_watch_paths(tmp_path: Path) -> None:
    with pytest.raises(TransportError, match="spool folder"):
        FolderTransport().poll(spec(tmp_path / "absent"), {}, lambda d: pytest.fail("no file"))
    assert watch_paths(spec(tmp_path)) == [tmp_path]
    assert isinstance(for_name("folder"), FolderTransport)


def test_recheck_takes_a_fresh_unchanged_file_in_the_same_poll(tmp_path: Path) -> None:
    from wiredesk.desk.pipeline import Outcome
    from wiredesk.transports.base import Delivery, SourceSpec
    from wiredesk.transports.spool import FolderTransport

    (tmp_path / "story.json").write_bytes(b'{"uri": "x"}')
    got: list[Delivery] = []

    def sink(delivery: Delivery) -> Outcome:
        got.append(delivery)
        return Outcome("0" * 64, "accepted")

    spec = SourceSpec(
        name="s", transport="folder", location=str(tmp_path), options={"recheck_seconds": 0.05}
    )
    assert FolderTransport().poll(spec, {}, sink) == {"seen": {}}
    assert [d.filename for d in got] == ["story.json"]
    assert list((tmp_path / "processed").rglob("story.json"))


def test_symlinks_devices_and_oversized_files_are_refused_unread(
    desk: Desk, tmp_path: Path
) -> None:
    """Issue 24 #2: only regular files within the size limit are read; the rest are
    quarantined by name and reason, their bytes never archived, and moved to error/."""
    spool, outside = tmp_path / "spool", tmp_path / "outside"
    spool.mkdir()
    outside.mkdir()
    secret = ninjs("urn:outside:1", "Not for the wire.", headline="Outside the spool")
    (outside / "secret.json").write_bytes(secret)
    (spool / "link.json").symlink_to(outside / "secret.json")
    (spool / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(spool / "pipe.txt")
    big = ninjs("urn:big:1", "Big. " * 400, headline="Too big")
    drop(spool, "big.json", big)
    good = ninjs("urn:good:1", "A story.", headline="Good one")
    drop(spool, "good.json", good)
    sink = DeskSink(desk, "spool")
    FolderTransport().poll(spec(spool, max_bytes=1000), {}, sink)
    outcomes = dict(zip(sink.names, sink.outcomes, strict=True))
    assert outcomes["good.json"].outcome == "accepted"
    reasons = {name: o.detail for name, o in outcomes.items() if o.outcome == "quarantined"}
    assert set(reasons) == {"link.json", "passwd.txt", "pipe.txt", "big.json"}
    assert "symbolic link" in reasons["link.json"] and "symbolic link" in reasons["passwd.txt"]
    assert "regular file" in reasons["pipe.txt"] and "1,000-byte limit" in reasons["big.json"]
    assert [s.headline for s in desk.store.stories()] == ["Good one"]
    archived = [p.read_bytes() for p in desk.store.archive.root.rglob("*") if p.is_file()]
    passwd = Path("/etc/passwd").read_bytes()
    assert not [a for a in archived if a in (secret, big, passwd)]
    assert not [a for a in archived if b"root:" in a or b"Not for the wire" in a]
    assert sorted(p.name for p in today(spool, "error").iterdir()) == sorted(reasons)
    assert (today(spool, "error") / "link.json").is_symlink()
    assert (outside / "secret.json").read_bytes() == secret
