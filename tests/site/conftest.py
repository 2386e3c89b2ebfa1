"""The site's tests talk to a real server on loopback over the test's desk."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from livesite import serving
from wiredesk import Desk
from wiredesk.site.app import create_app


@pytest.fixture
def site(desk: Desk) -> Iterator[httpx.Client]:
    with (
        serving(create_app(desk.config, desk.store, clock=desk.clock)) as base,
        httpx.Client(base_url=base) as client,
    ):
        yield client
