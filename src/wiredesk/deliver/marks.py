"""Marking acknowledged rows done by group commit.

A row must be marked done soon after its target acknowledged it: until then a crash re-sends
it. Each thread of a round therefore waits until its row is marked before it sends the next,
so a crash re-sends at most one row per thread, as with a transaction per row. But the rows
acknowledged while one write is under way go together in the next write: the round's threads
share one transaction instead of queueing one each for the database's writer (SQLite has one,
and the desk is using it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[Sequence[T]], None]) -> None:
        self._write = write
        self._cond = threading.Condition()
        self._pending: list[T] = []
        self._next = 0  # the write the rows now pending will go in
        self._written = -1  # the last write finished
        self._writing = False
        self._errors: dict[int, BaseException] = {}
        self.writes = 0

    def mark(self, row: T) -> None:
        """Returns once `row` is written; raises what its write raised."""
        with self._cond:
            self._pending.append(row)
            mine = self._next
            while self._written < mine:
                if not self._writing and self._next == mine:
                    self._lead(mine)
                else:
                    self._cond.wait()
            error = self._errors.get(mine)
        if error is not None:
            raise error

    def _lead(self, number: int) -> None:
        """Write the pending rows (called holding the lock, which it lets go meanwhile)."""
        rows, self._pending = self._pending, []
        self._next, self._writing = number + 1, True
        self._cond.release()
        try:
            self._write(rows)
        except BaseException as exc:  # noqa: BLE001 - every waiter of this write gets it
            self._errors[number] = exc
        finally:
            self._cond.acquire()
            self._writing, self._written = False, number
            self.writes += 1
            self._cond.notify_all()
