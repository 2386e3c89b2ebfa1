"""Helpers for tests of the public site: a real server on loopback over the test's desk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from livesite import serving
from wiredesk import Desk
from wiredesk.site.app import create_app
from wiredesk.store.models import Story


@contextmanager
def site_client(desk: Desk) -> Iterator[httpx.Client]:
    with (
        serving(create_app(desk.config, desk.store, clock=desk.clock)) as base,
        httpx.Client(base_url=base) as client,
    ):
        yield client


def publish(desk: Desk, data: bytes) -> Story:
    outcome = desk.receive(data, source="pti")
    story = desk.store.story(outcome.stories[0])
    assert story is not None
    return story


def url(story: Story) -> str:
    return f"/{story.section}/{story.slug}"
