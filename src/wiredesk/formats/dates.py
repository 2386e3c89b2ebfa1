"""Wire timestamps in the forms agencies send them, always returned timezone-aware."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_COMPACT = re.compile(
    r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_datetime(value: str | None) -> datetime | None:
    """ISO 8601, NITF's compact `20210901T103000+0530`, or RFC 822; None when unreadable."""
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return aware(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    match = _COMPACT.match(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        iso = f"{year}-{month}-{day}T{hour or '00'}:{minute or '00'}:{second or '00'}"
        if zone:
            iso += "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
        try:
            return aware(datetime.fromisoformat(iso))
        except ValueError:
            return None
    try:
        return aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None
