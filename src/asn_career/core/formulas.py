"""CSV cells that a spreadsheet would run as a formula, neutralised as OWASP recommends.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe on the way out; the CSV reader takes exactly one off on the way in. The
rule is also applied to text that already begins with apostrophes before such a character,
so the round trip export → import gives back every value as it was.
"""

import re

_TRIGGER = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``; other text unchanged."""
    return "'" + text if _TRIGGER.match(text) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise` for a cell read from CSV."""
    return text[1:] if _NEUTRALISED.match(text) else text
