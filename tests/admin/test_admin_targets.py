"""Target health on /admin, in its JSON and in /metrics."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from adminkit import AdminSite, browser, site

from wire import ninjs
from wiredesk.config import TargetConfig
from wiredesk.deliver.loop import Deliverer
from wiredesk.deliver.targets import TargetSpec
from wiredesk.store import targets

__all__ = ["browser", "site"]  # fixtures, used by name


def test_a_failing_target_shows_its_backlog_lag_and_error(
    site: AdminSite, browser: httpx.Client
) -> None:
    desk = site.desk
    with desk.store.session() as session, session.begin():
        hook = TargetConfig(
            "hook", "webhook", "http://127.0.0.1:9/never", secret_env="UNSET_HOOK_ENV"
        )
        targets.upsert(session, hook, desk.clock())
    desk.receive(ninjs("urn:h:1", "Text one."))
    desk.receive(ninjs("urn:h:2", "Text two."))
    with desk.store.session() as session, session.begin():
        [leased] = targets.lease_due(session, "t", desk.clock(), timedelta(seconds=30))
        spec = TargetSpec.of(leased)
    Deliverer(desk, owner="t").deliver(spec, 0)

    page = browser.get("/admin/").text
    row = page.split('data-target="hook"', 1)[1].split("</tr>", 1)[0]
    assert "<td>webhook</td>" in row and "<td>2</td>" in row
    assert "UNSET_HOOK_ENV is not set" in row
    [api] = browser.get("/admin/api/targets").json()["targets"]
    assert (api["backlog"], api["consecutive_errors"], api["status"]) == (2, 1, "ok")
    assert api["lag_seconds"] == 0  # the test clock stands still
    token = {"Authorization": "Bearer targets-metrics"}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WIREDESK_METRICS_TOKEN", "targets-metrics")
        metrics = httpx.get(site.base + "/metrics", headers=token).text
    assert 'wiredesk_target_backlog{target="hook"} 2.0' in metrics
    assert 'wiredesk_target_consecutive_errors{target="hook"} 1.0' in metrics
    assert httpx.get(site.base + "/admin/api/targets").status_code == 401
