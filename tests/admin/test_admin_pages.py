"""With credentials, each admin page shows what the desk really holds, and its buttons work."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from adminkit import AdminSite, browser, csrf_of, login, site
from markupsafe import escape
from seeding import QUARANTINED_NAME, SECRET_HEADLINE, pin_format, seed

from wire import ninjs
from wiredesk.store.models import Receipt, Story

__all__ = ["browser", "site"]  # fixtures, used by name


def row_of(html: str, source: str) -> str:
    match = re.search(rf'<tr id="source-\d+" data-source="{source}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {source}"
    return match.group(1)


def test_sources_health_table(site: AdminSite, browser: httpx.Client) -> None:
    seed(site.desk)
    site.desk.receive(b"by hand", source="local", filename="note.txt")
    page = browser.get("/admin/")
    assert page.status_code == 200
    pti = row_of(page.text, "pti")
    assert '<th scope="row">pti</th>' in pti and "<td>PTI</td>" in pti and "<td>http</td>" in pti
    assert '<span class="badge ok">ok</span>' in pti
    assert "HTTP 503 from the agency" in pti
    assert "<td>2 min</td>" in pti  # lag since the last success
    assert pti.rstrip().endswith("<td>2</td>")  # two files today
    afp = row_of(page.text, "afp")
    assert '<span class="badge late">late</span>' not in afp  # just created: not late yet
    local = row_of(page.text, "local")
    assert '<span class="badge manual">manual</span>' in local
    api = browser.get("/admin/api/sources").json()["sources"]
    by_name = {s["name"]: s for s in api}
    assert by_name["pti"]["items_today"] == 2 and by_name["pti"]["lag_seconds"] == 120
    assert by_name["afp"]["items_today"] == 1 and by_name["local"]["managed"] is False


def test_status_badges_late_and_failing(site: AdminSite, browser: httpx.Client) -> None:
    seed(site.desk)
    site.desk.clock.now += timedelta(hours=2)  # type: ignore[attr-defined]
    assert login(browser).status_code == 303  # two idle hours ended the session
    assert '<span class="badge late">late</span>' in row_of(browser.get("/admin/").text, "pti")
    with site.desk.store.session() as session, session.begin():
        from wiredesk.store import sources

        row = sources.get(session, "pti")
        row.consecutive_errors = 3
    assert '<span class="badge failing">failing</span>' in row_of(
        browser.get("/admin/").text, "pti"
    )


def test_charts_are_inline_svg_with_a_table(site: AdminSite, browser: httpx.Client) -> None:
    seed(site.desk)
    page = browser.get("/admin/").text
    assert "<script" not in page
    assert page.count('<svg role="img"') == 2
    assert "<figcaption" in page and "<caption>Files received per hour" in page
    # pti had two files in the current hour, afp one: stacked bars with titles.
    assert "<title>pti, 12:00: 2 files</title>" in page
    assert "<title>afp, 12:00: 1 file</title>" in page
    assert re.search(r"<th scope=\"row\">01 Jun 12:00</th><td>2</td><td>1</td><td>3</td>", page)
    # Latency from landed_at to receipt: 4 s and 2 s -> p50 2 s, p95 4 s (nearest rank).
    assert "<title>p50 at 12:00: 2 s</title>" in page
    assert "<title>p95 at 12:00: 4 s</title>" in page
    assert re.search(r"<th scope=\"row\">01 Jun 12:00</th><td>2</td><td>2 s</td><td>4 s</td>", page)


def test_agency_text_is_escaped(site: AdminSite, browser: httpx.Client) -> None:
    seed(site.desk)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    site.desk.receive(
        ninjs("urn:x", "cricket " + hostile, headline=hostile), source="pti", filename=hostile
    )
    site.desk.receive(b"\x00" + hostile.encode(), source=hostile, filename=hostile)
    for path in ("/admin/", "/admin/held", "/admin/quarantine", "/admin/audit"):
        text = browser.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in browser.get("/admin/held").text


def test_quarantine_list_detail_and_raw_download(site: AdminSite, browser: httpx.Client) -> None:
    seeded = seed(site.desk)
    listing = browser.get("/admin/quarantine").text
    assert QUARANTINED_NAME in listing and "afp" in listing and "<td>open</td>" in listing
    entry = site.desk.store.quarantine()[-1]
    assert entry.reason and str(escape(entry.reason)) in listing
    detail = browser.get(f"/admin/quarantine/{seeded.quarantine_id}").text
    assert str(escape(entry.reason)) in detail and entry.sha256 in detail
    assert f'href="/admin/quarantine/{seeded.quarantine_id}/raw"' in detail
    raw = browser.get(f"/admin/quarantine/{seeded.quarantine_id}/raw")
    assert raw.status_code == 200 and raw.content == seeded.raw
    assert raw.headers["content-type"] == "application/octet-stream"
    assert raw.headers["content-disposition"] == f'attachment; filename="{QUARANTINED_NAME}"'
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert browser.get("/admin/quarantine/999").status_code == 404
    listed = browser.get("/admin/api/quarantine").json()["quarantine"]
    assert [q["filename"] for q in listed] == [QUARANTINED_NAME]


def test_retry_after_the_cause_is_fixed_publishes(site: AdminSite, browser: httpx.Client) -> None:
    seeded = seed(site.desk)
    path = f"/admin/quarantine/{seeded.quarantine_id}"
    # Still pinned to the wrong format: the retry fails, the entry stays open.
    answer = browser.post(f"{path}/retry", data={"csrf": csrf_of(browser.get(path).text)})
    assert answer.status_code == 303
    page = browser.get(path).text
    assert "Not retried: still cannot read it" in page and "<dd>open</dd>" in page
    assert site.desk.store.audit()[-1].action == "retry failed"
    pin_format(site.desk, "afp", "auto")
    browser.post(f"{path}/retry", data={"csrf": csrf_of(page)})
    page = browser.get(path).text
    assert "Retried: read as ninjs: 1 item(s), published" in page
    assert "resolved" in page and "Retry</button>" not in page
    stories = [s for s in site.desk.store.stories() if s.uri == "urn:afp:1"]
    assert len(stories) == 1 and stories[0].state == "published"
    assert stories[0].is_visible(site.desk.clock()) and stories[0].agency == "AFP"
    assert site.desk.store.quarantine()[-1].resolved_at == site.desk.clock()
    last = site.desk.store.audit()[-1]
    assert last.action == "retried" and "retried by editor" in last.detail
    # A second retry of a resolved file does nothing.
    again = browser.post(
        f"/admin/api/quarantine/{seeded.quarantine_id}/retry", data={"csrf": csrf_of(page)}
    )
    assert again.status_code == 409
    assert site.desk.store.count(Story) == 3


def test_release_and_drop_from_the_hold_queue(site: AdminSite, browser: httpx.Client) -> None:
    seeded = seed(site.desk)
    second = site.desk.receive(
        ninjs("urn:pti:3", "More cricket news.", headline="Cricket squad named"), source="pti"
    ).stories[0]
    queue = browser.get("/admin/held")
    assert SECRET_HEADLINE in queue.text and "held by rule" in queue.text
    token = csrf_of(queue.text)
    answer = browser.post(f"/admin/held/{seeded.held}/release", data={"csrf": token})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/held"
    story = site.desk.store.story(seeded.held)
    assert story is not None and story.state == "published"
    assert story.is_visible(site.desk.clock()) and story.reason == "released by editor"
    browser.post(f"/admin/held/{second}/drop", data={"csrf": token})
    dropped = site.desk.store.story(second)
    assert dropped is not None and dropped.state == "dropped"
    after = browser.get("/admin/held").text
    assert "Nothing is held." in after and "dropped" in after  # the flash message
    # Deciding twice is refused with a message, not an error page.
    browser.post(f"/admin/held/{second}/release", data={"csrf": token})
    assert f"no held story with id {second}" in browser.get("/admin/held").text
    assert site.desk.store.story(second).state == "dropped"  # type: ignore[union-attr]


def test_audit_log_latest_and_filtered(site: AdminSite, browser: httpx.Client) -> None:
    seeded = seed(site.desk)
    everything = browser.get("/admin/audit").text
    assert "quarantined" in everything and "published" in everything
    one = browser.get(f"/admin/audit?story={seeded.held}").text
    assert f"for story {seeded.held}" in one and "held by rule" in one
    assert "quarantined" not in one
    assert browser.get("/admin/audit?story=abc").status_code == 400
    api = browser.get(f"/admin/api/audit?story={seeded.published}").json()["audit"]
    assert {e["story_id"] for e in api} == {seeded.published}


def test_audit_log_shows_only_the_latest_200(site: AdminSite, browser: httpx.Client) -> None:
    seed(site.desk)
    for i in range(205):
        site.desk.receive(ninjs(f"urn:bulk:{i}", f"Body {i}."), source="pti")
    entries = browser.get("/admin/api/audit").json()["audit"]
    assert len(entries) == 200 and entries[0]["id"] > entries[-1]["id"]
    assert site.desk.store.count(Receipt) == 208
