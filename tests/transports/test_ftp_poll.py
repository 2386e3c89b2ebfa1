from __future__ import annotations

import ftplib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ftp_server import PASSWORD, USER, ftp_server, self_signed
from pyftpdlib.handlers import FTPHandler
from transport_sinks import Crash, CrashingSink, DeskSink

from wire import ninjs
from wiredesk import Desk
from wiredesk.exceptions import TransportError
from wiredesk.transports import for_name
from wiredesk.transports.base import Delivery, SourceSpec
from wiredesk.transports.ftp import FtpTransport, TooBig

SECRET_ENV = "WD_TEST_FTP_PASSWORD"
ONE = ninjs("urn:ftp:1", "First  over FTP.", headline="FTP one")
TWO = ninjs("urn:ftp:2", "Second over FTP.", headline="FTP two")


@pytest.fixture
def remote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, int]]:
    root = tmp_path / "remote"
    (root / "wire").mkdir(parents=True)
    monkeypatch.setenv(SECRET_ENV, PASSWORD)
    with ftp_server(root) as port:
        yield root / "wire", port


def spec(port: int, scheme: str = "ftp", **options: Any) -> SourceSpec:
    return SourceSpec(
        name="ftpwire",
        transport="ftp",
        location=f"{scheme}://{USER}@127.0.0.1:{port}/wire",
        options={"timeout": 5, **options},
        secret_env=SECRET_ENV,
    )


@contextmanager
def ftp_session(port: int) -> Iterator[ftplib.FTP]:
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=5)
    ftp.login(USER, PASSWORD)
    ftp.cwd("/wire")
    try:
        yield ftp
    finally:
        ftp.quit()


def nothing(delivery: Delivery) -> Any:
    pytest.fail(f"nothing should be delivered, got {delivery.filename}")


def test_fetches_each_file_once_and_again_when_reuploaded(
    desk: Desk, remote: tuple[Path, int]
) -> None:
    folder, port = remote
    (folder / "one.json").write_bytes(ONE)
    (folder / "two.json").write_bytes(TWO)
    (folder / ".hidden").write_bytes(b"not for us")
    (folder / "three.json.part").write_bytes(b"still uploading")
    (folder / "sub").mkdir()
    sink = DeskSink(desk, "ftpwire")
    cursor = FtpTransport().poll(spec(port), {}, sink)
    assert sink.names == ["one.json", "two.json"]
    assert [d.data for d in sink.deliveries] == [ONE, TWO]
    assert [o.outcome for o in sink.outcomes] == ["accepted", "accepted"]
    assert sorted(cursor["seen"]) == ["one.json", "two.json"]
    assert cursor["seen"]["one.json"][1] == len(ONE)
    assert FtpTransport().poll(spec(port), cursor, nothing) == cursor
    # A new upload, and one file uploaded again with other bytes: both fetched.
    three = ninjs("urn:ftp:3", "Third.", headline="FTP three")
    (folder / "three.json").write_bytes(three)
    one_v2 = ninjs("urn:ftp:1", "First over FTP, corrected.", headline="FTP one", version=2)
    (folder / "one.json").write_bytes(one_v2)
    cursor = FtpTransport().poll(spec(port), cursor, sink)
    assert sink.names[2:] == ["one.json", "three.json"]
    assert [d.data for d in sink.deliveries[2:]] == [one_v2, three]
    # Files gone upstream are dropped from the cursor.
    (folder / "two.json").unlink()
    cursor = FtpTransport().poll(spec(port), cursor, nothing)
    assert sorted(cursor["seen"]) == ["one.json", "three.json"]
    assert isinstance(for_name("ftp"), FtpTransport)


def test_delete_and_move_after_delivery(desk: Desk, remote: tuple[Path, int]) -> None:
    folder, port = remote
    (folder / "one.json").write_bytes(ONE)
    sink = DeskSink(desk, "ftpwire")
    FtpTransport().poll(spec(port, after="delete"), {}, sink)
    assert sink.names == ["one.json"] and not (folder / "one.json").exists()
    (folder / "done").mkdir()
    (folder / "two.json").write_bytes(TWO)
    FtpTransport().poll(spec(port, after="move", move_to="done"), {}, sink)
    assert sink.names == ["one.json", "two.json"]
    assert not (folder / "two.json").exists()
    assert (folder / "done" / "two.json").read_bytes() == TWO
    with pytest.raises(TransportError, match="move_to"):
        FtpTransport().poll(spec(port, after="move"), {}, nothing)


