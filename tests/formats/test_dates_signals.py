from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from wiredesk.formats.dates import parse_datetime
from wiredesk.site.diff import word_diff

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-09-01T14:30:00+05:30", datetime(2021, 9, 1, 14, 30, tzinfo=IST)),
        ("2021-09-01T09:00:00Z", datetime(2021, 9, 1, 9, 0, tzinfo=UTC)),
        ("20210901T143000+0530", datetime(2021, 9, 1, 14, 30, tzinfo=IST)),
        ("20210901", datetime(2021, 9, 1, tzinfo=UTC)),
        ("Wed, 01 Sep 2021 09:00:00 GMT", datetime(2021, 9, 1, 9, 0, tzinfo=UTC)),
        ("  2021-09-01T09:00:00  ", datetime(2021, 9, 1, 9, 0, tzinfo=UTC)),
    ],
)
def test_wire_timestamps(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "yesterday", "20211301T000000"])
def test_unreadable_timestamps_are_none(text: str | None) -> None:
    assert parse_datetime(text) is None


def test_word_diff_marks_changes_and_escapes_everything() -> None:
    assert str(word_diff("The minister lead the talks.", "The minister led the talks.")) == (
        "The minister <del>lead</del><ins>led</ins> the talks."
    )
    assert (
        str(word_diff("a <b>", "a <script>")) == "a <del>&lt;b&gt;</del><ins>&lt;script&gt;</ins>"
    )
    assert str(word_diff("same", "same")) == "same"
