"""The real dpa IPTC 7901 and AP ANPA-1312 files, read as a desk would read them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from conftest import samples
from wiredesk import formats

CASES: list[dict[str, Any]] = [
    {
        "file": "IPTC7901_odd_charset.txt",
        "format": "iptc7901",
        "headline": "German football saddened by illness to striker legend Mueller",
        "opening": "German football generations past and present on\nWednesday expressed",
        "last": "respect his and his family's private sphere.\"",
        "paragraphs": 21,
        "byline": "By Manuel Schwarz, dpa",
        "dateline": "Munich",
        "slugline": "Germany-football/Munich/Mueller",
        "version": "2",
        "versioncreated": datetime(2015, 10, 7, 13, 41, tzinfo=UTC),
        "uri": "urn:wiredesk:iptc7901:eca:2015-10-07:germany-football-munich-mueller",
        "ednote_starts": "# Notebook\n\n## Note to editors\n- adds comments by Germany coach Loew",
    },
    {
        "file": "dpa_four_line.txt",
        "format": "iptc7901",
        "headline": "Switzerland joins list of countries resisting UN migration pact",
        "opening": "Switzerland is joining a growing number of countries\nthat will refrain",
        "last": "Hungary, Israel, Poland and the United States.",
        "paragraphs": 15,
        "byline": "By dpa correspondents",
        "dateline": "Geneva",
        "slugline": "Switzerland/migration/UN",
        "versioncreated": datetime(2018, 11, 21, 23, 22, tzinfo=UTC),
        "uri": "urn:wiredesk:iptc7901:eca:2018-11-21:switzerland-migration-un",
        "ednote_starts": "# Notebook\n\n## Refile",
    },
    {
        "file": "anpa-3.tst",
        "format": "anpa1312",
        "headline": "Global Weather-Fahrenheit",
        "opening": "Minimum and maximum temperatures in Fahrenheit, precipitation in inches",
        "last": "x - Indicates missing information.\nclr - clear\npc - partly cloudy\ncdy - cloudy\nrn - rain\nsn - snow\nSource: Weather Underground",
        "paragraphs": 2,
        "byline": "",
        "dateline": "NEW YORK",
        "slugline": "BC-WEA--Global Weather-Fahrenheit",
        "version": "1",
        "versioncreated": datetime(2013, 11, 13, 7, 13, tzinfo=UTC),
        "uri": "urn:wiredesk:anpa1312:2013-11-13:wea-globalweather-fa",
        "html_starts": "<pre>NEW YORK (AP) _ Minimum and maximum",
    },
    {
        "file": "ap_anpa-2.tst",
        "format": "anpa1312",
        "headline": "Baseball Expanded Standings",
        "opening": "All Times EDT\nAMERICAN LEAGUE\nEast Division\n;W;L;Pct;GB;WCGB;L10;Str;Home;Away\nBaltimore;23;13;.639;_;_;8-2;L-1;16-6;7-7\n",
        "last": "N.Y. Yankees at Arizona, 9:40 p.m.\nL.A. Dodgers at L.A. Angels, 10:05 p.m.\nSan Francisco at San Diego, 10:10 p.m.",
        "paragraphs": 1,
        "byline": "By The Associated Press",
        "dateline": "",
        "slugline": "BC-BBO--Baseball Expanded Glance",
        "version": "1",
        "versioncreated": datetime(2016, 5, 17, 6, 20, tzinfo=UTC),
        "uri": "urn:wiredesk:anpa1312:2016-05-17:bbo-baseballexpanded",
        "html_starts": "<pre>All Times EDT\nAMERICAN LEAGUE\n",
    },
    {
        "file": "ap_anpa-3.tst",
        "format": "anpa1312",
        "headline": "$210 lobster is found dead",
        "opening": "A lobster died.",
        "last": "A lobster died.",
        "paragraphs": 1,
        "byline": "",
        "dateline": "CHATHAM, Mass.",
        "slugline": "BC-US--Giant Lobster Death",
        "version": "2",
        "versioncreated": datetime(2016, 8, 29, 16, 26, tzinfo=UTC),
        "uri": "urn:wiredesk:anpa1312:2016-08-29:us-giantlobsterdeath",
        "ednote": "Eds: APNewsNow. Changes short headline. New approach.",
    },
    {
        "file": "ap_anpa-5.tst",
        "format": "anpa1312",
        "headline": "Hawaii files court challenge to Trump administration's definition of close U.S. relationship needed to avoid travel ban.",
        # An alert: its text (after the opening) is its headline, shown once, not a paragraph.
        "opening": "",
        "last": "",
        "paragraphs": 0,
        "byline": "",
        "dateline": "HONOLULU",
        "slugline": "BC-US--APNewsAlert",
        "version": "1",
        "versioncreated": datetime(2017, 6, 29, 23, 50, tzinfo=UTC),
        "uri": "urn:wiredesk:anpa1312:2017-06-29:us-apnewsalert:1645",
        "urgency": 2,
    },
]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_agency_sample(case: dict[str, Any]) -> None:
    data = (samples("superdesk") / case["file"]).read_bytes()
    parsed = formats.parse(data)
    assert parsed.format == case["format"]
    [item] = parsed.items
    assert item.headline == case["headline"]
    assert item.body_text.startswith(case["opening"])
    assert item.body_text.endswith(case["last"])
    assert len(item.paragraphs) == case["paragraphs"]
    assert item.byline == case["byline"]
    assert item.dateline == case["dateline"]
    assert item.slugline == case["slugline"]
    assert item.versioncreated == case["versioncreated"]
    assert item.uri == case["uri"]
    assert item.pubstatus == "usable"
    if "version" in case:
        assert item.version == case["version"]
    if "ednote" in case:
        assert item.ednote == case["ednote"]
    if "ednote_starts" in case:
        assert item.ednote.startswith(case["ednote_starts"])
    if "html_starts" in case:
        assert item.body_html.startswith(case["html_starts"])
        assert item.body_html.endswith("</pre>")
    if "urgency" in case:
        assert item.urgency == case["urgency"]
    assert "\r" not in item.body_text
    assert not any(ord(c) < 32 and c not in "\n\t" for c in item.body_text)


def test_the_odd_charset_sample_decodes_to_real_umlauts() -> None:
    data = (samples("superdesk") / "IPTC7901_odd_charset.txt").read_bytes()
    [item] = formats.parse(data).items
    assert "Thomas Müller, and\nwe are also grateful" in item.body_text
    assert "Ã" not in item.body_text


def test_the_four_line_sample_is_a_refiled_first_lead() -> None:
    data = (samples("superdesk") / "dpa_four_line.txt").read_bytes()
    [item] = formats.parse(data).items
    assert item.signals == ["REFILE", "1ST LEAD", "update"]
    assert item.version.startswith("2-r")
    assert "Helen\u00a0Corbett" in item.ednote
    assert "dpa al rmo" not in item.ednote


def test_the_anpa_tables_keep_their_rows() -> None:
    folder = samples("superdesk")
    [baseball] = formats.parse((folder / "ap_anpa-2.tst").read_bytes()).items
    assert "\nTampa Bay;17;19;.472;6;3{;5-5;W-1;10-11;7-8\n" in baseball.body_text
    assert "\n___\nNATIONAL LEAGUE\nEast Division\n" in baseball.body_text
    [weather] = formats.parse((folder / "anpa-3.tst").read_bytes()).items
    assert "\nAmsterdam;42;50;rn;0.08;39;52;pc;39;48;rn\n" in weather.body_text
    assert "\n\n   x - Indicates missing information.\n   clr - clear\n" in weather.body_html
