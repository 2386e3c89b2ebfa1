"""/admin/incidents lists open and recent incidents (escaped), and its JSON twin."""

from __future__ import annotations

import httpx
from adminkit import AdminSite, browser, site
from sqlalchemy import update

from wiredesk.alerts.incidents import evaluate
from wiredesk.config import AlertSettings, SourceConfig
from wiredesk.store import sources
from wiredesk.store.models import Source

__all__ = ["browser", "site"]  # fixtures, used by name


def test_open_incidents_are_listed(site: AdminSite, browser: httpx.Client) -> None:
    desk = site.desk
    with desk.store.session() as session, session.begin():
        sources.upsert(session, SourceConfig(name="pti", transport="push"), desk.clock())
        session.execute(
            update(Source)
            .where(Source.name == "pti")
            .values(consecutive_errors=5, last_error="530 <Login> incorrect")
        )
    assert "No incidents." in browser.get("/admin/incidents").text
    evaluate(desk.store, AlertSettings(), desk.clock(), desk.config.tz)
    page = browser.get("/admin/incidents").text
    assert "source failing" in page and "530 &lt;Login&gt; incorrect" in page
    assert "<td>open</td>" in page
    api = browser.get("/admin/api/incidents", headers={"Authorization": f"Bearer {site.token}"})
    [incident] = api.json()["incidents"]
    assert incident["key"] == "source-failing:pti" and incident["closed_at"] is None
