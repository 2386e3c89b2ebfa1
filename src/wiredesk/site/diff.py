"""Word-level differences between two versions of a story, for the public history page."""

from __future__ import annotations

import difflib
import re
from html import escape

from markupsafe import Markup

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> Markup:
    """The new text with insertions in <ins> and deletions in <del>, every token escaped."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
        if op == "equal":
            out.append(escape("".join(b[b1:b2])))
    return Markup("".join(out))
