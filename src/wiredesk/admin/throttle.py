"""The sign-in throttle: failures counted per account-and-client and per client, in the database.

Counting per account *and* client means a stranger guessing a user's password slows only
themselves: the user, from a client that has not failed, still gets in. Counting per client
across accounts catches one address spraying many usernames. Each failure past a free allowance
doubles the wait, up to a cap, and a key is forgotten after a quiet hour. The rows live in the
database, so every process (`serve`, `run`, several workers) sees the same counts and a restart
does not wipe them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wiredesk.store import Store
from wiredesk.store.models import LoginFailures

FORGET_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Policy:
    free: int  # failures allowed before any wait
    first_wait: timedelta  # the wait after the first failure past the allowance; then doubling
    longest_wait: timedelta

    def wait_after(self, failures: int) -> timedelta | None:
        if failures < self.free:
            return None
        doublings = min(failures - self.free, 20)
        return min(self.first_wait * (1 << doublings), self.longest_wait)


ACCOUNT = Policy(free=5, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=15))
CLIENT = Policy(free=10, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=15))
MAX_KEY = 300


def client_key(client: str) -> str:
    return f"client:{client}"[:MAX_KEY]


def account_key(username: str, client: str) -> str:
    # The client goes first so a long username cannot push it out of the key.
    return f"account:{client}:{username.strip().lower()}"[:MAX_KEY]


def policy_of(key: str) -> Policy:
    return ACCOUNT if key.startswith("account:") else CLIENT


class Throttle:
    def __init__(self, store: Store) -> None:
        self.store = store

    def wait(self, keys: list[str], now: datetime) -> int:
        """Whole seconds until every one of `keys` may try again; 0 when they may try now."""
        with self.store.session() as session:
            rows = session.scalars(select(LoginFailures).where(LoginFailures.key.in_(keys))).all()
        longest = max(
            (row.locked_until - now for row in rows if row.locked_until and row.locked_until > now),
            default=timedelta(0),
        )
        return _whole_seconds(longest)

    def enter(self, keys: list[str], now: datetime) -> int:
        """Count this attempt as a failure before its password is checked, atomically: 0 when it
        may be checked, else the whole seconds to wait (and nothing is counted). Counting first
        means concurrent guesses cannot all be checked before any is counted: each takes the
        row's lock in turn (the UPDATE), and the one past the allowance sees the lock the one
        before it set. A sign-in that works gives the count back (`succeeded`)."""
        for attempt in range(3):
            try:
                with self.store.session() as session, session.begin():
                    counts: dict[str, int] = {}
                    longest = timedelta(0)
                    for key in keys:
                        failures, locked_until = self._bump(session, key, now)
                        counts[key] = failures
                        if locked_until is not None and locked_until > now:
                            longest = max(longest, locked_until - now)
                    if longest > timedelta(0):
                        session.rollback()
                        return _whole_seconds(longest)
                    for key, failures in counts.items():
                        self._lock_past_allowance(session, key, failures, now)
                return 0
            except IntegrityError:  # another process made the same key's row first
                if attempt == 2:
                    raise
        return 0

    @staticmethod
    def _bump(session: Session, key: str, now: datetime) -> tuple[int, datetime | None]:
        session.execute(
            delete(LoginFailures).where(
                LoginFailures.key == key, LoginFailures.last_failed_at < now - FORGET_AFTER
            )
        )
        bumped = session.execute(
            update(LoginFailures)
            .where(LoginFailures.key == key)
            .values(failures=LoginFailures.failures + 1, last_failed_at=now)
        )
        if bumped.rowcount == 0:  # type: ignore[attr-defined]
            session.add(LoginFailures(key=key, failures=1, last_failed_at=now))
            session.flush()
        row = session.execute(
            select(LoginFailures.failures, LoginFailures.locked_until).where(
                LoginFailures.key == key
            )
        ).one()
        return int(row[0] or 0), row[1]

    def given_back(self, keys: list[str], now: datetime) -> None:
        """Attempts counted by `enter` that turned out to be right: uncount them."""
        with self.store.session() as session, session.begin():
            for key in keys:
                session.execute(
                    update(LoginFailures)
                    .where(LoginFailures.key == key, LoginFailures.failures > 0)
                    .values(failures=LoginFailures.failures - 1)
                )
                failures = session.scalar(
                    select(LoginFailures.failures).where(LoginFailures.key == key)
                )
                if failures is not None and policy_of(key).wait_after(int(failures)) is None:
                    session.execute(
                        update(LoginFailures)
                        .where(LoginFailures.key == key)
                        .values(locked_until=None)
                    )

    def failed(self, keys: list[str], now: datetime) -> None:
        """One more failure under each key; past its allowance, the key waits longer each time."""
        for attempt in range(3):
            try:
                with self.store.session() as session, session.begin():
                    for key in keys:
                        self._count(session, key, now)
                return
            except IntegrityError:  # another process made the same key's row first
                if attempt == 2:
                    raise

    def succeeded(self, key: str, now: datetime) -> None:
        """A sign-in under `key` worked: its count goes, and so do keys long quiet."""
        with self.store.session() as session, session.begin():
            session.execute(
                delete(LoginFailures).where(
                    or_(LoginFailures.key == key, LoginFailures.last_failed_at < now - FORGET_AFTER)
                )
            )

    @classmethod
    def _count(cls, session: Session, key: str, now: datetime) -> None:
        # Forget a key that has been quiet for a while, then count atomically, so two
        # processes failing at once both count.
        failures, _ = cls._bump(session, key, now)
        cls._lock_past_allowance(session, key, failures, now)

    @staticmethod
    def _lock_past_allowance(session: Session, key: str, failures: int, now: datetime) -> None:
        wait = policy_of(key).wait_after(failures)
        if wait is not None:
            session.execute(
                update(LoginFailures)
                .where(LoginFailures.key == key)
                .values(locked_until=now + wait)
            )


def _whole_seconds(wait: timedelta) -> int:
    """A wait as the whole seconds a client is told (rounded up: never too early)."""
    seconds = wait.total_seconds()
    return int(seconds) + (seconds % 1 > 0)
