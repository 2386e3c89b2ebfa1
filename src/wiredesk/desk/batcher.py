"""Where every transport's files meet: one thread turns them into the desk's batches.

A batch closes at `max_files` files or `max_wait` seconds after its first file, whichever comes
first, so a lone file goes through at once and a burst shares archive syncs and transactions.
Callers get a future per file and acknowledge upstream only once it resolves: by then the file
is archived and its batch committed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wiredesk.desk.pipeline import Arrival, Desk, Outcome

log = logging.getLogger(__name__)


class Batcher:
    def __init__(self, desk: Desk, max_files: int, max_wait: float) -> None:
        self.desk = desk
        self.max_files = max(1, max_files)
        self.max_wait = max(0.0, max_wait)
        self._queue: deque[tuple[float, Arrival, Future[Outcome]]] = deque()
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self.batches = 0

    def submit(self, arrivals: Sequence[Arrival]) -> list[Future[Outcome]]:
        futures: list[Future[Outcome]] = [Future() for _ in arrivals]
        now = time.monotonic()
        with self._ready:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="batcher", daemon=True)
                self._thread.start()
            self._queue.extend(
                (now, arrival, future) for arrival, future in zip(arrivals, futures, strict=True)
            )
            self._ready.notify()
        return futures

    def receive(self, arrivals: Sequence[Arrival]) -> list[Outcome]:
        """Submit and wait: the outcomes once the files' batches have committed."""
        return [future.result() for future in self.submit(arrivals)]

    def _take(self) -> list[tuple[float, Arrival, Future[Outcome]]]:
        with self._ready:
            while not self._queue:
                self._ready.wait()
            deadline = self._queue[0][0] + self.max_wait
            while len(self._queue) < self.max_files:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._ready.wait(left)
            return [self._queue.popleft() for _ in range(min(self.max_files, len(self._queue)))]

    def _run(self) -> None:
        while True:
            taken = self._take()
            try:
                outcomes = self.desk.receive_batch([arrival for _, arrival, _ in taken])
            except BaseException as exc:  # every waiting caller hears of it; the thread goes on
                log.exception("a batch of %d files failed", len(taken))
                for _, _, future in taken:
                    future.set_exception(exc)
                continue
            self.batches += 1
            for (_, _, future), outcome in zip(taken, outcomes, strict=True):
                future.set_result(outcome)
