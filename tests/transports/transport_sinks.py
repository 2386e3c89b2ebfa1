"""Sinks for transport tests: the real desk behind them, every delivery and outcome recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

from wiredesk import Desk, Outcome
from wiredesk.desk.pipeline import Arrival
from wiredesk.transports.base import Delivery


@dataclass
class DeskSink:
    desk: Desk
    source: str
    deliveries: list[Delivery] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def __call__(self, delivery: Delivery) -> Outcome:
        # As the runner's sink hands files over: a refusal keeps its reason.
        arrival = Arrival(
            delivery.data, self.source, delivery.filename, delivery.landed_at, delivery.refused
        )
        [outcome] = self.desk.receive_batch([arrival])
        self.deliveries.append(delivery)
        self.outcomes.append(outcome)
        return outcome

    @property
    def names(self) -> list[str]:
        return [d.filename for d in self.deliveries]


class Crash(Exception):
    """The process dying right after the desk took a file, before the transport acknowledged it."""


@dataclass
class CrashingSink(DeskSink):
    def __call__(self, delivery: Delivery) -> Outcome:
        super().__call__(delivery)
        raise Crash(delivery.filename)