def test_crash_before_delete_redelivers_then_deletes(desk: Desk, remote: tuple[Path, int]) -> None:
    folder, port = remote
    (folder / "one.json").write_bytes(ONE)
    with pytest.raises(Crash):  # the desk's own failure comes through as itself
        FtpTransport().poll(spec(port, after="delete"), {}, CrashingSink(desk, "ftpwire"))
    assert (folder / "one.json").exists()
    sink = DeskSink(desk, "ftpwire")
    FtpTransport().poll(spec(port, after="delete"), {}, sink)
    assert [o.outcome for o in sink.outcomes] == ["duplicate"]
    assert not (folder / "one.json").exists()


def test_wrong_password_is_a_transport_error_without_the_password(
    remote: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, port = remote
    monkeypatch.setenv(SECRET_ENV, "Wr0ng-Pa55word")
    with pytest.raises(TransportError) as failed:
        FtpTransport().poll(spec(port), {}, nothing)
    message = str(failed.value)
    assert f"ftp://{USER}@127.0.0.1:{port}/wire" in message and "530" in message
    assert "Wr0ng-Pa55word" not in message and PASSWORD not in message
    assert "Wr0ng-Pa55word" not in repr(failed.value.__cause__)


def test_oversized_file_is_left_upstream_and_the_rest_goes_on(
    desk: Desk, remote: tuple[Path, int]
) -> None:
    folder, port = remote
    (folder / "a-big.json").write_bytes(b"x" * 5000)
    (folder / "b-small.json").write_bytes(ONE)
    sink = DeskSink(desk, "ftpwire")
    cursor = FtpTransport().poll(spec(port, max_bytes=1000), {}, sink)
    assert sink.names == ["b-small.json"] and cursor["oversized"] == ["a-big.json"]
    assert (folder / "a-big.json").exists() and "a-big.json" not in cursor["seen"]
    # A listed size that lies: the transfer is cut at the cap and the session carries on.
    with ftp_session(port) as ftp:
        with pytest.raises(TooBig):
            FtpTransport._retrieve(ftp, "a-big.json", 1000, listed_size=10)
        assert FtpTransport._retrieve(ftp, "b-small.json", 1000, listed_size=10) == ONE
    with pytest.raises(TransportError, match="ftp://agency@127.0.0.1:9/wire"):
        FtpTransport().poll(spec(9), {}, nothing)


class NoMlsd(FTPHandler):
    """An older server: no MLSD, so the transport lists with NLST and asks SIZE and MDTM."""

    proto_cmds = {k: v for k, v in FTPHandler.proto_cmds.items() if k != "MLSD"}


def test_listing_falls_back_to_nlst_size_mdtm(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "old"
    (root / "wire" / "sub").mkdir(parents=True)
    (root / "wire" / "one.json").write_bytes(ONE)
    os.utime(root / "wire" / "one.json", (1_780_000_000, 1_780_000_000))
    monkeypatch.setenv(SECRET_ENV, PASSWORD)
    sink = DeskSink(desk, "ftpwire")
    with ftp_server(root, NoMlsd) as port:
        cursor = FtpTransport().poll(spec(port), {}, sink)
        assert FtpTransport().poll(spec(port), cursor, nothing) == cursor
    assert sink.names == ["one.json"]
    mdtm = datetime.fromtimestamp(1_780_000_000, UTC).strftime("%Y%m%d%H%M%S")
    assert cursor["seen"]["one.json"] == [mdtm, len(ONE)]
    landed = sink.deliveries[0].landed_at
    assert landed is not None and landed.timestamp() == 1_780_000_000


def test_ftps_verifies_the_certificate_and_encrypts(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("OpenSSL", reason="pyftpdlib's FTPS server needs pyopenssl (dev extras)")
    pytest.importorskip("cryptography", reason="needed to make a throwaway certificate")
    from pyftpdlib.handlers import TLS_FTPHandler

    cert, key = self_signed(tmp_path)
    root = tmp_path / "secure"
    (root / "wire").mkdir(parents=True)
    (root / "wire" / "one.json").write_bytes(ONE)
    monkeypatch.setenv(SECRET_ENV, PASSWORD)
    tls = {
        "certfile": str(cert),
        "keyfile": str(key),
        "tls_control_required": True,
        "tls_data_required": True,
    }
    sink = DeskSink(desk, "ftpwire")
    with ftp_server(root, TLS_FTPHandler, **tls) as port:
        FtpTransport().poll(spec(port, "ftps", cafile=str(cert)), {}, sink)
        # Plain FTP is refused by this server; an unknown certificate is refused by us.
        with pytest.raises(TransportError):
            FtpTransport().poll(spec(port), {}, nothing)
        with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
            FtpTransport().poll(spec(port, "ftps"), {}, nothing)
    assert [d.data for d in sink.deliveries] == [ONE]
