"""The sign-in throttle: a guesser slows only itself, spraying is caught, the counts are shared.

Clients are told apart by address: each test client connects from its own loopback address
(127.0.0.2, 127.0.0.3, ...), as other machines would.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from adminkit import PASSWORD, USER, AdminSite, build_app, csrf_of, login, site

from livesite import serving
from wiredesk import Desk, open_desk
from wiredesk.admin import auth
from wiredesk.admin.throttle import ACCOUNT, CLIENT, Throttle, account_key, client_key

__all__ = ["site"]  # fixtures, used by name
WRONG = "not the password, sorry"


def fail(client: httpx.Client, times: int, username: str = USER) -> None:
    for _ in range(times):
        assert login(client, username=username, password=WRONG).status_code == 401


def test_a_guesser_locks_only_itself_out(site: AdminSite, caplog: pytest.LogCaptureFixture) -> None:
    with site.client("127.0.0.2") as guesser, site.client("127.0.0.3") as editor:
        fail(guesser, ACCOUNT.free)
        locked = login(guesser)  # the right password, but from the client that guessed
        assert locked.status_code == 429 and "Try again in 30 seconds" in locked.text
        assert locked.headers["retry-after"] == "30"
        assert guesser.get("/admin/").status_code == 303
        # The user, from a client that has not failed, walks straight in.
        assert login(editor).status_code == 303
        assert editor.get("/admin/").status_code == 200
        # So does another user from the guesser's address: the lock is on this account only.
        with site.desk.store.session() as session, session.begin():
            auth.set_user(session, "other", PASSWORD, site.desk.clock())
        assert login(guesser, username="other").status_code == 303
    assert PASSWORD not in caplog.text and WRONG not in caplog.text


def test_each_failure_past_the_allowance_doubles_the_wait(site: AdminSite) -> None:
    clock = site.desk.clock
    with site.client("127.0.0.2") as guesser:
        fail(guesser, ACCOUNT.free)
        for wait in (30, 60, 120, 240):
            refused = login(guesser, password=WRONG)
            assert refused.status_code == 429 and refused.headers["retry-after"] == str(wait)
            clock.now += timedelta(seconds=wait)  # type: ignore[attr-defined]
            assert login(guesser, password=WRONG).status_code == 401  # tried, and counted
        clock.now += timedelta(seconds=480)  # type: ignore[attr-defined]
        assert login(guesser).status_code == 303  # the right password once the wait is over
        assert guesser.get("/admin/").status_code == 200


def test_spraying_many_usernames_from_one_client_is_throttled(site: AdminSite) -> None:
    with site.client("127.0.0.4") as sprayer:
        for n in range(CLIENT.free):
            assert login(sprayer, username=f"user{n}", password=WRONG).status_code == 401
        for n in range(CLIENT.free, 20):
            refused = login(sprayer, username=f"user{n}", password=WRONG)
            assert refused.status_code == 429 and refused.headers["retry-after"] == "30"
        assert login(sprayer).status_code == 429  # even a real account, from here, waits
    with site.client("127.0.0.5") as editor:
        assert login(editor).status_code == 303


def test_wrong_tokens_count_against_the_client(site: AdminSite) -> None:
    bad = {"Authorization": "Bearer wdk_guess"}
    with site.client("127.0.0.6") as guesser:
        for _ in range(CLIENT.free):
            assert guesser.get("/admin/api/held", headers=bad).status_code == 401
        # Locked: even the right token from this client waits.
        right = {"Authorization": f"Bearer {site.token}"}
        assert guesser.get("/admin/api/held", headers=right).status_code == 401
    with site.client("127.0.0.7") as other:
        assert other.get("/admin/api/held", headers=right).status_code == 200


def test_counts_are_shared_by_processes_and_survive_a_restart(site: AdminSite) -> None:
    with site.client("127.0.0.2") as guesser:
        fail(guesser, ACCOUNT.free - 1)
    # A second process on the same database, as `serve` beside `run` would be.
    second = open_desk(site.desk.config)
    second.clock = site.desk.clock
    try:
        with (
            serving(build_app(second)) as base,
            httpx.Client(
                base_url=base, timeout=20, transport=httpx.HTTPTransport(local_address="127.0.0.2")
            ) as guesser,
        ):
            assert login(guesser, password=WRONG).status_code == 401  # the fifth, counted there
            assert login(guesser).status_code == 429
    finally:
        second.store.close()
    # And after a "restart": a fresh desk and throttle over the same database still know.
    restarted: Desk = open_desk(site.desk.config)
    try:
        keys = [account_key(USER, "127.0.0.2"), client_key("127.0.0.2")]
        assert Throttle(restarted.store).wait(keys, site.desk.clock()) == 30
    finally:
        restarted.store.close()


def test_a_quiet_hour_forgets_failures_and_success_clears_the_account(site: AdminSite) -> None:
    clock = site.desk.clock
    with site.client("127.0.0.2") as client:
        fail(client, ACCOUNT.free - 1)
        assert login(client).status_code == 303  # a success clears this account's count here
        client.cookies.clear()
        fail(client, ACCOUNT.free - 1)
        assert login(client, password=WRONG).status_code == 401
        assert login(client).status_code == 429
        clock.now += timedelta(hours=1, seconds=1)  # type: ignore[attr-defined]
        fail(client, ACCOUNT.free - 1)  # the old failures are forgotten: a fresh allowance
        assert login(client).status_code == 303


def test_thirty_concurrent_guesses_get_only_the_allowance_checked(
    site: AdminSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24 #7: the attempt is counted before the password is checked, atomically, and
    password checks run a few at a time."""
    import threading

    checked: list[int] = []
    at_once = [0, 0]
    lock = threading.Lock()
    real = auth.check_password

    def counted(*args: object, **kwargs: object) -> object:
        with lock:
            checked.append(1)
            at_once[0] += 1
            at_once[1] = max(at_once)
        try:
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            with lock:
                at_once[0] -= 1

    monkeypatch.setattr(auth, "check_password", counted)
    with site.client("127.0.0.2") as client:
        page = client.get("/admin/login")
        form = {"csrf": csrf_of(page.text), "username": USER, "password": WRONG}
        cookies = dict(client.cookies)
    answers: list[int] = []

    def guess() -> None:
        with site.client("127.0.0.2") as client:
            client.cookies.update(cookies)
            answers.append(client.post("/admin/login", data=form).status_code)

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 30 and set(answers) <= {401, 429}
    assert len(checked) == answers.count(401) <= ACCOUNT.free
    assert at_once[1] <= 4
