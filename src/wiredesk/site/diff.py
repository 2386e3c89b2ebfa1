"""Word-level differences between two versions of a story, for the public history page.

The comparison is bounded, so a long table sent again reordered cannot hold a server: lines
are matched first (cheap: distinct lines hash apart), then the words of each changed run of
lines, while the work stays under WORD_BUDGET (tokens × tokens compared, summed over runs).
A run past the budget is shown whole, struck out then inserted; two versions with more than
MAX_LINES lines between them are not compared at all (None: the page shows both in full).
Either way every character of both versions is shown, escaped.
"""

from __future__ import annotations

import difflib
import re
from html import escape

from markupsafe import Markup

_TOKENS = re.compile(r"\s+|[^\s]+")
_LINES = re.compile(r"[^\n]*\n|[^\n]+")
# About 0.1 s of difflib per million token pairs on a slow core: ~1 s at most per diff.
WORD_BUDGET = 8_000_000
MAX_LINES = 20_000


def word_diff(old: str, new: str) -> Markup | None:
    """The new text with insertions in <ins> and deletions in <del>, every token escaped;
    None when the versions are too long to compare."""
    la, lb = _LINES.findall(old), _LINES.findall(new)
    if len(la) + len(lb) > MAX_LINES:
        return None
    out: list[str] = []
    budget = WORD_BUDGET
    # autojunk: a line repeated all over (blank lines, rules) is not an anchor, which keeps
    # line matching near linear.
    lines = difflib.SequenceMatcher(None, la, lb, autojunk=True)
    for op, a1, a2, b1, b2 in lines.get_opcodes():
        old_run, new_run = "".join(la[a1:a2]), "".join(lb[b1:b2])
        if op == "equal":
            out.append(escape(new_run))
            continue
        a, b = _TOKENS.findall(old_run), _TOKENS.findall(new_run)
        cost = max(1, len(a)) * max(1, len(b))
        if op == "replace" and cost <= budget:
            budget -= cost
            out.append(_words(a, b))
            continue
        if old_run:
            out.append(f"<del>{escape(old_run)}</del>")
        if new_run:
            out.append(f"<ins>{escape(new_run)}</ins>")
    return Markup("".join(out))


def _words(a: list[str], b: list[str]) -> str:
    out: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
        if op == "equal":
            out.append(escape("".join(b[b1:b2])))
    return "".join(out)
