"""Takedown and restore from /admin: CSRF-checked forms, the audit trail, the JSON twins."""

from __future__ import annotations

import httpx
from adminkit import AdminSite, browser, csrf_of, site

from wire import ninjs

__all__ = ["browser", "site"]  # fixtures, used by name


def test_takedown_and_restore_from_the_stories_page(site: AdminSite, browser: httpx.Client) -> None:
    story_id = site.desk.receive(
        ninjs("urn:adm:td", "Delhi (PTI) A story <b>to remove</b>.", headline="Remove <me>"),
        source="pti",
    ).stories[0]
    listing = browser.get("/admin/stories")
    assert "Remove &lt;me&gt;" in listing.text and "Nothing is taken down." in listing.text
    token = csrf_of(listing.text)
    # Without the form's token the takedown is refused.
    refused = browser.post(f"/admin/stories/{story_id}/takedown", data={"reason": "x"})
    assert refused.status_code == 403
    assert site.desk.store.story(story_id).state == "published"  # type: ignore[union-attr]
    # Without a reason it is refused with a message.
    browser.post(f"/admin/stories/{story_id}/takedown", data={"csrf": token, "reason": " "})
    assert "needs a reason" in browser.get("/admin/stories").text
    answer = browser.post(
        f"/admin/stories/{story_id}/takedown", data={"csrf": token, "reason": "court order"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/stories"
    assert site.desk.store.story(story_id).state == "takendown"  # type: ignore[union-attr]
    page = browser.get("/admin/stories").text
    assert "taken down" in page and "removed by the publisher: court order" in page
    audit = browser.get(f"/admin/audit?story={story_id}").text
    assert "by editor: court order" in audit

    browser.post(f"/admin/stories/{story_id}/restore", data={"csrf": token})
    assert site.desk.store.story(story_id).state == "published"  # type: ignore[union-attr]
    assert "Nothing is taken down." in browser.get("/admin/stories").text


def test_the_json_twins_need_a_token(site: AdminSite) -> None:
    story_id = site.desk.receive(
        ninjs("urn:adm:td2", "Delhi (PTI) Text.", headline="Headline"), source="pti"
    ).stories[0]
    with site.client() as anonymous:
        assert anonymous.post(f"/admin/api/stories/{story_id}/takedown").status_code == 401
        auth = {"Authorization": f"Bearer {site.token}"}
        done = anonymous.post(
            f"/admin/api/stories/{story_id}/takedown", data={"reason": "legal"}, headers=auth
        )
        assert done.json() == {"id": story_id, "state": "takendown"}
        listed = anonymous.get("/admin/api/stories", headers=auth).json()
        assert [s["id"] for s in listed["taken_down"]] == [story_id]
        again = anonymous.post(
            f"/admin/api/stories/{story_id}/takedown", data={"reason": "legal"}, headers=auth
        )
        assert again.status_code == 409
        back = anonymous.post(f"/admin/api/stories/{story_id}/restore", headers=auth)
        assert back.json() == {"id": story_id, "state": "published"}
