"""Plain names for an agency's update, correction and kill signals.

Agencies say "this is an update" in many dialects: IPTC `sig:update`, Reuters `edStat:U`, a
"CORRECTED-" headline prefix, "(UPDATE 2)" after a slugline. The raw codes are kept as sent,
and "update", "correction" or "kill" are added so the desk can test one word.
"""

from __future__ import annotations

import re

UPDATE, CORRECTION, KILL = "update", "correction", "kill"
# An embargo stated only in words: no clock can honour it, so the desk holds it for a person.
EMBARGO = "embargo"

_QCODES = {
    "sig:update": UPDATE,
    "sig:correction": CORRECTION,
    # Reuters' editorial status: U an update, C a correction, D the story is withdrawn.
    "edstat:u": UPDATE,
    "edstat:c": CORRECTION,
    "edstat:d": KILL,
}
# Reuters tags headlines "CORRECTED-", "REFILE-", "UPDATE 2-" (also stacked, in any order).
_HEADLINE_TAGS = re.compile(r"^((?:(?:CORRECTED|REFILE|UPDATE\s+\d+|RPT|WRAPUP\s+\d+)-)+)")
_SLUG_TAGS = re.compile(r"\((CORRECTED|REFILE|UPDATE\s+\d+)\)")


def _from_tag(tag: str) -> str | None:
    if tag in ("CORRECTED", "REFILE"):
        return CORRECTION
    if tag.startswith("UPDATE"):
        return UPDATE
    return None


def normalised(
    qcodes: list[str], headline: str = "", slugline: str = "", canceled: bool = False
) -> list[str]:
    """The raw qcodes, stripped, followed by the plain names they and the lines imply."""
    raw = [q.strip() for q in qcodes if q and q.strip()]
    plain: list[str] = [_QCODES[q.lower()] for q in raw if q.lower() in _QCODES]
    match = _HEADLINE_TAGS.match(headline)
    tags = match.group(1).rstrip("-").split("-") if match else []
    tags += _SLUG_TAGS.findall(slugline)
    plain += [name for name in map(_from_tag, tags) if name]
    if canceled:
        plain.append(KILL)
    out: list[str] = []
    for value in [*raw, *plain]:
        if value not in out:
            out.append(value)
    return out
