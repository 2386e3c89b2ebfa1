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
        seconds = longest.total_seconds()
        return int(seconds) + (seconds % 1 > 0)

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

    @staticmethod
    def _count(session: Session, key: str, now: datetime) -> None:
        # Forget a key that has been quiet for a while, then count atomically, so two
        # processes failing at once both count.
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
        failures = session.scalar(select(LoginFailures.failures).where(LoginFailures.key == key))
        wait = policy_of(key).wait_after(int(failures or 0))
        if wait is not None:
            session.execute(
                update(LoginFailures)
                .where(LoginFailures.key == key)
                .values(locked_until=now + wait)
            )
