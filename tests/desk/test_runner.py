from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from wiredesk.desk.runner import MAX_BACKOFF, backoff


@given(st.integers(1, 40), st.floats(0.5, 3600), st.one_of(st.none(), st.floats(0, 7200)))
def test_backoff_grows_with_jitter_and_honours_retry_after(
    errors: int, interval: float, retry_after: float | None
) -> None:
    delay = (
        backoff(errors, interval, retry_after).total_seconds() + 1e-6
    )  # timedelta keeps microseconds
    ceiling = min(interval * 2 ** (errors - 1), MAX_BACKOFF.total_seconds())
    assert ceiling / 2 <= delay or (retry_after is not None and delay >= retry_after)
    assert delay <= max(ceiling, retry_after or 0) + 2e-6
    if retry_after is not None:
        assert delay >= retry_after


def test_backoff_is_capped_at_an_hour() -> None:
    assert backoff(50, 60, None) <= MAX_BACKOFF
    assert backoff(1, 60, None) >= timedelta(seconds=30)
